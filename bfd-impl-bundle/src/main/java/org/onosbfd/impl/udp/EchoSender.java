package org.onosbfd.impl.udp;

import com.sun.jna.Memory;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdPath;
import org.onosbfd.impl.runtime.Sysctl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our echo packets from the host (RFC 5880 §6.4, RFC 5881 §4): addressed to our own address,
 * so that the peer's forwarding plane returns them, they cannot go through the IP stack (it
 * would deliver them locally); they leave below it ({@link LinkLayer}) to the peer's MAC, taken
 * from the kernel's neighbour table (the control packets made the kernel resolve it).
 * IPv4 single hop, as FRR's echo. They come back from our own address, which Linux takes only
 * with {@code net.ipv4.conf.<interface>.accept_local=1}: without it, the interface carries no
 * echo (said once in the log). The peer's echo packets are returned by the kernel's forwarding:
 * a session advertises echo reception only where forwarding is on ({@link Route#returnsEcho}).
 * Event-loop thread only.
 */
final class EchoSender {
    private static final Logger log = LoggerFactory.getLogger(EchoSender.class);
    /** RFC 5881 §4. */
    private static final int ECHO_PORT = 3785;
    private static final int MAX_PACKET = 128;
    /** How long an interface's echo settings are believed. */
    private static final long RECHECK_NANOS = 5_000_000_000L;

    private final int fd;
    private final LongSupplier clock;
    private final NeighbourTable neighbours;
    private final byte[] scratch = new byte[MAX_PACKET];
    private final Memory packet = new Memory(MAX_PACKET);
    private final Memory address = LinkLayer.newAddress();
    /** The same memory as a buffer, made once: writing it then allocates nothing a packet. */
    private final ByteBuffer addressFields = address.getByteBuffer(0, LinkLayer.ADDRESS_SIZE)
            .order(ByteOrder.nativeOrder());
    /** Interfaces by session interface name or local address, as last looked up. */
    private final java.util.Map<String, Device> devices = new java.util.HashMap<>();
    /** Interfaces reported as taking no echo, so that it is said once. */
    private final java.util.Set<String> refused = new java.util.HashSet<>();
    private long sent;
    private long unresolved;

    private EchoSender(int fd, LongSupplier clock, NeighbourTable neighbours) {
        this.fd = fd;
        this.clock = clock;
        this.neighbours = neighbours;
    }

    /** Needs CAP_NET_RAW (root). */
    static EchoSender open(LongSupplier clock, NeighbourTable neighbours) throws IOException {
        return new EchoSender(LinkLayer.open(), clock, neighbours);
    }

    /**
     * One session's way out for echo; null when echo cannot go this way (IPv6, multihop, an
     * interface that would drop our echo coming back). Interfaces are looked up at most every
     * {@value #RECHECK_NANOS} ns per local address or interface name: thousands of sessions
     * open without thousands of interface enumerations on the loop, and a sysctl changed by
     * the operator counts for the sessions opened after it.
     */
    Route route(BfdPath path, int sourcePort) {
        if (!path.isIpv4() || path.isMultihop()) {
            return null;
        }
        String key = path.interfaceName() != null ? path.interfaceName()
                : path.localAddress().getHostAddress();
        long now = clock.getAsLong();
        Device device = devices.get(key);
        if (device == null || now - device.checkedAt > RECHECK_NANOS) {
            device = lookUp(path, now);
            devices.put(key, device);
        }
        return device.index == 0 ? null : new Route(path, device, sourcePort);
    }

    /**
     * The interface a session's echo leaves by, with what the kernel will do with echo; index 0
     * when echo cannot go there.
     */
    private Device lookUp(BfdPath path, long now) {
        try {
            NetworkInterface device = path.interfaceName() != null
                    ? NetworkInterface.getByName(path.interfaceName())
                    : NetworkInterface.getByInetAddress(path.localAddress());
            if (device == null) {
                return new Device(0, null, false, now);
            }
            if (!sysctl(device.getName(), "accept_local")) {
                if (refused.add(device.getName())) {
                    log.info("BFD: no echo on {}: our echo packets come back from our own "
                            + "address, dropped unless net.ipv4.conf.{}.accept_local=1",
                            device.getName(), device.getName());
                }
                return new Device(0, device.getName(), false, now);
            }
            refused.remove(device.getName());
            return new Device(device.getIndex(), device.getName(),
                    sysctl(device.getName(), "forwarding"), now);
        } catch (SocketException e) {
            return new Device(0, null, false, now);
        }
    }

    /** An interface as echo sees it. */
    private static final class Device {
        final int index;
        final String name;
        /** The kernel returns the peer's echo packets only while it forwards. */
        final boolean forwards;
        final long checkedAt;

        Device(int index, String name, boolean forwards, long checkedAt) {
            this.index = index;
            this.name = name;
            this.forwards = forwards;
            this.checkedAt = checkedAt;
        }
    }

    long sent() {
        return sent;
    }

    long unresolved() {
        return unresolved;
    }

    void close() {
        Sockets.close(fd);
    }

    /** Where one session's echo packets go. */
    final class Route {
        /** RFC 5881 §4: from our address to our address, through the peer. */
        private final UdpHeaders headers;
        private final NeighbourTable.Lookup peer;
        private final int interfaceIndex;
        /** The kernel returns the peer's echo packets only while it forwards. */
        final boolean returnsEcho;

        Route(BfdPath path, Device device, int sourcePort) {
            this.headers = new UdpHeaders(path.localAddress(), sourcePort, path.localAddress(),
                    ECHO_PORT);
            this.peer = neighbours.lookup(path.peerAddress().getHostAddress(), device.name);
            this.interfaceIndex = device.index;
            this.returnsEcho = device.forwards;
        }

        /**
         * Sends one echo packet (payload from position to limit, a heap buffer of the core's
         * few bytes); true even when the peer's
         * MAC is not known yet: that packet is lost, as any other, and echo detection counts.
         */
        boolean send(ByteBuffer payload) {
            NeighbourTable.Neighbour neighbour = peer.current();
            if (neighbour == null) {
                unresolved++;
                return true;
            }
            int length = headers.write(scratch, payload);
            // Below the IP layer: the IPv4 header checksum is ours to write too.
            UdpHeaders.writeIpv4Checksum(scratch);
            packet.write(0, scratch, 0, length);
            LinkLayer.address(addressFields, 0, interfaceIndex, neighbour.mac);
            if (Libc.sendto(fd, packet, length, Libc.MSG_DONTWAIT, address,
                    LinkLayer.ADDRESS_SIZE) >= 0) {
                sent++;
            }
            return true;
        }
    }

    /** True when {@code net.ipv4.conf.<device>.<name>} is 1. */
    private static boolean sysctl(String device, String name) {
        return "1".equals(Sysctl.read("net", "ipv4", "conf", device, name));
    }
}
