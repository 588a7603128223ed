package org.onosbfd.impl.udp;

import com.sun.jna.Memory;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our echo packets from the host (RFC 5880 §6.4, RFC 5881 §4): addressed to our own address,
 * so that the peer's forwarding plane returns them, they cannot go through the IP stack (it
 * would deliver them locally); they leave through an {@code AF_PACKET} socket to the peer's MAC,
 * taken from the kernel's neighbour table (the control packets made the kernel resolve it).
 * IPv4 single hop, as FRR's echo. They come back from our own address, which Linux takes only
 * with {@code net.ipv4.conf.<interface>.accept_local=1}: without it, the interface carries no
 * echo (said once in the log). The peer's echo packets are returned by the kernel's forwarding:
 * a session advertises echo reception only where forwarding is on ({@link Route#returnsEcho}).
 * Event-loop thread only.
 */
final class EchoSender {
    private static final Logger log = LoggerFactory.getLogger(EchoSender.class);
    private static final int AF_PACKET = 17;
    private static final int ETH_P_IP = 0x0800;
    private static final int SOCKADDR_LL_SIZE = 20;
    /** RFC 5881 §4. */
    private static final int ECHO_PORT = 3785;
    private static final int MAX_PACKET = 128;
    /** How often a peer's MAC missing from the neighbour table is looked up again. */
    private static final long LOOKUP_INTERVAL_NANOS = 1_000_000_000L;
    private static final Path NEIGHBOURS = Path.of("/proc/net/arp");
    /** How long an interface's echo settings are believed. */
    private static final long RECHECK_NANOS = 5_000_000_000L;

    private final int fd;
    private final LongSupplier clock;
    private final byte[] scratch = new byte[MAX_PACKET];
    private final Memory packet = new Memory(MAX_PACKET);
    private final Memory address = new Memory(SOCKADDR_LL_SIZE);
    /** Interfaces by session interface name or local address, as last looked up. */
    private final java.util.Map<String, Device> devices = new java.util.HashMap<>();
    /** Interfaces reported as taking no echo, so that it is said once. */
    private final java.util.Set<String> refused = new java.util.HashSet<>();
    private long sent;
    private long unresolved;

    private EchoSender(int fd, LongSupplier clock) {
        this.fd = fd;
        this.clock = clock;
    }

    /** Needs CAP_NET_RAW (root). */
    static EchoSender open(LongSupplier clock) throws IOException {
        try {
            // Protocol 0: the socket receives nothing (packet(7)); each send names its EtherType.
            int fd = Libc.socket(AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK
                    | Libc.SOCK_CLOEXEC, 0);
            return new EchoSender(fd, clock);
        } catch (com.sun.jna.LastErrorException e) {
            throw new IOException("AF_PACKET socket: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 1 ? " (needs CAP_NET_RAW)" : ""), e);
        }
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
        private final String peer;
        private final int interfaceIndex;
        private final String interfaceName;
        /** The kernel returns the peer's echo packets only while it forwards. */
        final boolean returnsEcho;
        private byte[] peerMac;
        private long lastLookup = Long.MIN_VALUE / 2;

        Route(BfdPath path, Device device, int sourcePort) {
            this.headers = new UdpHeaders(path.localAddress(), sourcePort, path.localAddress(),
                    ECHO_PORT);
            this.peer = path.peerAddress().getHostAddress();
            this.interfaceIndex = device.index;
            this.interfaceName = device.name;
            this.returnsEcho = device.forwards;
        }

        /**
         * Sends one echo packet (payload from position to limit, a heap buffer of the core's
         * few bytes); true even when the peer's
         * MAC is not known yet: that packet is lost, as any other, and echo detection counts.
         */
        boolean send(ByteBuffer payload) {
            if (peerMac == null && clock.getAsLong() - lastLookup >= LOOKUP_INTERVAL_NANOS) {
                lastLookup = clock.getAsLong();
                peerMac = neighbourMac(peer, interfaceName);
            }
            if (peerMac == null) {
                unresolved++;
                return true;
            }
            int length = headers.write(scratch, payload);
            // Below the IP layer: the IPv4 header checksum is ours to write too.
            UdpHeaders.writeIpv4Checksum(scratch);
            packet.write(0, scratch, 0, length);
            address.clear();
            address.setShort(0, (short) AF_PACKET);
            address.setShort(2, Short.reverseBytes((short) ETH_P_IP));
            address.setInt(4, interfaceIndex);
            address.setByte(11, (byte) 6);
            address.write(12, peerMac, 0, 6);
            if (Libc.sendto(fd, packet, length, Libc.MSG_DONTWAIT, address,
                    SOCKADDR_LL_SIZE) >= 0) {
                sent++;
            }
            return true;
        }
    }

    /** The peer's MAC from the kernel's neighbour table, or null while unresolved. */
    private static byte[] neighbourMac(String peer, String device) {
        try {
            List<String> lines = Files.readAllLines(NEIGHBOURS, StandardCharsets.US_ASCII);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // IP address, HW type, Flags (0x2: complete), HW address, Mask, Device
                if (f.length >= 6 && f[0].equals(peer) && f[5].equals(device)
                        && (Integer.decode(f[2]) & 0x2) != 0) {
                    byte[] mac = new byte[6];
                    String[] octets = f[3].split(":");
                    for (int i = 0; i < 6; i++) {
                        mac[i] = (byte) Integer.parseInt(octets[i], 16);
                    }
                    return mac;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** True when {@code net.ipv4.conf.<device>.<name>} is 1. */
    private static boolean sysctl(String device, String name) {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/conf", device, name))
                    .trim().equals("1");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
