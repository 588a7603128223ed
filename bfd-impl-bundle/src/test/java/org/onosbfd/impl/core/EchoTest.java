package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdState;

/** RFC 5880 §6.4 and §6.8.5: the echo function's hooks. */
class EchoTest {
    private final CoreHarness h = new CoreHarness();

    private CoreSession upWithEcho() {
        CoreSession s = h.add(CoreHarness.config().desiredMinEchoTxInterval(20_000)
                .requiredMinEchoRxInterval(30_000).build());
        h.bringUp(s);
        assertEquals(30_000, h.last().packet.requiredMinEchoRxInterval, "advertised");
        h.receive(h.from(s, BfdState.UP).echo(40_000));
        return s;
    }

    @Test
    void echoReceptionIsAdvertisedOnlyWhereTheTransportReturnsEchoPackets() {
        h.echoReturned = false;
        h.add(CoreHarness.config().requiredMinEchoRxInterval(30_000).build());
        assertEquals(0, h.last().packet.requiredMinEchoRxInterval,
                "a peer that honoured it would send echo packets nobody returns");
    }

    private void keepControlAlive(CoreSession s, long nanos, boolean loopEchoes) {
        for (long t = 0; t < nanos; t += 10 * MS) {
            h.runFor(10 * MS);
            h.receive(h.from(s, BfdState.UP).echo(40_000));
            if (loopEchoes) {
                while (!h.echoes.isEmpty()) {
                    h.core.receiveEcho(h.echoes.remove(0), h.meta, h.now);
                }
            }
        }
    }

    @Test
    void echoPacketsFlowAtThePeersRateOnceUpAndReturningEchoesKeepTheSessionUp() {
        CoreSession s = upWithEcho();
        assertEquals(1, h.echoes.size(), "starts at once");
        keepControlAlive(s, 1000 * MS, true);
        assertEquals(BfdState.UP, s.state());
        h.echoes.clear();
        int count = 0;
        for (int i = 0; i < 100; i++) {
            h.runFor(10 * MS);
            h.receive(h.from(s, BfdState.UP).echo(40_000));
            count += h.echoes.size();
            h.echoes.forEach(e -> h.core.receiveEcho(e, h.meta, h.now));
            h.echoes.clear();
        }
        // 40 ms (the peer's minimum, slower than our 20 ms) jittered 75-100 %: 25-34 per second.
        assertTrue(count >= 25 && count <= 34, "echo packets in 1 s: " + count);
    }

    @Test
    void lostEchoesTakeTheSessionDownWithDiag2() {
        CoreSession s = upWithEcho();
        keepControlAlive(s, 200 * MS, false);
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(BfdDiagnostic.ECHO_FUNCTION_FAILED,
                CoreHarness.snapshot(s).localDiagnostic());
    }

    @Test
    void zeroRequiredMinEchoRxStopsEcho() {
        CoreSession s = upWithEcho();
        h.receive(h.from(s, BfdState.UP).echo(0));
        h.echoes.clear();
        for (int i = 0; i < 50; i++) {
            h.runFor(10 * MS);
            h.receive(h.from(s, BfdState.UP));
        }
        assertTrue(h.echoes.isEmpty());
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void transportWithoutEchoFallsBackToControlPacketsAlone() {
        h.echoSupported = false;
        CoreSession s = upWithEcho();
        keepControlAlive(s, 500 * MS, false);
        assertEquals(BfdState.UP, s.state());
    }
}
