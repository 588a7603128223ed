package org.onosbfd.impl.udp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Sends the control packets of every session of one address family with one sendmmsg() per
 * batch instead of one sendto() per packet: at thousands of sessions the system call, not BFD,
 * is what costs (BENCHMARKS.md). One raw socket (IPPROTO_RAW, headers included) carries them
 * all, so the IP and UDP headers are ours to write, from a template per session
 * ({@link UdpHeaders}):
 *
 * <ul>
 *   <li>RFC 5881 §4: the UDP source port is the one the session's own UDP socket holds bound
 *       for its life, so it stays the same for the session and no other session or program
 *       can have it;</li>
 *   <li>RFC 5881 §5 (GTSM): TTL / hop limit 255, and DSCP CS6 as for every packet we send;</li>
 *   <li>the UDP checksum is computed here (mandatory over IPv6, kept over IPv4 too); the kernel
 *       fills the IPv4 header checksum, length and identification;</li>
 *   <li>a session bound to an interface names it in an IP_PKTINFO / IPV6_PKTINFO control
 *       message, as SO_BINDTODEVICE did for its own socket.</li>
 * </ul>
 *
 * <p>Raw sockets need CAP_NET_RAW; without it {@link #open} fails and the transport sends
 * from each session's socket instead. Thread: the event loop only, which queues packets while
 * it runs timers and received packets, and flushes before it waits.
 */
final class BatchSender {
    /** One session's headers and destination, prepared once. */
    static final class Path {
        final UdpHeaders headers;
        /** What holds the native sockaddr and control message, so that they stay allocated. */
        private final Object destination;
        private final Memory control;
        final long destinationAddress;
        final int destinationLength;
        final long controlAddress;
        final long controlLength;
        /** A link-layer path's sockaddr_ll, rewritten by {@link #nextHop}; null otherwise. */
        private final ByteBuffer nextHopAddress;

        /** A link-layer path's next hop: the interface and MAC it was last pointed at. */
        private int interfaceIndex;
        private long mac = -1;

        private Path(UdpHeaders headers, Memory destination, Memory control) {
            this.headers = headers;
            this.destination = destination;
            this.control = control;
            this.destinationAddress = Pointer.nativeValue(destination);
            this.destinationLength = (int) destination.size();
            this.controlAddress = control == null ? 0 : Pointer.nativeValue(control);
            this.controlLength = control == null ? 0 : control.getLong(0);
            this.nextHopAddress = null;
        }

        /** A link-layer path whose sockaddr_ll is in the session's record. */
        private Path(UdpHeaders headers, NativeRecords.Record record) {
            this.headers = headers;
            this.destination = record;
            this.control = null;
            this.destinationAddress = record.address + NativeRecords.ADDRESS_AT;
            this.destinationLength = LinkLayer.ADDRESS_SIZE;
            this.controlAddress = 0;
            this.controlLength = 0;
            this.nextHopAddress = record.memory;
        }

        /** Reads ahead of a send ({@code BfdTransmitter.warm}); the value means nothing. */
        long warm() {
            return interfaceIndex + headers.warm();
        }

        /** Points a link-layer path at a neighbour; before a flush, on the event loop. */
        void nextHop(int index, long peerMac) {
            if (index != interfaceIndex || peerMac != mac) {
                interfaceIndex = index;
                mac = peerMac;
                LinkLayer.address(nextHopAddress, NativeRecords.ADDRESS_AT, index, peerMac);
            }
        }
    }

    private static final int CONTROL_SLOT = 48;

    private final int fd;
    /** Below the IP layer ({@link LinkLayer}): the IPv4 header checksum is ours. */
    private final boolean linkLayer;
    private final MessageBatch batch = new MessageBatch();
    private final byte[] scratch = new byte[MessageBatch.SLOT];
    /** The paths of queued packets: their native destinations must live until sent. */
    private final Path[] queuedPaths = new Path[MessageBatch.SIZE];
    /** The standby's copies queued packets are sent from (null for a slot). */
    private final Standby.Copy[] queuedCopies = new Standby.Copy[MessageBatch.SIZE];
    // Written on the event loop only, read by displays.
    private volatile long sent;
    private volatile long errors;

    private BatchSender(int fd, boolean linkLayer) {
        this.fd = fd;
        this.linkLayer = linkLayer;
    }

    /** A sender for one family; fails without CAP_NET_RAW. */
    static BatchSender open(boolean ipv4) throws IOException {
        int fd = Sockets.open(ipv4, Libc.SOCK_RAW, Libc.IPPROTO_RAW);
        try {
            if (!ipv4) {
                Sockets.setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_HDRINCL, 1, "IPV6_HDRINCL");
            }
            roomForABurst(fd);
        } catch (IOException e) {
            Sockets.close(fd);
            throw e;
        }
        return new BatchSender(fd, false);
    }

    /** A sender of IPv4 packets below the IP layer ({@link LinkLayer}); needs CAP_NET_RAW. */
    static BatchSender openLinkLayer() throws IOException {
        int fd = LinkLayer.open();
        try {
            roomForABurst(fd);
        } catch (IOException e) {
            Sockets.close(fd);
            throw e;
        }
        return new BatchSender(fd, true);
    }

    /** Every session's packet of a turn after a stall. */
    private static void roomForABurst(int fd) throws IOException {
        Sockets.setInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 4 << 20, "SO_SNDBUF");
    }

    /**
     * The headers of one session's packets.
     *
     * @param interfaceIndex the interface the session is bound to, or 0
     */
    static Path path(InetAddress local, int sourcePort, InetAddress peer, int destinationPort,
                     int interfaceIndex) {
        // The port of a raw socket's destination must be 0 (or the protocol, for IPv6): the
        // UDP header carries the real one.
        Memory destination = Sockets.sockaddr(peer, 0,
                peer.isLinkLocalAddress() ? interfaceIndex : 0);
        UdpHeaders headers = new UdpHeaders(local, sourcePort, peer, destinationPort);
        return new Path(headers, destination, packetInfo(headers.ipv4, interfaceIndex));
    }

    /**
     * A path below the IP layer for the same headers: no destination until
     * {@link Path#nextHop} names the neighbour.
     */
    static Path linkLayerPath(UdpHeaders headers, NativeRecords.Record record) {
        return new Path(headers, record);
    }

    /** IP_PKTINFO / IPV6_PKTINFO naming the outgoing interface; null without one. */
    private static Memory packetInfo(boolean ipv4, int interfaceIndex) {
        if (interfaceIndex == 0) {
            return null;
        }
        int dataLength = ipv4 ? 12 : 20;
        Memory control = new Memory(CONTROL_SLOT);
        control.clear();
        control.setLong(0, 16 + dataLength);
        control.setInt(8, ipv4 ? Libc.IPPROTO_IP : Libc.IPPROTO_IPV6);
        control.setInt(12, ipv4 ? Libc.IP_PKTINFO : Libc.IPV6_PKTINFO);
        // in_pktinfo: ifindex first; in6_pktinfo: the address (left any) then ifindex.
        control.setInt(ipv4 ? 16 : 32, interfaceIndex);
        return control;
    }

    /**
     * Queues a packet (position to limit, a heap buffer); sends the batch when it is full.
     *
     * @param keep where the standby keeps the session's packets ({@link Standby}), sent from
     *             there; null: from a slot of the batch
     * @param now  the loop's time, for the standby
     */
    void queue(Path path, ByteBuffer packet, Standby.Copy keep, long now) {
        if (keep != null && keep.queued) {
            flush(); // a second packet of the session in one batch: the first goes as it was
        }
        byte[] bytes = scratch;
        int total = path.headers.write(bytes, packet);
        if (linkLayer) {
            UdpHeaders.writeIpv4Checksum(bytes);
        }
        int i = batch.size();
        queuedPaths[i] = path;
        long from;
        if (keep != null) {
            from = keep.keep(bytes, total, fd, path, now);
            keep.queued = true;
            queuedCopies[i] = keep;
        } else {
            from = batch.copyToSlot(bytes, total);
        }
        if (batch.add(from, total, path.destinationAddress, path.destinationLength,
                path.controlAddress, path.controlLength)) {
            flush();
        }
    }

    /** Sends everything queued; what the kernel refuses is counted as a send error. */
    void flush() {
        int queued = batch.size();
        if (queued == 0) {
            return;
        }
        int refused = batch.sendOn(fd);
        sent += queued - refused;
        errors += refused;
        java.util.Arrays.fill(queuedPaths, 0, queued, null);
        for (int i = 0; i < queued; i++) {
            if (queuedCopies[i] != null) {
                queuedCopies[i].queued = false;
                queuedCopies[i] = null;
            }
        }
    }

    long sent() {
        return sent;
    }

    long errors() {
        return errors;
    }

    void close() {
        Sockets.close(fd);
    }
}
