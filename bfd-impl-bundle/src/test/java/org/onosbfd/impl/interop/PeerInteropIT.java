package org.onosbfd.impl.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.interop.InteropResults.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.onosbfd.api.codec.BfdJson;

/**
 * Our host-socket transport against real BFD daemons: FRR 8.4 bfdd and BIRD 2, each in a network
 * namespace of the test's joined to ours by a veth pair. Sessions come Up, a silent cut (nftables
 * drops BFD both ways in the peer's namespace) is detected with diagnostic 1 within the
 * detection time + 10 %, and the session recovers. Needs root (namespaces); skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerInteropIT {

    private Namespaces namespaces;
    private Agent agent;
    private Path dir;
    private PeerDaemon peer;
    private long session = -1;
    private boolean cut;

    @BeforeAll
    void setUp() throws IOException {
        Assumptions.assumeTrue(Shell.isRoot(),
                "SKIPPED: the FRR/BIRD interop tests create network namespaces and need root");
        for (String program : new String[] {"bird", "birdc", "vtysh", "nft", "ip", "ovs-vsctl",
            "ovs-vswitchd", "ovsdb-server", "ovsdb-tool"}) {
            assertTrue(Shell.has(program), program + " is missing: scripts/test.sh installs it");
        }
        assertTrue(Files.exists(Path.of("/usr/lib/frr/bfdd")), "FRR is missing");
        dir = Files.createTempDirectory("bfd-interop-");
        Shell.run("chmod", "755", dir.toString());
        namespaces = new Namespaces();
        // Echo on host sockets (README, "Echo"): each side's forwarding returns the other's
        // echo packets, and our own come back from our own address.
        for (String ns : new String[] {namespaces.a, namespaces.b}) {
            Shell.inNamespace(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        }
        Shell.inNamespace(namespaces.a, "sysctl", "-qw",
                "net.ipv4.conf." + namespaces.vethA + ".accept_local=1");
        agent = new Agent(namespaces.a, dir.resolve("agent.log"));
    }

    @AfterAll
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @AfterEach
    void cleanUp() {
        if (session >= 0) {
            agent.command("del " + session);
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

    static Stream<Arguments> peers() {
        return Stream.of(Arguments.of((Supplier<PeerDaemon>) FrrPeer::new),
                Arguments.of((Supplier<PeerDaemon>) BirdPeer::new));
    }

    private ObjectNode ours(String local, String peerAddress) {
        ObjectNode config = BfdJson.mapper().createObjectNode();
        config.put("localAddress", local);
        config.put("peerAddress", peerAddress);
        config.put("desiredMinTxInterval", 50_000);
        config.put("requiredMinRxInterval", 50_000);
        config.put("detectMultiplier", 3);
        return config;
    }

    private void startPeer(Supplier<PeerDaemon> kind, PeerDaemon.Spec spec) {
        peer = kind.get();
        peer.start(namespaces, dir.resolve(peer.name() + "-" + System.nanoTime()), spec);
    }


    /** When our session went Down after a silent cut. */
    private static final class Detection {
        final Instant down;
        /** ms from the cut in place, and from the moment it began to be put in place. */
        final long afterCut;
        final long afterCutStart;

        Detection(Instant down, Instant cutStart, Instant cutDone) {
            this.down = down;
            this.afterCut = Duration.between(cutDone, down).toMillis();
            this.afterCutStart = Duration.between(cutStart, down).toMillis();
        }
    }

    /** Cuts the link silently and waits for our session's Down, with this diagnostic. */
    private Detection cutAndAwaitDown(String diagnostic) {
        Instant cutStart = Instant.now();
        namespaces.cut();
        cut = true;
        Instant cutDone = Instant.now();
        JsonNode down = agent.awaitState(session, "DOWN", cutStart, Duration.ofSeconds(5));
        assertEquals(diagnostic, down.get("diagnostic").asText());
        return new Detection(Instant.parse(down.get("time").asText()), cutStart, cutDone);
    }

    /** Up, silent cut detected within detection time + 10 %, recovery; records the numbers. */
    private void upCutRecover(String scenario, ObjectNode config) throws IOException {
        Instant added = Instant.now();
        session = agent.add(config.toString());
        JsonNode up = agent.awaitState(session, "UP", added, Duration.ofSeconds(15));
        peer.awaitState("up", Duration.ofSeconds(10));
        Duration toUp = Duration.between(added, Instant.parse(up.get("time").asText()));

        // OVS leaves its slow TX rate after Up without a Poll: the Detection Time settles with
        // its next packet rather than at once.
        long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long detectionMicros;
        while ((detectionMicros = agent.session(session).get("detectionTime").asLong()) != 150_000
                && System.nanoTime() < settle) {
            Thread.onSpinWait();
        }
        assertEquals(150_000, detectionMicros, "3 × 50 ms negotiated with " + peer);
        Detection detection = cutAndAwaitDown("CONTROL_DETECTION_TIME_EXPIRED");
        long detectedAfterCut = detection.afterCut;
        long detectedAfterCutStart = detection.afterCutStart;
        assertTrue(detectedAfterCut <= detectionMicros * 1.1 / 1000,
                "detected " + detectedAfterCut + " ms after the cut; detection time "
                        + detectionMicros / 1000 + " ms");
        peer.awaitState("down", Duration.ofSeconds(5));

        Instant restored = Instant.now();
        namespaces.restore();
        cut = false;
        JsonNode again = agent.awaitState(session, "UP", restored, Duration.ofSeconds(15));
        peer.awaitState("up", Duration.ofSeconds(10));
        Duration toRecover = Duration.between(restored, Instant.parse(again.get("time").asText()));
        JsonNode counters = agent.session(session).get("counters");
        assertEquals(0, counters.get("droppedPackets").asLong(), counters.toString());
        record(String.format("%-5s %-26s Up in %4d ms | cut detected %3d-%3d ms (detection %d ms,"
                        + " diag 1) | recovered in %4d ms", peer.name(), scenario, toUp.toMillis(),
                detectedAfterCut, detectedAfterCutStart, detectionMicros / 1000,
                toRecover.toMillis()));
    }


    @ParameterizedTest
    @MethodSource("peers")
    void ipv4SingleHop(Supplier<PeerDaemon> kind) throws IOException {
        startPeer(kind, new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4));
        long belowIp = sentBelowIp();
        upCutRecover("IPv4 single hop", ours(Namespaces.A4, Namespaces.B4));
        // Up, our packets left below the IP layer, to the MAC the kernel resolved.
        assertTrue(sentBelowIp() > belowIp, "no packet sent below the IP layer: "
                + agent.command("stats"));
    }

    private long sentBelowIp() {
        return agent.command("stats").path("transports").path("udp").path("linkLayerSent")
                .asLong();
    }

    @ParameterizedTest
    @MethodSource("peers")
    void ipv6SingleHop(Supplier<PeerDaemon> kind) throws IOException {
        startPeer(kind, new PeerDaemon.Spec(Namespaces.A6, Namespaces.B6));
        upCutRecover("IPv6 single hop", ours(Namespaces.A6, Namespaces.B6));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void ipv6LinkLocalBoundToTheInterface(Supplier<PeerDaemon> kind) throws IOException {
        PeerDaemon.Spec spec = new PeerDaemon.Spec(Namespaces.A_LINK_LOCAL, Namespaces.B_LINK_LOCAL);
        spec.interfaceName = namespaces.vethB;
        startPeer(kind, spec);
        ObjectNode config = ours(Namespaces.A_LINK_LOCAL, Namespaces.B_LINK_LOCAL);
        config.put("interface", namespaces.vethA);
        upCutRecover("IPv6 link-local + interface", config);
    }

    @ParameterizedTest
    @MethodSource("peers")
    void ipv4Multihop(Supplier<PeerDaemon> kind) throws IOException {
        multihop(kind, Namespaces.A_LOOP4, Namespaces.B_LOOP4, "IPv4 multihop");
    }

    @ParameterizedTest
    @MethodSource("peers")
    void ipv6Multihop(Supplier<PeerDaemon> kind) throws IOException {
        multihop(kind, Namespaces.A_LOOP6, Namespaces.B_LOOP6, "IPv6 multihop");
    }

    /** Loopback to loopback, routed across the veth: RFC 5883 on UDP 4784. */
    private void multihop(Supplier<PeerDaemon> kind, String ours, String theirs, String scenario)
            throws IOException {
        PeerDaemon.Spec spec = new PeerDaemon.Spec(ours, theirs);
        spec.multihop = true;
        startPeer(kind, spec);
        ObjectNode config = ours(ours, theirs);
        config.put("multihop", true);
        // BIRD sends multihop packets with TTL 64, FRR with 255.
        config.put("minReceivedTtl", peer instanceof BirdPeer ? 64 : 254);
        upCutRecover(scenario, config);
    }

    /** Open vSwitch's own BFD, on a port of a userspace bridge: IPv4 single hop is all it has. */
    @Test
    void ipv4SingleHopWithOpenVswitch() throws IOException {
        startPeer(OvsPeer::new, new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4));
        upCutRecover("IPv4 single hop", ours(Namespaces.A4, Namespaces.B4));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void passiveOnOurSide(Supplier<PeerDaemon> kind) throws IOException {
        startPeer(kind, new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4));
        ObjectNode config = ours(Namespaces.A4, Namespaces.B4);
        config.put("passive", true);
        upCutRecover("IPv4 passive (ours)", config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "keyed md5", "meticulous keyed md5", "keyed sha1",
        "meticulous keyed sha1"})
    void everyAuthenticationTypeWithBird(String birdType) throws IOException {
        String label = birdType.replace(' ', '-');
        agent.command("key {\"id\":" + (label.hashCode() & 0xFFFF) + ",\"type\":\"" + label
                + "\",\"secret\":\"s3cret\"}");
        PeerDaemon.Spec spec = new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4);
        spec.authType = birdType;
        startPeer(BirdPeer::new, spec);
        ObjectNode config = ours(Namespaces.A4, Namespaces.B4);
        config.putObject("authentication").put("keyId", label.hashCode() & 0xFFFF)
                .put("bfdKeyId", 7);
        upCutRecover("IPv4 auth " + label, config);
    }

    /**
     * RFC 5880 §6.4 on host sockets with FRR's echo-mode: our echo packets leave through
     * AF_PACKET to FRR's MAC, addressed to ourselves, and come back through FRR's forwarding;
     * FRR's come back through ours (forwarding on in our namespace). Control at 300 ms; a cut
     * is found by echo (3 x 50 ms).
     */
    @Test
    void echoBothWaysWithFrrFindsACutAtTheEchoRate() throws IOException {
        PeerDaemon.Spec spec = new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4);
        spec.intervalMillis = 300;
        spec.echoIntervalMillis = 50;
        startPeer(FrrPeer::new, spec);
        ObjectNode config = ours(Namespaces.A4, Namespaces.B4);
        config.put("desiredMinTxInterval", 300_000).put("requiredMinRxInterval", 300_000)
                .put("desiredMinEchoTxInterval", 50_000).put("requiredMinEchoRxInterval", 50_000);
        Instant added = Instant.now();
        session = agent.add(config.toString());
        agent.awaitState(session, "UP", added, Duration.ofSeconds(15));
        peer.awaitState("up", Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode udp;
        JsonNode frr;
        do {
            assertTrue(System.nanoTime() < deadline, "echo both ways: " + agent.command("stats"));
            Thread.onSpinWait();
            udp = agent.command("stats").path("transports").path("udp");
            frr = ((FrrPeer) peer).counters();
        } while (udp.path("echoReceived").asLong() < 20 || frr == null
                || frr.path("echo-packet-input").asLong() < 20);
        assertEquals(0, frr.path("session-down").asLong(), "FRR's echo comes back: " + frr);
        long detected = cutAndAwaitDown("ECHO_FUNCTION_FAILED").afterCut;
        assertTrue(detected <= 165, "echo found the cut " + detected + " ms after it");
        record(String.format("FRR   %-26s echo %d sent, %d back (FRR: %d out, %d in) | cut found"
                        + " by echo %d ms after it (3 x 50 ms; control 3 x 300 ms)",
                "IPv4 host sockets, echo", udp.path("echoSent").asLong(),
                udp.path("echoReceived").asLong(), frr.path("echo-packet-output").asLong(),
                frr.path("echo-packet-input").asLong(), detected));
    }

    /**
     * A link that flaps: each silent cut is detected, and the restored link is held out for the
     * hold-down, 1 s, then 2 s, then the 4 s maximum, before the session with FRR comes Up again.
     */
    @Test
    void aFlappingCutIsHeldDownLongerEachTimeAgainstFrr() throws IOException {
        startPeer(FrrPeer::new, new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4));
        ObjectNode config = ours(Namespaces.A4, Namespaces.B4);
        config.putObject("dampening").put("initialHold", 1_000_000)
                .put("maximumHold", 4_000_000);
        Instant added = Instant.now();
        session = agent.add(config.toString());
        agent.awaitState(session, "UP", added, Duration.ofSeconds(15));
        long[] expected = {1_000, 2_000, 4_000, 4_000};
        long[] held = new long[expected.length];
        for (int flap = 0; flap < expected.length; flap++) {
            Instant downTime = cutAndAwaitDown("CONTROL_DETECTION_TIME_EXPIRED").down;
            namespaces.restore(); // back at once: a flap
            cut = false;
            JsonNode during = agent.session(session);
            assertTrue(during.has("heldDownUntil"), during.toString());
            JsonNode up = agent.awaitState(session, "UP", downTime, Duration.ofSeconds(15));
            held[flap] = Duration.between(downTime, Instant.parse(up.get("time").asText()))
                    .toMillis();
            // Held for the hold-down, then Up within about one of FRR's slow (1 s) packets.
            assertTrue(held[flap] >= expected[flap] && held[flap] < expected[flap] + 2_500,
                    "flap " + (flap + 1) + ": Up again " + held[flap] + " ms after the Down, "
                            + "hold-down " + expected[flap] + " ms");
        }
        record(String.format("FRR   %-26s Up again after %s ms (hold-downs 1, 2, 4, 4 s)",
                "IPv4 flapping, dampened", java.util.Arrays.toString(held)));
    }

    @Test
    void wrongSecretNeverComesUpAndEveryPacketIsDroppedAsBadDigest() throws IOException {
        agent.command("key {\"id\":99,\"type\":\"meticulous-keyed-sha1\",\"secret\":\"wrong\"}");
        PeerDaemon.Spec spec = new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4);
        spec.authType = "meticulous keyed sha1";
        startPeer(BirdPeer::new, spec);
        ObjectNode config = ours(Namespaces.A4, Namespaces.B4);
        config.putObject("authentication").put("keyId", 99).put("bfdKeyId", 7);
        session = agent.add(config.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        JsonNode snapshot;
        do {
            snapshot = agent.session(session);
            assertEquals("DOWN", snapshot.get("state").asText(), "never leaves Down");
            assertTrue(!peer.state().equals("up"), "BIRD never comes Up either");
        } while (System.nanoTime() < deadline);
        long badDigest = snapshot.get("counters").get("drops").path("authBadDigest").asLong();
        assertTrue(badDigest >= 3, "BIRD's packets are dropped as bad digests: " + snapshot);
        assertEquals(0, snapshot.get("counters").get("rxPackets").asLong());
        record(String.format("BIRD  %-26s never Up in 4 s, %d packets dropped as authBadDigest",
                "IPv4 auth wrong secret", badDigest));
    }
}
