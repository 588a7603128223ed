package org.onosbfd.impl.core;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.onosbfd.api.BfdAuthType;

/**
 * Coverage-guided fuzzing of the decoder and a session's receive path with Jazzer (libFuzzer
 * for the JVM), with the same oracle as {@link ReceivePathFuzzTest}. With the normal tests it
 * replays its inputs (regression mode); to fuzz, one target at a time:
 * {@code JAZZER_FUZZ=1 mvn -pl bfd-impl-bundle test -Dtest=ReceivePathCoverageFuzzTest#receivePath}.
 * The input chooses the authentication type, the TTL, and a mask over the packet the peer
 * genuinely signed: the fuzzer searches the edits that reach new code.
 */
class ReceivePathCoverageFuzzTest {
    private static final BfdAuthType[] TYPES = BfdAuthType.values();
    /** By the input's choice: 0 no authentication, then each type. */
    private static final Map<Integer, ReceivePathOracle> ORACLES = new HashMap<>();

    @FuzzTest(maxDuration = "60s")
    void decoder(byte[] input) {
        new ControlPacket().decode(ByteBuffer.wrap(input));
    }

    @FuzzTest(maxDuration = "60s")
    void receivePath(FuzzedDataProvider data) {
        ReceivePathOracle oracle = ORACLES.computeIfAbsent(data.consumeInt(0, TYPES.length),
                choice -> new ReceivePathOracle(choice == 0 ? null : TYPES[choice - 1], 1));
        int ttl = data.consumeBoolean() ? 255 : data.consumeInt(0, 255);
        byte[] genuine = oracle.nextGenuine();
        byte[] input = data.consumeBytes(96);
        for (int i = 0; i < input.length && i < genuine.length; i++) {
            input[i] ^= genuine[i]; // zero bytes of the mask keep the genuine packet's bytes
        }
        oracle.feed(input, genuine, ttl);
    }
}
