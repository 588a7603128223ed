package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdAuthType;

/**
 * A seeded mutation fuzzer for the decoder and a session's receive path. Seeds: every datagram
 * of the FRR and BIRD captures, and packets an Up peer signs with each authentication type
 * (sequence numbers crossing the 32-bit wrap among them). Mutations: bit flips, random bytes,
 * cuts and extensions, and rewritten Length, Auth Len and Auth Type fields; the TTL is sometimes
 * below 255 (GTSM). The oracle is {@link ReceivePathOracle}'s; {@link ReceivePathCoverageFuzzTest}
 * searches the same space guided by coverage.
 * The short form runs with the normal tests; the long form (figures in BENCHMARKS.md):
 * {@code mvn -pl bfd-impl-bundle test -Dtest=ReceivePathFuzzTest -Dbfd.fuzz.inputs=10000000}.
 */
class ReceivePathFuzzTest {
    private static final int INPUTS = Integer.getInteger("bfd.fuzz.inputs", 120_000);
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
        ReceivePathOracle oracle = new ReceivePathOracle(type, firstSequence);
        for (int i = 0; i < inputs; i++) {
            byte[] genuine = oracle.nextGenuine();
            if (oracle.feed(mutate(genuine), genuine, random.nextInt(8) == 0 ? 254 : 255)) {
                accepted++;
            } else {
                rejected++;
            }
        }
    }
}
