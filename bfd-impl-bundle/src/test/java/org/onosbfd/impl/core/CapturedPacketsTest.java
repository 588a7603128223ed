package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * The codec and authenticator against real packets: FRR 8.4.4 and BIRD 2.0.12 captures from
 * src/test/resources/pcaps (see its README.txt), password "s3cret", key id 7.
 */
class CapturedPacketsTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);

    private static List<CapturedBfd> controlPackets(String capture) {
        List<CapturedBfd> all = CapturedBfd.read(capture);
        all.removeIf(p -> p.destinationPort == 3785);
        assertFalse(all.isEmpty(), capture + " has BFD control packets");
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bfd-singlehop-ipv4-frr-bird.pcap", "bfd-singlehop-ipv6-frr-bird.pcap",
        "bfd-multihop-ipv4-ipv6-frr-bird.pcap", "bfd-echo-ipv4-frr-frr.pcap",
        "peersh-e2e-frrB-birdA.pcap"})
    void everyCapturedControlPacketDecodesAndReEncodesIdentically(String capture) {
        ControlPacket p = new ControlPacket();
        Set<Integer> states = new TreeSet<>();
        for (CapturedBfd datagram : controlPackets(capture)) {
            assertNull(p.decode(datagram.buffer()), capture);
            assertFalse(p.hasAuth());
            states.add(p.state);
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(ControlPacket.MAX_LENGTH);
            ControlPacket.encodeHeader(out, p.diagnostic, p.state, p.flags, p.detectMultiplier, 0,
                    p.myDiscriminator, p.yourDiscriminator, p.desiredMinTxInterval,
                    p.requiredMinRxInterval, p.requiredMinEchoRxInterval);
            out.flip();
            assertEquals(java.nio.ByteBuffer.wrap(datagram.payload), out, "byte-exact re-encoding");
            if (datagram.destinationPort == 3784) {
                assertEquals(255, datagram.ttl, "RFC 5881 §5: single hop leaves with TTL 255");
            }
        }
        assertTrue(states.contains(BfdState.UP.code()), capture + " reaches Up");
    }

    @Test
    void singleHopCaptureShowsTheFlapSequence() {
        ControlPacket p = new ControlPacket();
        Set<Integer> diagnostics = new TreeSet<>();
        Set<Integer> states = new TreeSet<>();
        boolean poll = false;
        boolean fin = false;
        for (CapturedBfd datagram : controlPackets("bfd-singlehop-ipv4-frr-bird.pcap")) {
            p.decode(datagram.buffer());
            diagnostics.add(p.diagnostic);
            states.add(p.state);
            poll |= p.poll();
            fin |= p.fin();
        }
        assertTrue(diagnostics.containsAll(Set.of(1, 3)), "timeout and neighbour down");
        // FRR's shutdown sends AdminDown with diagnostic 0 (not 7).
        assertEquals(Set.of(0, 1, 2, 3), states, "every state, AdminDown included");
        assertTrue(poll && fin, "Poll and Final seen");
    }

    @Test
    void multihopCaptureCarriesBirdsTtl64AndPort4784() {
        Map<Integer, Integer> ttls = new HashMap<>();
        for (CapturedBfd datagram : controlPackets("bfd-multihop-ipv4-ipv6-frr-bird.pcap")) {
            assertEquals(4784, datagram.destinationPort);
            ttls.merge(datagram.ttl, 1, Integer::sum);
        }
        assertTrue(ttls.containsKey(64) && ttls.containsKey(255), "BIRD 64, FRR 255: " + ttls);
    }

    @ParameterizedTest
    @CsvSource({"bfd-auth-simple.pcap, SIMPLE_PASSWORD",
        "bfd-auth-keyed-md5.pcap, KEYED_MD5",
        "bfd-auth-meticulous-keyed-md5.pcap, METICULOUS_KEYED_MD5",
        "bfd-auth-keyed-sha1.pcap, KEYED_SHA1",
        "bfd-auth-meticulous-keyed-sha1.pcap, METICULOUS_KEYED_SHA1"})
    void birdAuthenticatedPacketsVerifyAndAWrongSecretDoesNot(String capture, BfdAuthType type) {
        Authenticator right = new Authenticator(new BfdAuthKey(1, type, SECRET), 7);
        Authenticator wrong = new Authenticator(new BfdAuthKey(1, type,
                "s3creT".getBytes(StandardCharsets.US_ASCII)), 7);
        Map<java.net.InetAddress, Long> lastSequence = new HashMap<>();
        ControlPacket p = new ControlPacket();
        int verified = 0;
        for (CapturedBfd datagram : controlPackets(capture)) {
            assertNull(p.decode(datagram.buffer()));
            assertTrue(p.hasAuth());
            assertEquals(type.code(), p.authType);
            assertEquals(7, p.authKeyId);
            assertEquals(type == BfdAuthType.SIMPLE_PASSWORD ? 9 : type.sectionLength(0),
                    p.authLength);
            Long last = lastSequence.get(datagram.source);
            assertNull(right.verify(p, last != null, last == null ? 0 : last),
                    "packet " + verified + " of " + capture);
            assertEquals(BfdDropReason.AUTH_BAD_DIGEST, wrong.verify(p, false, 0));
            if (type.hasSequenceNumber()) {
                long sequence = Authenticator.sequence(p);
                if (type.isMeticulous() && last != null) {
                    assertEquals((last + 1) & 0xFFFF_FFFFL, sequence, "meticulous: +1 per packet");
                }
                lastSequence.put(datagram.source, sequence);
            }
            verified++;
        }
        assertTrue(verified > 100, capture + ": " + verified);
    }

    @Test
    void birdsSha1PacketsVerifyAndFrrsUnauthenticatedOnesAreNotSigned() {
        // This capture's BIRD used key id 1.
        Authenticator sha1 = new Authenticator(new BfdAuthKey(1, BfdAuthType.KEYED_SHA1, SECRET), 1);
        ControlPacket p = new ControlPacket();
        int signed = 0;
        int unsigned = 0;
        for (CapturedBfd datagram : controlPackets("bfd-auth-keyed-sha1-bird-vs-frr-mismatch.pcap")) {
            assertNull(p.decode(datagram.buffer()));
            if (p.hasAuth()) {
                assertNull(sha1.verify(p, false, 0));
                signed++;
            } else {
                unsigned++;
            }
            assertTrue(p.state != BfdState.UP.code(), "never Up");
        }
        assertTrue(signed > 0 && unsigned > 0);
    }

    @Test
    void aRealBirdPacketDrivesOurSessionWithTheSameKey() {
        CapturedBfd first = controlPackets("bfd-auth-meticulous-keyed-sha1.pcap").get(0);
        CoreHarness h = new CoreHarness(new Random(1));
        BfdSessionConfig config = BfdSessionConfig.builder().peerAddress(first.source)
                .localAddress(first.destination)
                .authentication(new BfdAuthentication(1, 7)).build();
        CoreSession s = h.core.add(1, config,
                new BfdAuthKey(1, BfdAuthType.METICULOUS_KEYED_SHA1, SECRET), h.now);
        BfdRxMeta meta = new BfdRxMeta().set(first.source.getAddress(),
                first.destination.getAddress(), null, first.ttl, false);
        h.core.receive(first.buffer(), meta, h.now);
        assertEquals(BfdState.INIT, s.state());
        h.core.receive(first.buffer(), meta, h.now);
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_REPLAY), "the same packet again is a replay");
    }
}
