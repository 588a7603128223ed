package org.onosbfd.impl.punt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.punt.PuntedController.MS;
import static org.onosbfd.impl.punt.PuntedController.address;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.onlab.packet.ARP;
import org.onlab.packet.Ethernet;
import org.onlab.packet.ICMP6;
import org.onlab.packet.IPv4;
import org.onlab.packet.IPv6;
import org.onlab.packet.MacAddress;
import org.onlab.packet.UDP;
import org.onlab.packet.VlanId;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.manager.BfdManager;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.packet.DefaultInboundPacket;
import org.onosproject.net.packet.PacketContextAdapter;

/**
 * The punted transport in an emulated two-switch network: the controller runs both ends of a
 * session pair through ports of1/1 and of2/1, joined by a link, resolving each side's MAC with
 * ARP (IPv4) or neighbour discovery (IPv6), on a fake clock.
 */
class PuntTransportTest {
    private static final ConnectPoint ONE = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final ConnectPoint TWO = ConnectPoint.deviceConnectPoint("of:0000000000000002/1");

    private final EmulatedNetwork network = new EmulatedNetwork();
    private final PuntedController controller = new PuntedController(network);
    private final BfdManager manager = controller.manager;
    private final PuntTransport transport = controller.transport;

    PuntTransportTest() {
        network.link(ONE, TWO);
    }

    private long session(ConnectPoint port, String local, String peer) {
        return manager.addSession(BfdSessionConfig.builder().interfaceName(port.toString())
                .localAddress(address(local)).peerAddress(address(peer))
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000).build()).id();
    }

    private void runFor(long nanos) {
        controller.runFor(nanos);
    }

    private BfdSession get(long id) {
        return controller.session(id);
    }

    private void upCutRestore(String localOne, String localTwo) {
        long a = session(ONE, localOne, localTwo);
        long b = session(TWO, localTwo, localOne);
        assertEquals("punt", get(a).transport());
        runFor(3000 * MS);
        assertEquals(BfdState.UP, get(a).state());
        assertEquals(BfdState.UP, get(b).state());

        network.up = false;
        long cut = controller.now();
        runFor(1000 * MS);
        assertEquals(BfdState.DOWN, get(a).state());
        assertEquals(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED, get(a).localDiagnostic());
        long detectedAfter = controller.lastStateChange(get(a)) - cut;
        assertTrue(detectedAfter <= 150 * MS, "detected " + detectedAfter / MS + " ms after the cut");

        network.up = true;
        runFor(3000 * MS);
        assertEquals(BfdState.UP, get(a).state());
        assertEquals(BfdState.UP, get(b).state());
    }

    /**
     * RFC 5880 §6.4 through switch ports: each side's echo packets, addressed to itself, are
     * looped back by the other side, and a cut is found by echo within its own detection time
     * while control packets run at 300 ms.
     */
    @Test
    void echoPacketsGoOutAreLoopedBackAndFindACut() {
        long[] ids = new long[2];
        String[][] ends = {{ONE.toString(), "10.0.0.1", "10.0.0.2"},
            {TWO.toString(), "10.0.0.2", "10.0.0.1"}};
        for (int i = 0; i < 2; i++) {
            ids[i] = manager.addSession(BfdSessionConfig.builder().interfaceName(ends[i][0])
                    .localAddress(address(ends[i][1])).peerAddress(address(ends[i][2]))
                    .desiredMinTxInterval(300_000).requiredMinRxInterval(300_000)
                    .desiredMinEchoTxInterval(20_000).requiredMinEchoRxInterval(20_000).build())
                    .id();
        }
        runFor(5000 * MS);
        assertEquals(BfdState.UP, get(ids[0]).state());
        assertEquals(20_000, get(ids[0]).remoteRequiredMinEchoRxInterval(),
                "echo reception advertised: the punted path returns echo");
        Map<String, Long> counters = transport.counters();
        assertTrue(counters.get("echoSent") > 100 && counters.get("echoReturned") > 100
                && counters.get("echoReceived") > 100, counters.toString());
        Ethernet echo = network.emitted.stream().filter(f -> f.getEtherType() == Ethernet.TYPE_IPV4
                && ((UDP) ((IPv4) f.getPayload()).getPayload()).getDestinationPort() == 3785)
                .findFirst().orElseThrow();
        IPv4 ip = (IPv4) echo.getPayload();
        assertEquals(ip.getSourceAddress(), ip.getDestinationAddress(), "addressed to itself");

        network.up = false;
        long cut = controller.now();
        runFor(500 * MS);
        assertEquals(BfdState.DOWN, get(ids[0]).state());
        assertEquals(BfdDiagnostic.ECHO_FUNCTION_FAILED, get(ids[0]).localDiagnostic());
        long detectedAfter = controller.lastStateChange(get(ids[0])) - cut;
        assertTrue(detectedAfter <= 60 * MS, "echo found the cut " + detectedAfter / MS
                + " ms after it (3 × 20 ms); control would take 900 ms");
    }

    @Test
    void ipv4SessionPairComesUpAfterArpDetectsACutAndRecovers() {
        upCutRestore("10.0.0.1", "10.0.0.2");
        // ARP in both directions answered by the controller for its own addresses.
        assertTrue(network.emitted.stream().anyMatch(f -> f.getEtherType() == Ethernet.TYPE_ARP));
        // Control frames: IPv4, TTL 255, UDP 3784 from 49152-65535, the controller's MAC.
        Ethernet control = network.emitted.stream()
                .filter(f -> f.getEtherType() == Ethernet.TYPE_IPV4).reduce((x, y) -> y)
                .orElseThrow();
        IPv4 ip = (IPv4) control.getPayload();
        UDP udp = (UDP) ip.getPayload();
        assertEquals(255, ip.getTtl() & 0xFF);
        assertEquals(0xC0, ip.getDiffServ() & 0xFF);
        assertEquals(3784, udp.getDestinationPort());
        assertTrue(udp.getSourcePort() >= 49152);
        assertEquals(PuntedController.MAC, control.getSourceMAC());
        // The transport's own counters, as bfd:stats shows them.
        Map<String, Long> punt = manager.statistics().transports().get("punt");
        assertEquals(transport.counters(), punt);
        assertTrue(punt.get("framesSent") > 100 && punt.get("framesReceived") > 100, punt.toString());
        // Each end asks as it opens; the second's request is answered, and teaches the first.
        assertEquals(2, punt.get("solicitationsSent"), punt.toString());
        assertEquals(1, punt.get("neighbourAnswers"), punt.toString());
        assertEquals(0, punt.get("unresolvedSends"), "resolved before the first packet: " + punt);
    }

    @Test
    void ipv6SessionPairComesUpAfterNeighbourDiscovery() {
        upCutRestore("fd00::1", "fd00::2");
        Ethernet control = network.emitted.stream()
                .filter(f -> f.getEtherType() == Ethernet.TYPE_IPV6
                        && ((IPv6) f.getPayload()).getNextHeader() == IPv6.PROTOCOL_UDP)
                .reduce((x, y) -> y).orElseThrow();
        assertEquals(255, ((IPv6) control.getPayload()).getHopLimit() & 0xFF);
        // RFC 4861 §7.1.2: neighbour discovery is sent with hop limit 255, or hosts drop it.
        List<IPv6> discovery = network.emitted.stream()
                .filter(f -> f.getEtherType() == Ethernet.TYPE_IPV6
                        && ((IPv6) f.getPayload()).getNextHeader() == IPv6.PROTOCOL_ICMP6)
                .map(f -> (IPv6) f.getPayload()).collect(Collectors.toList());
        assertTrue(discovery.stream().anyMatch(ip -> ((ICMP6) ip.getPayload()).getIcmpType()
                == ICMP6.NEIGHBOR_ADVERTISEMENT));
        discovery.forEach(ip -> assertEquals(255, ip.getHopLimit() & 0xFF));
    }

    @Test
    void sessionsOnAVlanAndUntaggedOnTheSamePortsAndAddressesRunApart() {
        long tagged = manager.addSession(BfdSessionConfig.builder().interfaceName(ONE + ".100")
                .localAddress(address("10.0.0.1")).peerAddress(address("10.0.0.2"))
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000).build()).id();
        manager.addSession(BfdSessionConfig.builder().interfaceName(TWO + ".100")
                .localAddress(address("10.0.0.2")).peerAddress(address("10.0.0.1"))
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000).build());
        long untagged = session(ONE, "10.0.0.1", "10.0.0.2");
        runFor(3000 * MS);
        assertEquals(BfdState.UP, get(tagged).state());
        assertEquals(BfdState.DOWN, get(untagged).state(), "no untagged peer on the link");
        Ethernet control = network.emitted.stream()
                .filter(f -> f.getEtherType() == Ethernet.TYPE_IPV4 && f.getVlanID() == 100)
                .findFirst().orElseThrow();
        assertEquals(255, ((IPv4) control.getPayload()).getTtl() & 0xFF);
        assertTrue(network.emitted.stream().anyMatch(f -> f.getEtherType() == Ethernet.TYPE_ARP
                && f.getVlanID() == 100), "ARP on the VLAN");
        // A priority-tagged frame (VLAN ID 0) belongs to the untagged port.
        int before = network.emitted.size();
        Ethernet priorityTagged = ARP.buildArpRequest(
                MacAddress.valueOf("02:00:00:00:00:99").toBytes(), address("10.0.0.2").getAddress(),
                address("10.0.0.1").getAddress(), VlanId.NO_VID);
        transport.process(new PacketContextAdapter(0, new DefaultInboundPacket(ONE,
                priorityTagged, ByteBuffer.wrap(priorityTagged.serialize())), null, false));
        assertEquals(ARP.OP_REPLY, ((ARP) network.emitted.get(before).getPayload()).getOpCode());
        assertFalse(transport.canCarry(BfdSessionConfig.builder().interfaceName(ONE + ".4095")
                .localAddress(address("10.0.0.1")).peerAddress(address("10.0.0.2")).build()
                .path()), "VLAN 4095 is reserved");
    }

    private void inject(Ethernet frame) {
        inject(frame.serialize());
    }

    private void inject(byte[] bytes) {
        try {
            Ethernet frame = Ethernet.deserializer().deserialize(bytes, 0, bytes.length);
            transport.process(new PacketContextAdapter(0, new DefaultInboundPacket(ONE, frame,
                    ByteBuffer.wrap(bytes)), null, false));
        } catch (org.onlab.packet.DeserializationException e) {
            throw new AssertionError(e);
        }
    }

    private long neighboursKnown() {
        return transport.counters().get("neighboursKnown");
    }

    @Test
    void onlyThePeersOfSessionsAreLearntAndASpoofedSourceCannotGrowTheTable() {
        long a = session(ONE, "10.0.0.1", "10.0.0.2");
        session(TWO, "10.0.0.2", "10.0.0.1");
        runFor(3000 * MS);
        assertEquals(BfdState.UP, get(a).state());
        assertEquals(2, neighboursKnown(), "each end knows its peer");
        MacAddress attacker = MacAddress.valueOf("02:00:00:00:66:66");
        for (int i = 0; i < 1000; i++) {
            byte[] source = address("10.1." + (i >> 8) + "." + (i & 0xFF)).getAddress();
            // ARP for our address, and BFD frames to it, from sources no session talks to.
            inject(ARP.buildArpRequest(attacker.toBytes(), source,
                    address("10.0.0.1").getAddress(), VlanId.NO_VID));
            inject(PuntedFrames.control(attacker, MacAddress.valueOf("02:00:00:00:00:01"),
                    VlanId.NONE, address("10.1." + (i >> 8) + "." + (i & 0xFF)),
                    address("10.0.0.1"), 49152, 3784, ByteBuffer.wrap(new byte[24])));
        }
        assertEquals(2, neighboursKnown(), "nothing learnt from strangers");
        // A BFD frame claiming the peer's address does not re-point its MAC: only neighbour
        // resolution does, as on a host.
        inject(PuntedFrames.control(attacker, MacAddress.valueOf("02:00:00:00:00:01"),
                VlanId.NONE, address("10.0.0.2"), address("10.0.0.1"), 49152, 3784,
                ByteBuffer.wrap(new byte[24])));
        int before = network.emitted.size();
        runFor(500 * MS);
        assertTrue(network.emitted.subList(before, network.emitted.size()).stream()
                .filter(f -> f.getEtherType() == Ethernet.TYPE_IPV4)
                .noneMatch(f -> f.getDestinationMAC().equals(attacker)),
                "no BFD frame of ours went to the spoofer");
        manager.sessions().forEach(s -> manager.removeSession(s.id()));
        assertEquals(0, neighboursKnown(), "forgotten with the last session to each peer");
    }

    @Test
    void requestsAndTheProcessorAreWithdrawnWhenTheTransportGoes() {
        assertEquals(1, network.processors());
        assertEquals(7, network.requests, "UDP 3784 and 3785, IPv4 and IPv6; ARP; NS; NA");
        manager.unbindTransport(transport);
        assertEquals(0, network.processors());
        assertEquals(0, network.requests);
    }

    @Test
    void onlyConnectPointsAreCarried() {
        assertTrue(transport.canCarry(BfdSessionConfig.builder().interfaceName(ONE.toString())
                .localAddress(address("10.0.0.1")).peerAddress(address("10.0.0.2")).build().path()));
        BfdPath eth0 = BfdSessionConfig.builder().interfaceName("eth0")
                .localAddress(address("10.0.0.1")).peerAddress(address("10.0.0.2")).build().path();
        assertFalse(transport.canCarry(eth0));
        assertEquals("eth0 is not a switch port (device/port, as of:0000000000000001/3)",
                transport.whyNotCarried(eth0));
        BfdPath none = BfdSessionConfig.builder()
                .localAddress(address("10.0.0.1")).peerAddress(address("10.0.0.2")).build().path();
        assertFalse(transport.canCarry(none));
        assertEquals("no switch port given", transport.whyNotCarried(none));
    }
}
