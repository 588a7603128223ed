package org.onosbfd.impl.udp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The Linux socket calls that {@code java.nio} does not offer: sending with TTL 255, reading the
 * received TTL and destination (GTSM, RFC 5881 §5), binding to a device, batch receive. JNA
 * direct mapping: no per-call allocation. Structure layouts are those of Linux LP64
 * (x86_64 and aarch64).
 *
 * <p>Calls made on setup paths throw {@link LastErrorException} with errno; the hot-path calls
 * ({@link #recvmmsg}, {@link #sendmmsg}, {@link #sendto}, {@link #ppoll}) return -1 instead, so
 * that a transient failure costs no exception.
 */
final class Libc {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_BINDTODEVICE = 25;
    static final int SO_RCVBUFFORCE = 33;
    /** Kernel receive timestamps (struct timespec, CLOCK_REALTIME) as SCM_TIMESTAMPNS. */
    static final int SO_TIMESTAMPNS = 35;
    static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    /** The count of datagrams the socket dropped for want of buffer, as a control message. */
    static final int SO_RXQ_OVFL = 40;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_RAW = 255;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    static final int IP_TOS = 1;
    static final int IP_TTL = 2;
    static final int IP_PKTINFO = 8;
    static final int IP_RECVTTL = 12;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_HDRINCL = 36;
    static final int IPV6_V6ONLY = 26;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;
    static final int IPV6_RECVHOPLIMIT = 51;
    static final int IPV6_HOPLIMIT = 52;
    static final int IPV6_TCLASS = 67;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_CTRUNC = 0x8;
    static final int SHUT_RDWR = 2;
    static final short POLLIN = 1;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int CLOCK_REALTIME = 0;
    static final int SO_ATTACH_FILTER = 26;
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;

    /** struct sockaddr_in6: the larger of the two address structures. */
    static final int SOCKADDR_IN6_SIZE = 28;
    static final int SOCKADDR_IN_SIZE = 16;
    /** struct mmsghdr: struct msghdr (56 bytes) + unsigned int msg_len, padded. */
    static final int MMSGHDR_SIZE = 64;
    static final int IOVEC_SIZE = 16;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int length)
            throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length)
            throws LastErrorException;

    static native Pointer mmap(Pointer address, long length, int protection, int flags, int fd,
                               long offset) throws LastErrorException;

    static native int munmap(Pointer address, long length);

    static native int madvise(Pointer address, long length, int advice);

    static native int bind(int fd, Pointer address, int length) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int if_nametoindex(String name);

    static native Pointer if_indextoname(int index, Pointer name);

    static native int shutdown(int fd, int how);

    static native long sendto(int fd, Pointer buffer, long length, int flags, Pointer address,
                              int addressLength);

    static native int recvmmsg(int fd, Pointer messages, int count, int flags, Pointer timeout);

    static native int sendmmsg(int fd, Pointer messages, int count, int flags);

    /** poll() with a nanosecond timeout (struct timespec), for the event loop's timers. */
    static native int ppoll(Pointer fds, long count, Pointer timeout, Pointer signalMask);

    static native int eventfd(int initialValue, int flags) throws LastErrorException;

    static native long read(int fd, Pointer buffer, long count);

    static native long write(int fd, Pointer buffer, long count);

    static native int clock_gettime(int clock, Pointer timespec);
}
