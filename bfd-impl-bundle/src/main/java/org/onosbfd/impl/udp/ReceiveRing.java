package org.onosbfd.impl.udp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * IPv4 single-hop control packets read from a packet ring shared with the kernel
 * ({@code PACKET_RX_RING}, {@code TPACKET_V2}, packet(7)) instead of from the UDP socket: the
 * kernel copies each datagram into the ring as it arrives, and we read it there with no system
 * call and no copy per packet (recvmmsg() cost about a tenth of the kernel's CPU per packet at
 * 10,000 sessions, BENCHMARKS.md). A classic BPF filter in the kernel keeps only unfragmented
 * UDP datagrams to our port addressed to this host's MAC.
 *
 * <p>The kernel has not validated what it copies here (the IP layer runs after the copy), so
 * {@link #parse} checks the IPv4 header, its checksum and the UDP checksum (RFC 768) itself,
 * unless the device verified it or the packet comes from this host with the checksum left to
 * the device (as the IP layer trusts it then). It reads the TTL from the header (GTSM, RFC 5881
 * §5) and the arrival time from the frame. The UDP socket keeps the port, so that the kernel
 * does not answer port unreachable, and drops what reaches it ({@link #divert}). Packets are
 * read before netfilter's INPUT chain sees them.
 *
 * <p>Used by the receiving thread only (the event loop's, when it reads).
 */
final class ReceiveRing implements AutoCloseable {
    /** Room for the largest IPv4 control packet (60 + 8 + 24 + 28 bytes) after the headers. */
    static final int FRAME_SIZE = 256;
    private static final int BLOCK_SIZE = 1 << 20;
    private static final int FRAMES_PER_BLOCK = BLOCK_SIZE / FRAME_SIZE;
    private static final int TPACKET_V2 = 1;
    // struct tpacket2_hdr and the sockaddr_ll after it, at the start of each frame.
    private static final int STATUS = 0;
    private static final int LENGTH = 4;
    private static final int SNAP_LENGTH = 8;
    private static final int NETWORK_OFFSET = 14;
    private static final int SECONDS = 16;
    private static final int NANOSECONDS = 20;
    private static final int INTERFACE_INDEX = 32 + 4;
    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_LOSING = 1 << 2;
    /** Sent from this host with the checksum left to the device (loopback, veth): not filled. */
    private static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** The device verified the checksum. */
    private static final int TP_STATUS_CSUM_VALID = 1 << 7;
    private static final int CHECKSUM_NOT_OURS = TP_STATUS_CSUMNOTREADY | TP_STATUS_CSUM_VALID;
    // Classic BPF (linux/filter.h).
    private static final int BPF_LD_W_ABS = 0x20;
    private static final int BPF_LD_H_ABS = 0x28;
    private static final int BPF_LD_B_ABS = 0x30;
    private static final int BPF_LD_H_IND = 0x48;
    private static final int BPF_LDX_B_MSH = 0xb1;
    private static final int BPF_JEQ_K = 0x15;
    private static final int BPF_JSET_K = 0x45;
    private static final int BPF_RET_K = 0x06;
    /** SKF_AD_OFF + SKF_AD_PKTTYPE: the packet's link-layer type, PACKET_HOST = 0. */
    private static final int SKF_PACKET_TYPE = -0x1000 + 4;
    private static final int IPV4_FRAGMENT = 0x3FFF; // More Fragments and the offset

    private final int fd;
    private final Pointer memory;
    private final long memorySize;
    private final int frames;
    /** Frame headers, in the host's byte order. */
    private final ByteBuffer headers;
    /** The same memory in network byte order: the datagrams, and what the receiver reads. */
    private final ByteBuffer wire;
    private int cursor;
    private int frame;
    private int ttl;
    private int interfaceIndex;
    private long wallNanos;
    // Written by the receiving thread only, read by displays.
    private volatile long checksumErrors;
    private volatile long malformed;

    /** A ring over memory the caller fills as the kernel would (tests); no socket. */
    static ReceiveRing over(Pointer memory, int frames) {
        return new ReceiveRing(-1, memory, (long) frames * FRAME_SIZE, frames);
    }

    private ReceiveRing(int fd, Pointer memory, long memorySize, int frames) {
        this.fd = fd;
        this.memory = memory;
        this.memorySize = memorySize;
        this.frames = frames;
        this.headers = memory.getByteBuffer(0, memorySize).order(ByteOrder.nativeOrder());
        this.wire = memory.getByteBuffer(0, memorySize).order(ByteOrder.BIG_ENDIAN);
    }

    /**
     * A ring for UDP {@code port} on every interface, holding at least {@code packets}
     * datagrams; needs CAP_NET_RAW.
     */
    static ReceiveRing open(int port, int packets) throws IOException {
        int blocks = Math.max(1, (packets + FRAMES_PER_BLOCK - 1) / FRAMES_PER_BLOCK);
        int frames = blocks * FRAMES_PER_BLOCK;
        long size = (long) blocks * BLOCK_SIZE;
        // Protocol 0 receives nothing until bind(): the filter and ring are in place first.
        int fd = LinkLayer.open();
        try {
            attachFilter(fd, singleHopFilter(port));
            Sockets.setInt(fd, Libc.SOL_PACKET, Libc.PACKET_VERSION, TPACKET_V2,
                    "PACKET_VERSION");
            Memory request = new Memory(16);
            request.setInt(0, BLOCK_SIZE);
            request.setInt(4, blocks);
            request.setInt(8, FRAME_SIZE);
            request.setInt(12, frames);
            Libc.setsockopt(fd, Libc.SOL_PACKET, Libc.PACKET_RX_RING, request, 16);
            Pointer memory = Libc.mmap(null, size, Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_SHARED, fd, 0);
            // IPv4 on every interface (index 0); bind() reads no MAC.
            Memory everywhere = LinkLayer.newAddress();
            LinkLayer.address(everywhere, 0, 0L);
            try {
                Libc.bind(fd, everywhere, LinkLayer.ADDRESS_SIZE);
            } catch (LastErrorException e) {
                Libc.munmap(memory, size);
                throw e; // the socket is closed below
            }
            return new ReceiveRing(fd, memory, size, frames);
        } catch (LastErrorException e) {
            Sockets.close(fd);
            throw new IOException("packet ring of " + frames + " frames: errno "
                    + e.getErrorCode(), e);
        } catch (IOException e) {
            Sockets.close(fd);
            throw e;
        }
    }

    /** Makes a UDP socket take nothing: its datagrams come through the ring instead. */
    static void divert(int udpFd) throws IOException {
        try {
            attachFilter(udpFd, new int[][] {{BPF_RET_K, 0, 0, 0}});
        } catch (LastErrorException e) {
            throw new IOException("SO_ATTACH_FILTER: errno " + e.getErrorCode(), e);
        }
    }

    /**
     * Unfragmented UDP to {@code port}, sent to this host's MAC. A datagram socket's filter sees
     * the packet from its IP header on; the ring is bound to IPv4 (ETH_P_IP).
     */
    private static int[][] singleHopFilter(int port) {
        final int drop = 10;
        return new int[][] {
            {BPF_LD_W_ABS, 0, 0, SKF_PACKET_TYPE},
            {BPF_JEQ_K, 0, drop - 2, 0},
            {BPF_LD_B_ABS, 0, 0, 9},
            {BPF_JEQ_K, 0, drop - 4, Libc.IPPROTO_UDP},
            {BPF_LD_H_ABS, 0, 0, 6},
            {BPF_JSET_K, drop - 6, 0, IPV4_FRAGMENT},
            {BPF_LDX_B_MSH, 0, 0, 0},
            {BPF_LD_H_IND, 0, 0, 2},
            {BPF_JEQ_K, 0, drop - 9, port},
            {BPF_RET_K, 0, 0, FRAME_SIZE},
            {BPF_RET_K, 0, 0, 0},
        };
    }

    /** SO_ATTACH_FILTER: a struct sock_fprog of {code, jt, jf, k} instructions. */
    private static void attachFilter(int fd, int[][] program) {
        Memory instructions = new Memory(8L * program.length);
        for (int i = 0; i < program.length; i++) {
            instructions.setShort(8L * i, (short) program[i][0]);
            instructions.setByte(8L * i + 2, (byte) program[i][1]);
            instructions.setByte(8L * i + 3, (byte) program[i][2]);
            instructions.setInt(8L * i + 4, program[i][3]);
        }
        Memory fprog = new Memory(16);
        fprog.clear();
        fprog.setShort(0, (short) program.length);
        fprog.setPointer(8, instructions);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, fprog, 16);
    }

    int fd() {
        return fd;
    }

    /** Whether the kernel has handed over the frame at the cursor. */
    boolean ready() {
        frame = cursor * FRAME_SIZE;
        boolean ours = (headers.getInt(frame + STATUS) & TP_STATUS_USER) != 0;
        VarHandle.acquireFence(); // the frame's bytes are read after its status
        return ours;
    }

    /**
     * The Your Discriminator (RFC 5880 §4.1) of the datagram {@code ahead} frames past the
     * cursor, if the kernel has handed that frame over; 0 otherwise. Not validated (the frame
     * is parsed in its turn): a hint of which session's state to fetch ahead, no more.
     */
    int yourDiscriminatorAhead(int ahead) {
        int index = (cursor + ahead) % frames;
        int at = index * FRAME_SIZE;
        if ((headers.getInt(at + STATUS) & TP_STATUS_USER) == 0) {
            return 0;
        }
        VarHandle.acquireFence();
        // Through headers, whose limit parse() never moves: the wire's is the current packet's.
        int ip = at + (headers.getShort(at + NETWORK_OFFSET) & 0xFFFF);
        int field = ip + (headers.get(ip) & 0x0F) * 4 + UdpHeaders.UDP_HEADER + 8;
        if (field + 4 > at + FRAME_SIZE) {
            return 0;
        }
        return (headers.get(field) & 0xFF) << 24 | (headers.get(field + 1) & 0xFF) << 16
                | (headers.get(field + 2) & 0xFF) << 8 | headers.get(field + 3) & 0xFF;
    }

    /** Whether the kernel dropped datagrams for want of frames before this one. */
    boolean losing() {
        return (headers.getInt(frame + STATUS) & TP_STATUS_LOSING) != 0;
    }

    /**
     * Reads the ready frame's datagram: its addresses into the arrays, its TTL, interface and
     * arrival time into this ring's fields, and positions {@link #payload()} on the BFD packet.
     *
     * @return false when it is no valid UDP over IPv4 (counted), which is then to be skipped
     */
    boolean parse(byte[] source, byte[] destination) {
        int status = headers.getInt(frame + STATUS);
        int ip = frame + (headers.getShort(frame + NETWORK_OFFSET) & 0xFFFF);
        int captured = headers.getInt(frame + SNAP_LENGTH);
        int headerLength = (wire.get(ip) & 0x0F) * 4;
        int totalLength = wire.getShort(ip + 2) & 0xFFFF;
        if ((wire.get(ip) & 0xF0) != 0x40 || headerLength < UdpHeaders.IPV4_HEADER
                || captured != headers.getInt(frame + LENGTH) || totalLength > captured
                || totalLength < headerLength + UdpHeaders.UDP_HEADER
                || ip - frame + totalLength > FRAME_SIZE) {
            malformed++;
            return false;
        }
        int udp = ip + headerLength;
        int udpLength = wire.getShort(udp + 4) & 0xFFFF;
        if (udpLength < UdpHeaders.UDP_HEADER || udpLength > totalLength - headerLength) {
            malformed++;
            return false;
        }
        if (UdpHeaders.fold(sum16(ip, headerLength)) != 0xFFFF
                || (status & CHECKSUM_NOT_OURS) == 0 && wire.getShort(udp + 6) != 0
                && UdpHeaders.fold(sum16(ip + 12, 8) + Libc.IPPROTO_UDP + udpLength
                        + sum16(udp, udpLength)) != 0xFFFF) {
            checksumErrors++;
            return false;
        }
        NativeBuffers.read(wire, ip + 12, source);
        NativeBuffers.read(wire, ip + 16, destination);
        ttl = wire.get(ip + 8) & 0xFF;
        interfaceIndex = headers.getInt(frame + INTERFACE_INDEX);
        wallNanos = (headers.getInt(frame + SECONDS) & 0xFFFF_FFFFL) * 1_000_000_000L
                + headers.getInt(frame + NANOSECONDS);
        wire.limit(udp + udpLength).position(udp + UdpHeaders.UDP_HEADER);
        return true;
    }

    /** The parsed datagram's BFD packet, position to limit; valid until {@link #release()}. */
    ByteBuffer payload() {
        return wire;
    }

    int ttl() {
        return ttl;
    }

    int interfaceIndex() {
        return interfaceIndex;
    }

    /** When the datagram arrived, CLOCK_REALTIME nanoseconds (the kernel's stamp). */
    long wallNanos() {
        return wallNanos;
    }

    /** Hands the frame at the cursor back to the kernel and moves to the next. */
    void release() {
        wire.clear();
        VarHandle.releaseFence(); // the kernel may refill the frame only after our reads
        headers.putInt(frame + STATUS, TP_STATUS_KERNEL);
        cursor = cursor + 1 == frames ? 0 : cursor + 1;
    }

    /** Datagrams the kernel dropped since the last call, the ring being full (it resets). */
    long takeDrops() {
        Memory statistics = new Memory(8);
        Memory length = new Memory(4);
        length.setInt(0, 8);
        try {
            Libc.getsockopt(fd, Libc.SOL_PACKET, Libc.PACKET_STATISTICS, statistics, length);
        } catch (LastErrorException e) {
            return 0;
        }
        return statistics.getInt(4) & 0xFFFF_FFFFL;
    }

    /** Datagrams whose IPv4 header or UDP checksum was wrong (the kernel's UDP would drop). */
    long checksumErrors() {
        return checksumErrors;
    }

    /** Frames that held no UDP over IPv4 that fits a frame. */
    long malformed() {
        return malformed;
    }

    @Override
    public void close() {
        Libc.munmap(memory, memorySize);
        Sockets.close(fd);
    }

    /**
     * RFC 1071: the sum of the 16-bit words from {@code at}, an odd last byte padded; read 32
     * bits at a time, as {@link UdpHeaders#sum16} explains.
     */
    private long sum16(int at, int length) {
        long sum = 0;
        int end = at + length;
        int i = at;
        for (; i + 3 < end; i += 4) {
            sum += wire.getInt(i) & 0xFFFF_FFFFL;
        }
        if (i + 1 < end) {
            sum += wire.getShort(i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            sum += (wire.get(i) & 0xFF) << 8;
        }
        return sum;
    }
}
