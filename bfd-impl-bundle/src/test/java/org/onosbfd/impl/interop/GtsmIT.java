package org.onosbfd.impl.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Crafted packets against a live session: from the peer's namespace, scapy sends packets that
 * would take the session down if they were believed: with TTL 254 (RFC 5881 §5, GTSM), with a
 * forged SHA-1 digest, and without authentication. Each is counted under its reason and the
 * session stays Up with BIRD. Needs root; skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GtsmIT {
    /**
     * Sends COUNT control packets "AdminDown, your discriminator = ours" from B to A, optionally
     * with a keyed SHA-1 section whose sequence number is SEQ and whose digest is zeros.
     */
    private static final String SCAPY = String.join("\n",
            "import sys, struct",
            "from scapy.all import IP, UDP, Raw, send",
            "disc, ttl, auth, count, seq = (int(sys.argv[1]), int(sys.argv[2]), sys.argv[3],",
            "                               int(sys.argv[4]), int(sys.argv[5]))",
            "flags = 0x04 if auth == 'forged' else 0",
            "length = 52 if auth == 'forged' else 24",
            "pkt = struct.pack('!BBBBIIIII', 0x20, (0 << 6) | flags, 3, length, 0x0BADBAD0, disc,",
            "                  1000000, 1000000, 0)",
            "if auth == 'forged':",
            "    pkt += struct.pack('!BBBBI', 4, 28, 7, 0, seq) + bytes(20)",
            "send(IP(src='" + Namespaces.B4 + "', dst='" + Namespaces.A4 + "', ttl=ttl)"
                    + "/UDP(sport=49999, dport=3784)/Raw(pkt), count=count, verbose=0)");

    private Namespaces namespaces;
    private Agent agent;
    private BirdPeer bird;

    @BeforeAll
    void setUp() throws IOException {
        Assumptions.assumeTrue(Shell.isRoot(),
                "SKIPPED: the GTSM test creates network namespaces and needs root");
        assertTrue(Files.exists(Path.of("/usr/lib/python3/dist-packages/scapy")),
                "python3-scapy is missing: scripts/test.sh installs it");
        Path dir = Files.createTempDirectory("bfd-gtsm-");
        Shell.run("chmod", "755", dir.toString());
        namespaces = new Namespaces();
        agent = new Agent(namespaces.a, dir.resolve("agent.log"));
        bird = new BirdPeer();
        PeerDaemon.Spec spec = new PeerDaemon.Spec(Namespaces.A4, Namespaces.B4);
        spec.authType = "keyed sha1";
        bird.start(namespaces, dir.resolve("bird"), spec);
    }

    @AfterAll
    void tearDown() {
        if (bird != null) {
            bird.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    private void scapy(long discriminator, int ttl, String auth, int count, long sequence) {
        Shell.inNamespace(namespaces.b, "/usr/bin/python3", "-c", SCAPY,
                Long.toString(discriminator), Integer.toString(ttl), auth, Integer.toString(count),
                Long.toString(sequence));
    }

    private long drops(long session, String reason) {
        return agent.session(session).get("counters").get("drops").path(reason).asLong();
    }

    @Test
    void craftedPacketsAreCountedAndIgnored() {
        agent.command("key {\"id\":1,\"type\":\"keyed-sha1\",\"secret\":\"s3cret\"}");
        Instant added = Instant.now();
        long session = agent.add("{\"localAddress\":\"" + Namespaces.A4 + "\",\"peerAddress\":\""
                + Namespaces.B4 + "\",\"desiredMinTxInterval\":50000,"
                + "\"requiredMinRxInterval\":50000,\"authentication\":{\"keyId\":1,\"bfdKeyId\":7}}");
        agent.awaitState(session, "UP", added, Duration.ofSeconds(15));
        long discriminator = agent.session(session).get("localDiscriminator").asLong();
        Instant attack = Instant.now();

        scapy(discriminator, 254, "forged", 20, 0);
        scapy(discriminator, 254, "none", 20, 0);
        // Inside the replay window (the peer's last sequence + 1), so only the digest is wrong.
        long sequence = (agent.session(session).get("rxSequence").asLong() + 1) & 0xFFFF_FFFFL;
        scapy(discriminator, 255, "forged", 20, sequence);
        // Far outside it: refused before the digest is even computed (RFC 5880 §6.7.3).
        scapy(discriminator, 255, "forged", 20, (sequence + 0x8000_0000L) & 0xFFFF_FFFFL);
        scapy(discriminator, 255, "none", 20, 0);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (drops(session, "ttl") < 40 || drops(session, "authBadDigest") < 20
                || drops(session, "authReplay") < 20 || drops(session, "authMismatch") < 20) {
            assertTrue(System.nanoTime() < deadline, "drops not counted: " + agent.session(session));
            Thread.onSpinWait();
        }
        JsonNode after = agent.session(session);
        assertEquals("UP", after.get("state").asText(), after.toString());
        assertEquals(40, drops(session, "ttl"), "TTL 254, whatever else they carry");
        assertEquals(20, drops(session, "authBadDigest"));
        assertEquals(20, drops(session, "authReplay"));
        assertEquals(20, drops(session, "authMismatch"));
        assertEquals(0, after.get("counters").get("downTransitions").asLong());
        assertEquals(after.get("remoteDiscriminator").asLong() != 0x0BADBAD0L, true,
                "the forged discriminator was never learnt");
        assertTrue(agent.awaitEventOrNull(session, attack) == null, "no state change at all");
        assertEquals("up", bird.state());
    }
}
