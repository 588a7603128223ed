package org.onosbfd.impl.punt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.onlab.packet.ARP;
import org.onlab.packet.Data;
import org.onlab.packet.Ethernet;
import org.onlab.packet.ICMP6;
import org.onlab.packet.IPv4;
import org.onlab.packet.IPv6;
import org.onlab.packet.Ip4Address;
import org.onlab.packet.Ip6Address;
import org.onlab.packet.MacAddress;
import org.onlab.packet.UDP;
import org.onlab.packet.ndp.NeighborAdvertisement;
import org.onlab.packet.ndp.NeighborSolicitation;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.spi.BfdPacketReceiver;
import org.onosbfd.api.spi.BfdRxMeta;
import org.onosbfd.api.spi.BfdTransmitter;
import org.onosbfd.api.spi.BfdTransport;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.packet.DefaultOutboundPacket;
import org.onosproject.net.packet.InboundPacket;
import org.onosproject.net.packet.PacketContext;
import org.onosproject.net.packet.PacketPriority;
import org.onosproject.net.packet.PacketProcessor;
import org.onosproject.net.packet.PacketService;

/**
 * BFD through switch ports, the way Ryu's bfdlib runs it over OpenFlow: a session's interface is
 * a connect point ("of:0000000000000001/3"); its control packets leave as whole Ethernet frames
 * through {@link PacketService#emit}, and the frames punted to the controller come back through
 * a {@link PacketProcessor}. The controller speaks for the sessions' local addresses on their
 * ports: it answers ARP and IPv6 neighbour solicitations for them, and resolves the peers' MACs
 * itself (ARP, NDP), so a router behind a switch port runs BFD with the controller unchanged.
 *
 * <p>Frames are built and parsed with onlab's packet classes: the punted path allocates per
 * frame, as ONOS's own packet-in path does.
 */
public final class PuntTransport implements BfdTransport, PacketProcessor {
    static final int SINGLE_HOP_PORT = 3784;
    /** RFC 5881 §4: echo packets go to UDP 3785. */
    static final int ECHO_PORT = 3785;
    /** How often an unresolved peer is asked for its MAC, at most. */
    private static final long SOLICIT_INTERVAL_NANOS = 1_000_000_000L;

    /** A neighbour as seen through one port (and VLAN). */
    private static final class Neighbour {
        final SwitchPort port;
        final InetAddress address;

        Neighbour(SwitchPort port, InetAddress address) {
            this.port = port;
            this.address = address;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Neighbour && ((Neighbour) o).port.equals(port)
                    && ((Neighbour) o).address.equals(address);
        }

        @Override
        public int hashCode() {
            return Objects.hash(port, address);
        }
    }

    private final PacketService packets;
    private final ApplicationId appId;
    private final MacAddress mac;
    private final LongSupplier clock;
    private final Predicate<DeviceId> mastered;
    private final List<TrafficSelector> requested = new ArrayList<>();
    /** The addresses this controller speaks for, per port, with how many sessions use each. */
    private final Map<Neighbour, Integer> localAddresses = new ConcurrentHashMap<>();
    /** The peers our sessions talk to, per port, with how many sessions talk to each. */
    private final Map<Neighbour, Integer> peers = new ConcurrentHashMap<>();
    /**
     * The peers' MACs: learnt only for {@link #peers} (so the table is as large as the
     * configuration, whatever arrives from the ports), from neighbour resolution (ARP,
     * neighbour discovery) as a host does, or from a BFD frame while the MAC is still unknown
     * (a session taken over from another instance must send at once, and the answer to its
     * solicitation may have gone to the old master), never re-pointed by one; forgotten when
     * the last session to a peer closes.
     */
    private final Map<Neighbour, MacAddress> neighbourMacs = new ConcurrentHashMap<>();
    private final ThreadLocal<BfdRxMeta> metas = ThreadLocal.withInitial(BfdRxMeta::new);
    private volatile BfdPacketReceiver receiver;
    // Counters: ONOS's packet threads and the BFD event loop both count.
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder unresolvedSends = new LongAdder();
    private final LongAdder solicitations = new LongAdder();
    private final LongAdder neighbourAnswers = new LongAdder();
    private final LongAdder echoSent = new LongAdder();
    private final LongAdder echoReceived = new LongAdder();
    private final LongAdder echoReturned = new LongAdder();

    /**
     * @param mac the MAC address the controller answers and sends with on switch ports
     * @param mastered whether this controller instance masters a device: only the master runs
     *                 the sessions at a device's ports
     */
    public PuntTransport(PacketService packets, ApplicationId appId, MacAddress mac,
                         LongSupplier clock, Predicate<DeviceId> mastered) {
        this.packets = packets;
        this.appId = appId;
        this.mac = mac;
        this.clock = clock;
        this.mastered = mastered;
    }

    /**
     * A device's mastership moved: the service suspends the sessions at ports this instance no
     * longer masters (they stop sending at once) and takes on those it now does.
     */
    public void mastershipChanged() {
        BfdPacketReceiver target = receiver;
        if (target != null) {
            target.carriageChanged();
        }
    }

    @Override
    public String name() {
        return "punt";
    }

    /**
     * BFD frames in and out, control packets not sent for want of the peer's MAC, ARP requests
     * and neighbour solicitations sent, and answers given for the controller's addresses.
     */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("framesReceived", framesReceived.sum());
        counters.put("framesSent", framesSent.sum());
        counters.put("unresolvedSends", unresolvedSends.sum());
        counters.put("solicitationsSent", solicitations.sum());
        counters.put("neighbourAnswers", neighbourAnswers.sum());
        counters.put("neighboursKnown", (long) neighbourMacs.size());
        counters.put("echoSent", echoSent.sum());
        counters.put("echoReceived", echoReceived.sum());
        counters.put("echoReturned", echoReturned.sum());
        return counters;
    }

    /**
     * Single-hop sessions whose interface is a port (optionally a VLAN on it, see
     * {@link SwitchPort}) of a device this instance masters.
     */
    @Override
    public boolean canCarry(BfdPath path) {
        SwitchPort port = path.isMultihop() ? null : SwitchPort.parse(path.interfaceName());
        return port != null && mastered.test(port.connectPoint.deviceId());
    }

    @Override
    public String whyNotCarried(BfdPath path) {
        if (path.isMultihop()) {
            return "multihop sessions do not go through switch ports";
        }
        SwitchPort port = SwitchPort.parse(path.interfaceName());
        return port == null ? (path.interfaceName() == null ? "no switch port given"
                : path.interfaceName() + " is not a switch port (device/port, as "
                        + "of:0000000000000001/3)")
                : "this controller instance is not the master of "
                        + port.connectPoint.deviceId();
    }

    @Override
    public synchronized void start(BfdPacketReceiver packetReceiver) {
        this.receiver = packetReceiver;
        packets.addProcessor(this, PacketProcessor.director(1));
        for (int udpPort : new int[] {SINGLE_HOP_PORT, ECHO_PORT}) {
            requested.add(DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4)
                    .matchIPProtocol(IPv4.PROTOCOL_UDP)
                    .matchUdpDst(org.onlab.packet.TpPort.tpPort(udpPort)).build());
            requested.add(DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV6)
                    .matchIPProtocol(IPv6.PROTOCOL_UDP)
                    .matchUdpDst(org.onlab.packet.TpPort.tpPort(udpPort)).build());
        }
        requested.add(DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_ARP).build());
        requested.add(DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV6)
                .matchIPProtocol(IPv6.PROTOCOL_ICMP6)
                .matchIcmpv6Type(ICMP6.NEIGHBOR_SOLICITATION).build());
        requested.add(DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV6)
                .matchIPProtocol(IPv6.PROTOCOL_ICMP6)
                .matchIcmpv6Type(ICMP6.NEIGHBOR_ADVERTISEMENT).build());
        requested.forEach(s -> packets.requestPackets(s, PacketPriority.CONTROL, appId));
    }

    /** Withdraws the processor and every packet request it made. */
    @Override
    public synchronized void stop() {
        packets.removeProcessor(this);
        requested.forEach(s -> packets.cancelPackets(s, PacketPriority.CONTROL, appId));
        requested.clear();
        receiver = null;
    }

    @Override
    public BfdTransmitter open(BfdPath path) {
        SwitchPort port = SwitchPort.parse(path.interfaceName());
        Neighbour local = new Neighbour(port, path.localAddress());
        localAddresses.merge(local, 1, Integer::sum);
        return new Transmitter(path, port, local);
    }

    private boolean speaksFor(SwitchPort port, InetAddress address) {
        return localAddresses.containsKey(new Neighbour(port, address));
    }

    /** Notes a peer's MAC if a session of ours talks to that peer on that port. */
    private void learn(SwitchPort port, InetAddress address, MacAddress neighbourMac) {
        Neighbour neighbour = new Neighbour(port, address);
        if (peers.containsKey(neighbour)) {
            neighbourMacs.put(neighbour, neighbourMac);
        }
    }

    // ---------------------------------------------------------------- receive (ONOS's threads)

    @Override
    public void process(PacketContext context) {
        if (context.isHandled()) {
            return;
        }
        InboundPacket in = context.inPacket();
        Ethernet frame = in.parsed();
        if (frame == null) {
            return;
        }
        SwitchPort port = SwitchPort.of(in.receivedFrom(), frame);
        boolean ours;
        if (frame.getEtherType() == Ethernet.TYPE_ARP) {
            ours = arp(port, frame);
        } else if (frame.getEtherType() == Ethernet.TYPE_IPV4) {
            IPv4 ip = (IPv4) frame.getPayload();
            ours = ip.getProtocol() == IPv4.PROTOCOL_UDP && udp(port, frame,
                    address(IPv4.toIPv4AddressBytes(ip.getSourceAddress())),
                    address(IPv4.toIPv4AddressBytes(ip.getDestinationAddress())),
                    ip.getTtl() & 0xFF, (UDP) ip.getPayload());
        } else if (frame.getEtherType() == Ethernet.TYPE_IPV6) {
            ours = ipv6(port, frame, (IPv6) frame.getPayload());
        } else {
            ours = false;
        }
        if (ours) {
            context.block();
        }
    }

    private boolean arp(SwitchPort port, Ethernet frame) {
        ARP arp = (ARP) frame.getPayload();
        InetAddress sender = address(arp.getSenderProtocolAddress());
        InetAddress target = address(arp.getTargetProtocolAddress());
        if (!speaksFor(port, target)) {
            return false;
        }
        learn(port, sender, MacAddress.valueOf(arp.getSenderHardwareAddress()));
        if (arp.getOpCode() == ARP.OP_REQUEST) {
            emit(port, ARP.buildArpReply(Ip4Address.valueOf(target), mac, frame).serialize());
            neighbourAnswers.increment();
        }
        return true;
    }

    private boolean ipv6(SwitchPort port, Ethernet frame, IPv6 ip) {
        InetAddress source = address(ip.getSourceAddress());
        if (ip.getNextHeader() == IPv6.PROTOCOL_UDP) {
            return udp(port, frame, source, address(ip.getDestinationAddress()),
                    ip.getHopLimit() & 0xFF, (UDP) ip.getPayload());
        }
        if (ip.getNextHeader() != IPv6.PROTOCOL_ICMP6) {
            return false;
        }
        ICMP6 icmp = (ICMP6) ip.getPayload();
        if (icmp.getIcmpType() == ICMP6.NEIGHBOR_SOLICITATION) {
            InetAddress target = address(((NeighborSolicitation) icmp.getPayload()).getTargetAddress());
            if (!speaksFor(port, target)) {
                return false;
            }
            if (!source.isAnyLocalAddress()) {
                learn(port, source, frame.getSourceMAC());
            }
            Ethernet advertisement = NeighborAdvertisement.buildNdpAdv(
                    Ip6Address.valueOf(target.getAddress()), mac, frame);
            // onlab sends advertisements with hop limit 85; RFC 4861 §7.1.2 makes hosts drop
            // every one not sent with 255 (found against Linux: FRR's kernel never resolved us).
            ((IPv6) advertisement.getPayload()).setHopLimit((byte) 255);
            emit(port, advertisement.serialize());
            neighbourAnswers.increment();
            return true;
        }
        if (icmp.getIcmpType() == ICMP6.NEIGHBOR_ADVERTISEMENT) {
            InetAddress target = address(((NeighborAdvertisement) icmp.getPayload())
                    .getTargetAddress());
            if (!speaksFor(port, address(ip.getDestinationAddress()))) {
                return false;
            }
            learn(port, target, frame.getSourceMAC());
            return true;
        }
        return false;
    }

    private boolean udp(SwitchPort port, Ethernet frame, InetAddress source,
                        InetAddress destination, int ttl, UDP udp) {
        if (udp.getDestinationPort() == ECHO_PORT) {
            return echo(port, frame, source, destination, ttl, udp);
        }
        if (udp.getDestinationPort() != SINGLE_HOP_PORT || !speaksFor(port, destination)) {
            return false;
        }
        Neighbour sender = new Neighbour(port, source);
        if (peers.containsKey(sender)) {
            neighbourMacs.putIfAbsent(sender, frame.getSourceMAC());
        }
        BfdPacketReceiver target = receiver;
        if (target != null && udp.getPayload() instanceof Data) {
            framesReceived.increment();
            byte[] payload = ((Data) udp.getPayload()).getData();
            BfdRxMeta meta = metas.get().set(source.getAddress(), destination.getAddress(),
                    port.toString(), ttl, false);
            target.controlPacket(ByteBuffer.wrap(payload), meta);
        }
        return true;
    }

    /**
     * RFC 5880 §6.4, RFC 5881 §4: an echo packet is addressed to its sender itself, so that the
     * other system's forwarding plane sends it back. Ours (to an address we speak for) came
     * back: the path works. A peer's (to its own address, through our MAC) is looped back out
     * of the port it came in on, as a router's forwarding would.
     */
    private boolean echo(SwitchPort port, Ethernet frame, InetAddress source,
                         InetAddress destination, int ttl, UDP udp) {
        if (speaksFor(port, destination)) {
            BfdPacketReceiver target = receiver;
            if (target != null && udp.getPayload() instanceof Data) {
                echoReceived.increment();
                BfdRxMeta meta = metas.get().set(source.getAddress(), destination.getAddress(),
                        port.toString(), ttl, false);
                target.echoPacket(ByteBuffer.wrap(((Data) udp.getPayload()).getData()), meta);
            }
            return true;
        }
        if (!destination.equals(source) || !peers.containsKey(new Neighbour(port, source))) {
            return false; // only our peers' own echo packets are looped
        }
        if (ttl <= 1) {
            return true; // a forwarding plane would drop it too
        }
        Ethernet looped = (Ethernet) frame.duplicate();
        looped.setSourceMACAddress(mac).setDestinationMACAddress(frame.getSourceMAC());
        // Forwarded, as a router's forwarding plane would: one hop less (FRR accepts its echo
        // back only with TTL 254), the IPv4 header checksum recomputed.
        if (looped.getPayload() instanceof IPv4) {
            IPv4 ip = (IPv4) looped.getPayload();
            ip.setTtl((byte) (ttl - 1));
            ip.resetChecksum();
        } else {
            ((IPv6) looped.getPayload()).setHopLimit((byte) (ttl - 1));
        }
        emit(port, looped.serialize());
        echoReturned.increment();
        return true;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }

    private void emit(SwitchPort port, byte[] frame) {
        packets.emit(new DefaultOutboundPacket(port.connectPoint.deviceId(),
                DefaultTrafficTreatment.builder().setOutput(port.connectPoint.port()).build(),
                ByteBuffer.wrap(frame)));
    }

    // ---------------------------------------------------------------- send (the event loop)

    /** One session's frames out of its port. */
    private final class Transmitter implements BfdTransmitter {
        private final BfdPath path;
        private final SwitchPort port;
        private final Neighbour local;
        private final Neighbour peer;
        /** RFC 5881 §4: a source port in 49152-65535, the session's for its life. */
        private final int sourcePort = 49152 + ThreadLocalRandom.current().nextInt(16384);
        private long lastSolicit = Long.MIN_VALUE / 2;
        private boolean closed;

        Transmitter(BfdPath path, SwitchPort port, Neighbour local) {
            this.path = path;
            this.port = port;
            this.local = local;
            this.peer = new Neighbour(port, path.peerAddress());
            peers.merge(peer, 1, Integer::sum);
            if (!neighbourMacs.containsKey(peer)) {
                // Ask at once: a session taken over from another instance is Up and must not
                // spend its first packets waiting for the peer's MAC.
                solicit();
            }
        }

        @Override
        public void send(ByteBuffer packet) {
            if (closed) {
                return;
            }
            MacAddress peerMac = neighbourMacs.get(peer);
            if (peerMac == null) {
                // Not sent: the peer's MAC is not known yet. Ask, as a host would.
                unresolvedSends.increment();
                solicit();
                return;
            }
            emit(port, PuntedFrames.control(mac, peerMac, port.vlan, path.localAddress(),
                    path.peerAddress(), sourcePort, SINGLE_HOP_PORT, packet));
            framesSent.increment();
        }

        /** Our echo packet, to the peer's MAC and back to our own address (RFC 5881 §4). */
        @Override
        public boolean sendEcho(ByteBuffer packet) {
            MacAddress peerMac = neighbourMacs.get(peer);
            if (!closed && peerMac != null) {
                emit(port, PuntedFrames.control(mac, peerMac, port.vlan, path.localAddress(),
                        path.localAddress(), sourcePort, ECHO_PORT, packet));
                echoSent.increment();
            }
            return true; // an echo lost for want of the MAC counts as lost: the path is unknown
        }

        /** The peer's echo packets come back: {@link #echo} loops them. */
        @Override
        public boolean returnsEcho() {
            return true;
        }

        /** ARP or a neighbour solicitation for the peer, at most once a second. */
        private void solicit() {
            long now = clock.getAsLong();
            if (now - lastSolicit < SOLICIT_INTERVAL_NANOS) {
                return;
            }
            lastSolicit = now;
            solicitations.increment();
            if (path.isIpv4()) {
                emit(port, ARP.buildArpRequest(mac.toBytes(), path.localAddress().getAddress(),
                        path.peerAddress().getAddress(), port.vlan.toShort()).serialize());
            } else {
                Ip6Address target = Ip6Address.valueOf(path.peerAddress().getAddress());
                byte[] solicited = new byte[] {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                    (byte) 0xff, target.toOctets()[13], target.toOctets()[14],
                    target.toOctets()[15]};
                emit(port, NeighborSolicitation.buildNdpSolicit(target,
                        Ip6Address.valueOf(path.localAddress().getAddress()),
                        Ip6Address.valueOf(solicited), mac,
                        MacAddress.valueOf(new byte[] {0x33, 0x33, (byte) 0xff,
                            solicited[13], solicited[14], solicited[15]}),
                        port.vlan).serialize());
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                localAddresses.computeIfPresent(local, (k, n) -> n == 1 ? null : n - 1);
                if (peers.computeIfPresent(peer, (k, n) -> n == 1 ? null : n - 1) == null) {
                    neighbourMacs.remove(peer);
                }
            }
        }
    }
}
