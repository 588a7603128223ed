package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdState;

/**
 * A seeded mutation fuzzer for the decoder and a session's receive path. Seeds: every datagram
 * of the FRR and BIRD captures, and packets an Up peer signs with each authentication type
 * (sequence numbers crossing the 32-bit wrap among them). Mutations: bit flips, random bytes,
 * cuts and extensions, and rewritten Length, Auth Len and Auth Type fields; the TTL is sometimes
 * below 255 (GTSM). Oracle, for every input:
 * <ul>
 *   <li>nothing throws;</li>
 *   <li>a session with a digest (keyed or meticulous MD5 and SHA-1) accepts no packet whose
 *       bytes differ from what its peer signed: no forgery;</li>
 *   <li>a rejected packet changes nothing: state, the peer's variables, the sequence.</li>
 * </ul>
 * The short form runs with the normal tests; the long form (figures in BENCHMARKS.md):
 * {@code mvn -pl bfd-impl-bundle test -Dtest=ReceivePathFuzzTest -Dbfd.fuzz.inputs=10000000}.
 */
class ReceivePathFuzzTest {
    private static final int INPUTS = Integer.getInteger("bfd.fuzz.inputs", 120_000);
    private static final byte[] SECRET = "s3cret-fuzzing".getBytes(StandardCharsets.US_ASCII);
    private static final String[] CAPTURES = {"bfd-singlehop-ipv4-frr-bird.pcap",
        "bfd-multihop-ipv4-ipv6-frr-bird.pcap", "bfd-auth-simple.pcap", "bfd-auth-keyed-md5.pcap",
        "bfd-auth-keyed-sha1.pcap", "bfd-auth-meticulous-keyed-md5.pcap",
        "bfd-auth-meticulous-keyed-sha1.pcap", "bfd-echo-ipv4-frr-frr.pcap"};

    private final Random random = new Random(20261203L);
    private long accepted;
    private long rejected;

    /** One mutation of {@code seed}: never the seed itself unchanged. */
    private byte[] mutate(byte[] seed) {
        byte[] out = seed.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            switch (random.nextInt(7)) {
                case 0: // a bit flip
                    if (out.length > 0) {
                        int i = random.nextInt(out.length);
                        out[i] ^= (byte) (1 << random.nextInt(8));
                    }
                    break;
                case 1: // a random byte
                    if (out.length > 0) {
                        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                    }
                    break;
                case 2: // cut short
                    out = java.util.Arrays.copyOf(out, random.nextInt(out.length + 1));
                    break;
                case 3: // extended with garbage
                    int more = 1 + random.nextInt(40);
                    byte[] longer = java.util.Arrays.copyOf(out, out.length + more);
                    for (int i = out.length; i < longer.length; i++) {
                        longer[i] = (byte) random.nextInt(256);
                    }
                    out = longer;
                    break;
                case 4: // the Length field
                    if (out.length > 3) {
                        out[3] = (byte) (random.nextBoolean() ? random.nextInt(256)
                                : out.length + random.nextInt(5) - 2);
                    }
                    break;
                case 5: // Auth Type / Auth Len
                    if (out.length > 26) {
                        out[24 + random.nextInt(2)] = (byte) random.nextInt(random.nextBoolean()
                                ? 8 : 256);
                    }
                    break;
                default: // the flags and state byte
                    if (out.length > 1) {
                        out[1] = (byte) random.nextInt(256);
                    }
                    break;
            }
        }
        return out;
    }

    @Test
    void theDecoderNeverThrowsOnMutatedCaptures() {
        List<byte[]> seeds = new ArrayList<>();
        for (String capture : CAPTURES) {
            CapturedBfd.read(capture).forEach(d -> seeds.add(d.payload));
        }
        assertTrue(seeds.size() > 100, seeds.size() + " seeds");
        ControlPacket packet = new ControlPacket();
        for (int i = 0; i < INPUTS; i++) {
            packet.decode(ByteBuffer.wrap(mutate(seeds.get(random.nextInt(seeds.size())))));
        }
    }

    @Test
    void noSessionAcceptsAForgeryOrChangesOnARejectedPacket() {
        BfdAuthType[] types = BfdAuthType.values();
        int perType = INPUTS / (types.length + 1);
        run(null, perType, 1);
        for (BfdAuthType type : types) {
            run(type, perType / 2, 1);
            run(type, perType / 2, 0xFFFF_FF00L); // sequence numbers across the 32-bit wrap
        }
        System.out.println("FUZZ receive path: " + (accepted + rejected) + " inputs, "
                + accepted + " accepted, " + rejected + " rejected, 0 oracle violations");
    }

    private void run(BfdAuthType type, int inputs, long firstSequence) {
        Fixture f = new Fixture(type, firstSequence);
        for (int i = 0; i < inputs; i++) {
            if (f.session.state() != BfdState.UP) {
                f = new Fixture(type, firstSequence); // an accepted packet took it down: anew
            }
            byte[] genuine = f.nextGenuine();
            byte[] input = mutate(genuine);
            f.h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null,
                    random.nextInt(8) == 0 ? 254 : 255, false);
            BfdSession before = f.snapshot();
            f.h.core.receive(ByteBuffer.wrap(input), f.h.meta, f.h.now);
            BfdSession after = f.snapshot();
            boolean wasAccepted = after.counters().rxPackets() > before.counters().rxPackets();
            String what = (type == null ? "none" : type.label()) + " input " + i;
            if (wasAccepted) {
                accepted++;
                if (type != null && type != BfdAuthType.SIMPLE_PASSWORD) {
                    int length = genuine[3] & 0xFF;
                    assertTrue(input.length >= length && java.util.Arrays.equals(input, 0,
                            length, genuine, 0, length), "forgery accepted: " + what);
                }
            } else {
                rejected++;
                assertEquals(before.state(), after.state(), what);
                assertEquals(before.remoteState(), after.remoteState(), what);
                assertEquals(before.remoteDiscriminator(), after.remoteDiscriminator(), what);
                assertEquals(before.remoteDesiredMinTxInterval(),
                        after.remoteDesiredMinTxInterval(), what);
                assertEquals(before.rxSequence(), after.rxSequence(), what);
            }
        }
    }

    /** A session brought Up with a peer that signs with {@code type} (null: none). */
    private static final class Fixture {
        final CoreHarness h = new CoreHarness(new Random(7));
        final CoreSession session;
        final Authenticator peer;
        long sequence;

        Fixture(BfdAuthType type, long firstSequence) {
            BfdAuthKey key = type == null ? null : new BfdAuthKey(10, type, SECRET);
            session = h.add(CoreHarness.config().authentication(type == null ? null
                    : new BfdAuthentication(10, 7)).build(), key);
            peer = type == null ? null : new Authenticator(key, 7);
            sequence = firstSequence;
            h.receive(new CoreHarness.PeerPacket().state(BfdState.DOWN).yourDiscriminator(0)
                    .auth(peer, next()));
            h.receive(h.from(session, BfdState.UP).auth(peer, next()));
            if (h.last().packet.poll()) {
                h.receive(h.from(session, BfdState.UP).fin().auth(peer, next()));
            }
            assertEquals(BfdState.UP, session.state());
        }

        private long next() {
            long s = sequence;
            sequence = (sequence + 1) & 0xFFFF_FFFFL;
            return s;
        }

        byte[] nextGenuine() {
            ByteBuffer packet = h.from(session, BfdState.UP).auth(peer, next()).encode();
            byte[] bytes = new byte[packet.remaining()];
            packet.get(bytes);
            return bytes;
        }

        BfdSession snapshot() {
            return session.snapshot(t -> java.time.Instant.EPOCH, 0);
        }
    }
}
