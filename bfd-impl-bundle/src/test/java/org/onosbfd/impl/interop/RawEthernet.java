package org.onosbfd.impl.interop;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A raw {@code AF_PACKET} socket on one interface of a network namespace (JNA): whole Ethernet
 * frames in and out, as a switch port's wire. Test-only.
 */
final class RawEthernet implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    /** htons(ETH_P_ALL): every protocol. */
    private static final int ETH_P_ALL_NETWORK_ORDER = 0x0300;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_PACKET = 263;
    /** Linux 4.20: our own transmitted frames are not looped back to us. */
    private static final int PACKET_IGNORE_OUTGOING = 23;
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    /** The libc calls needed. */
    interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length)
                throws LastErrorException;

        NativeLong send(int fd, byte[] buffer, NativeLong length, int flags)
                throws LastErrorException;

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

        int close(int fd);

        int if_nametoindex(String name) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int type) throws LastErrorException;
    }

    private final int fd;

    private RawEthernet(int fd) {
        this.fd = fd;
    }

    /**
     * Opens the socket inside {@code namespace} (created with {@code ip netns add}): this thread
     * enters the namespace for the socket's creation only; the socket stays in it.
     */
    static RawEthernet open(String namespace, String interfaceName) {
        C c = C.LIBC;
        int home = c.open("/proc/thread-self/ns/net", O_RDONLY);
        int target = c.open("/var/run/netns/" + namespace, O_RDONLY);
        int fd = -1;
        try {
            c.setns(target, CLONE_NEWNET);
            try {
                fd = c.socket(AF_PACKET, SOCK_RAW, ETH_P_ALL_NETWORK_ORDER);
                int index = c.if_nametoindex(interfaceName);
                ByteBuffer address = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
                address.putShort((short) AF_PACKET);
                address.order(ByteOrder.BIG_ENDIAN).putShort((short) 0x0003);
                address.order(ByteOrder.nativeOrder()).putInt(index);
                c.bind(fd, address.array(), 20);
                c.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, intValue(1), 4);
                // recv returns every 200 ms, so that the reading thread can stop.
                ByteBuffer timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
                timeout.putLong(0).putLong(200_000);
                c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout.array(), 16);
            } finally {
                c.setns(home, CLONE_NEWNET);
            }
            RawEthernet socket = new RawEthernet(fd);
            fd = -1;
            return socket;
        } finally {
            if (fd >= 0) {
                c.close(fd);
            }
            c.close(target);
            c.close(home);
        }
    }

    private static byte[] intValue(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    void send(byte[] frame) {
        C.LIBC.send(fd, frame, new NativeLong(frame.length), 0);
    }

    /** The frame's length, or a value below 1 when none arrived within 200 ms. */
    int receive(byte[] buffer) {
        return C.LIBC.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
    }

    @Override
    public void close() {
        C.LIBC.close(fd);
    }
}
