package org.onosbfd.impl.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.interop.InteropResults.record;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.onlab.packet.MacAddress;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.manager.BfdManager;
import org.onosbfd.impl.punt.PuntTransport;
import org.onosproject.TestApplicationId;
import org.onosproject.net.ConnectPoint;

/**
 * The punted transport against FRR 8.4 bfdd over a real wire: the switch port
 * of:0000000000000001/1 is the veth end in our namespace, read and written through a raw
 * socket, and FRR runs in the peer's namespace at the other end. The controller speaks for
 * 10.77.1.10 and fd00:77:1::10 on that port (addresses no kernel holds), resolves FRR's MAC and
 * answers FRR's kernel's ARP and neighbour solicitations; the session comes Up, a silent cut is
 * detected within the detection time + 10 %, and the session recovers. Needs root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PuntedFrrIT {
    private static final ConnectPoint PORT =
            ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final String OURS4 = "10.77.1.10";
    private static final String OURS6 = "fd00:77:1::10";

    private Namespaces namespaces;
    private Path dir;
    private VethPacketService packets;
    private BfdManager manager;
    private FrrPeer peer;
    private long session = -1;
    private boolean cut;

    @BeforeAll
    void setUp() throws IOException {
        Assumptions.assumeTrue(Shell.isRoot(),
                "SKIPPED: the punted FRR test creates network namespaces and needs root");
        assertTrue(Files.exists(Path.of("/usr/lib/frr/bfdd")), "FRR is missing");
        dir = Files.createTempDirectory("bfd-punted-");
        Shell.run("chmod", "755", dir.toString());
        namespaces = new Namespaces();
        // The port's frames are for the controller's MAC, not the veth's: take them all.
        Shell.inNamespace(namespaces.a, "ip", "link", "set", namespaces.vethA, "promisc", "on");
        packets = new VethPacketService(PORT, RawEthernet.open(namespaces.a, namespaces.vethA));
        manager = new BfdManager();
        manager.bindTransport(new PuntTransport(packets, new TestApplicationId("org.onosbfd.bfd"),
                MacAddress.valueOf("02:bf:d0:00:00:01"), System::nanoTime, device -> true));
        manager.activate();
    }

    @AfterAll
    void tearDown() {
        if (manager != null) {
            manager.deactivate();
        }
        if (packets != null) {
            packets.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @AfterEach
    void cleanUp() {
        if (session >= 0) {
            manager.removeSession(session);
            session = -1;
        }
        if (cut) {
            namespaces.restore();
            cut = false;
        }
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }

    /** Cuts the link silently; ms from the cut to our Down, which has this diagnostic. */
    private long cutAndAwaitDown(BfdDiagnostic diagnostic) {
        namespaces.cut();
        cut = true;
        Instant cutDone = Instant.now();
        BfdSession down = awaitOurs(BfdState.DOWN, Duration.ofSeconds(5));
        assertEquals(diagnostic, down.localDiagnostic());
        return Duration.between(cutDone, down.lastStateChange()).toMillis();
    }

    private BfdSession awaitOurs(BfdState state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        BfdSession now;
        while ((now = manager.session(session).orElseThrow()).state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("our session is " + now + ", not " + state);
            }
            Thread.onSpinWait();
        }
        return now;
    }


    /**
     * Our session first, so that the controller resolves FRR's address (ARP/NS out, reply in);
     * then FRR's kernel forgets our MAC, so that it asks for it and the controller answers.
     */
    private String upCutRecover(String ours, String theirs) throws IOException {
        Instant added = Instant.now();
        session = manager.addSession(BfdSessionConfig.builder().interfaceName(PORT.toString())
                .localAddress(InetAddress.getByName(ours))
                .peerAddress(InetAddress.getByName(theirs))
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000).detectMultiplier(3)
                .build()).id();
        long resolveDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (packets.arpRepliesIn.get() + packets.advertisementsIn.get() == 0) {
            assertTrue(System.nanoTime() < resolveDeadline, "the peer's MAC was never resolved");
            Thread.onSpinWait();
        }
        Shell.inNamespace(namespaces.b, "ip", "neigh", "flush", "dev", namespaces.vethB);
        Shell.inNamespace(namespaces.b, "ip", "-6", "neigh", "flush", "dev", namespaces.vethB);
        peer = new FrrPeer();
        peer.start(namespaces, dir.resolve("frr-" + System.nanoTime()),
                new PeerDaemon.Spec(ours, theirs));

        BfdSession up = awaitOurs(BfdState.UP, Duration.ofSeconds(15));
        peer.awaitState("up", Duration.ofSeconds(10));
        Duration toUp = Duration.between(added, up.lastStateChange());
        assertEquals("punt", up.transport());
        // Both come Up at the slow rate, then poll their 50 ms in (§6.8.3): FRR at once, we
        // once settled.
        long negotiated = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        BfdSession now;
        while ((now = manager.session(session).orElseThrow()).detectionTime() != 150_000
                || now.settlingUntil() != null) {
            assertTrue(System.nanoTime() < negotiated, "3 x 50 ms never negotiated with FRR");
            Thread.onSpinWait();
        }

        long detectedAfterCut = cutAndAwaitDown(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED);
        assertTrue(detectedAfterCut <= 165, "detected " + detectedAfterCut + " ms after the cut");
        peer.awaitState("down", Duration.ofSeconds(5));

        Instant restored = Instant.now();
        namespaces.restore();
        cut = false;
        BfdSession again = awaitOurs(BfdState.UP, Duration.ofSeconds(15));
        peer.awaitState("up", Duration.ofSeconds(10));
        return String.format("Up in %4d ms | cut detected %3d ms (detection 150 ms, diag 1) |"
                        + " recovered in %4d ms", toUp.toMillis(), detectedAfterCut,
                Duration.between(restored, again.lastStateChange()).toMillis());
    }


    /**
     * RFC 5880 §6.4 through the switch port with FRR's echo-mode: our echo packets, addressed to
     * ourselves, come back through FRR's forwarding; FRR's, addressed to itself, are looped by
     * the controller. Control packets run at 300 ms; a cut is found by echo (3 × 50 ms).
     */
    @Test
    void echoBothWaysWithFrrFindsACutAtTheEchoRate() throws IOException {
        Shell.inNamespace(namespaces.b, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        session = manager.addSession(BfdSessionConfig.builder().interfaceName(PORT.toString())
                .localAddress(InetAddress.getByName(OURS4))
                .peerAddress(InetAddress.getByName(Namespaces.B4))
                .desiredMinTxInterval(300_000).requiredMinRxInterval(300_000)
                .desiredMinEchoTxInterval(50_000).requiredMinEchoRxInterval(50_000).build())
                .id();
        PeerDaemon.Spec spec = new PeerDaemon.Spec(OURS4, Namespaces.B4);
        spec.intervalMillis = 300;
        spec.echoIntervalMillis = 50;
        peer = new FrrPeer();
        peer.start(namespaces, dir.resolve("frr-echo-" + System.nanoTime()), spec);
        awaitOurs(BfdState.UP, Duration.ofSeconds(15));
        peer.awaitState("up", Duration.ofSeconds(10));
        // Our echo starts once the session has settled after Up.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, Long> counters;
        while ((counters = transportCounters()).get("echoReceived") < 20
                || counters.get("echoReturned") < 20) {
            assertTrue(System.nanoTime() < deadline, "echo both ways: " + counters + ", FRR "
                    + peer.peer());
            Thread.onSpinWait();
        }
        com.fasterxml.jackson.databind.JsonNode frr = peer.counters();
        assertTrue(frr.path("echo-packet-input").asLong() > 0
                && frr.path("echo-packet-output").asLong() > 0, "FRR's echo counters: " + frr);
        assertEquals(0, frr.path("session-down").asLong(), "FRR accepts its looped echo: " + frr);
        long detectedAfterCut = cutAndAwaitDown(BfdDiagnostic.ECHO_FUNCTION_FAILED);
        assertTrue(detectedAfterCut <= 165, "echo found the cut " + detectedAfterCut
                + " ms after it (3 x 50 ms; control: 900 ms)");
        record(String.format("FRR   %-26s echo %d sent, %d back, %d of FRR's looped (FRR: %d out,"
                        + " %d in) | cut found by echo %d ms after it (3 x 50 ms; control 3 x 300"
                        + " ms)", "IPv4 punted, echo-mode", counters.get("echoSent"),
                counters.get("echoReceived"), counters.get("echoReturned"),
                frr.path("echo-packet-output").asLong(), frr.path("echo-packet-input").asLong(),
                detectedAfterCut));
    }

    private Map<String, Long> transportCounters() {
        return manager.statistics().transports().get("punt");
    }

    @Test
    void ipv4ThroughASwitchPortWithArpBothWays() throws IOException {
        String result = upCutRecover(OURS4, Namespaces.B4);
        assertTrue(packets.arpRequestsOut.get() > 0 && packets.arpRepliesIn.get() > 0,
                "the controller resolved FRR's MAC");
        assertTrue(packets.arpRequestsIn.get() > 0 && packets.arpRepliesOut.get() > 0,
                "the controller answered for its address");
        record(String.format("FRR   %-26s %s | ARP %d/%d out, %d/%d in (requests/replies)",
                "IPv4 punted (switch port)", result, packets.arpRequestsOut.get(),
                packets.arpRepliesOut.get(), packets.arpRequestsIn.get(),
                packets.arpRepliesIn.get()));
    }

    @Test
    void ipv6ThroughASwitchPortWithNeighbourDiscoveryBothWays() throws IOException {
        String result = upCutRecover(OURS6, Namespaces.B6);
        assertTrue(packets.solicitationsOut.get() > 0 && packets.advertisementsIn.get() > 0,
                "the controller resolved FRR's MAC");
        assertTrue(packets.solicitationsIn.get() > 0 && packets.advertisementsOut.get() > 0,
                "the controller answered for its address");
        record(String.format("FRR   %-26s %s | NS/NA %d/%d out, %d/%d in",
                "IPv6 punted (switch port)", result, packets.solicitationsOut.get(), packets.advertisementsOut.get(),
                packets.solicitationsIn.get(), packets.advertisementsIn.get()));
    }
}
