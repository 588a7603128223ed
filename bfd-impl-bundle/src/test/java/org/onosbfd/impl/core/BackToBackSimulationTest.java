package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * Two cores wired back to back through an in-memory link with latency, on one simulated clock:
 * sessions come Up, survive parameter changes without a flap, and detect a cut link within the
 * detection time.
 */
class BackToBackSimulationTest {
    private static final long MS = 1_000_000;
    private static final long LATENCY = MS / 2;

    /** A packet in flight. */
    private static final class Delivery implements Comparable<Delivery> {
        final long time;
        final long order;
        final Side to;
        final byte[] bytes;
        final byte[] source;
        final byte[] destination;

        Delivery(long time, long order, Side to, byte[] bytes, byte[] source, byte[] destination) {
            this.time = time;
            this.order = order;
            this.to = to;
            this.bytes = bytes;
            this.source = source;
            this.destination = destination;
        }

        @Override
        public int compareTo(Delivery o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(order, o.order);
        }
    }

    /** One end: a core and the state changes it reported. */
    private final class Side implements CoreOutput {
        final BfdCore core;
        Side peer;
        final List<CoreHarness.Change> changes = new ArrayList<>();
        final BfdRxMeta meta = new BfdRxMeta();

        Side(long seed) {
            core = new BfdCore(new Random(seed), this);
        }

        @Override
        public void transmit(CoreSession session, ByteBuffer packet) {
            if (linkUp) {
                byte[] bytes = new byte[packet.remaining()];
                packet.get(bytes);
                BfdSessionConfig config = session.config();
                network.add(new Delivery(now + LATENCY, sequence++, peer, bytes,
                        config.path().localAddress().getAddress(),
                        config.path().peerAddress().getAddress()));
            }
        }

        @Override
        public boolean transmitEcho(CoreSession session, ByteBuffer packet) {
            return false;
        }

        @Override
        public void stateChanged(CoreSession session, BfdState oldState, long time) {
            changes.add(new CoreHarness.Change(oldState, session.state(), time));
        }

        long downs() {
            return changes.stream().filter(c -> c.from == BfdState.UP).count();
        }
    }

    private final PriorityQueue<Delivery> network = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean linkUp = true;
    private final Side a = new Side(1);
    private final Side b = new Side(2);

    BackToBackSimulationTest() {
        a.peer = b;
        b.peer = a;
    }

    private void runUntil(long end) {
        while (true) {
            long next = Math.min(Math.min(a.core.nextDeadline(), b.core.nextDeadline()),
                    network.isEmpty() ? Long.MAX_VALUE : network.peek().time);
            if (next > end) {
                break;
            }
            now = Math.max(now, next);
            while (!network.isEmpty() && network.peek().time <= now) {
                Delivery d = network.poll();
                d.to.meta.set(d.source, d.destination, null, 255, false);
                d.to.core.receive(ByteBuffer.wrap(d.bytes), d.to.meta, now);
            }
            assertNull(a.core.advance(now));
            assertNull(b.core.advance(now));
        }
        now = end;
    }

    private static BfdSessionConfig.Builder config(String local, String peer) {
        return BfdSessionConfig.builder().localAddress(CoreHarness.address(local))
                .peerAddress(CoreHarness.address(peer))
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000).detectMultiplier(3);
    }

    private CoreSession[] pair(int index, BfdSessionConfig.Builder template, BfdAuthKey key) {
        String left = "10." + (index >> 8) + "." + (index & 0xFF) + ".1";
        String right = "10." + (index >> 8) + "." + (index & 0xFF) + ".2";
        CoreSession x = a.core.add(index, template.localAddress(CoreHarness.address(left))
                .peerAddress(CoreHarness.address(right)).build(), key, now);
        CoreSession y = b.core.add(index, template.localAddress(CoreHarness.address(right))
                .peerAddress(CoreHarness.address(left)).build(), key, now);
        return new CoreSession[] {x, y};
    }

    @Test
    void comeUpSurviveParameterChangesAndDetectACutWithinTheDetectionTime() {
        CoreSession[] s = pair(1, config("0.0.0.1", "0.0.0.2"), null);
        runUntil(100 * MS);
        assertEquals(BfdState.UP, s[0].state());
        assertEquals(BfdState.UP, s[1].state());
        assertTrue(a.changes.get(a.changes.size() - 1).time <= 5 * MS,
                "state changes go out at once: Up in a few latencies, not seconds");

        // Change intervals on both ends, several times, while Up: no flap.
        long[][] steps = {{10_000, 20_000}, {300_000, 300_000}, {20_000, 10_000}, {50_000, 50_000}};
        for (long[] step : steps) {
            for (CoreSession session : s) {
                BfdCore core = session == s[0] ? a.core : b.core;
                core.reconfigure(session, session.config().toBuilder().desiredMinTxInterval(step[0])
                        .requiredMinRxInterval(step[1]).build(), null, now);
            }
            runUntil(now + 2000 * MS);
            assertEquals(Math.max(step[0], step[1]), s[0].transmitInterval());
        }
        assertEquals(0, a.downs() + b.downs(), "no flap through parameter changes");

        // Cut the link: both ends go Down with diagnostic 1 within the detection time.
        runUntil(now + 1000 * MS);
        long detectionA = s[0].detectionTime() * 1000;
        long detectionB = s[1].detectionTime() * 1000;
        long cut = now;
        linkUp = false;
        runUntil(now + 1000 * MS);
        CoreHarness.Change downA = a.changes.get(a.changes.size() - 1);
        CoreHarness.Change downB = b.changes.get(b.changes.size() - 1);
        assertEquals(BfdState.DOWN, downA.to);
        assertEquals(BfdState.DOWN, downB.to);
        assertTrue(downA.time - cut <= detectionA, (downA.time - cut) + " > " + detectionA);
        assertTrue(downB.time - cut <= detectionB);
        assertTrue(downA.time - cut >= detectionA - 50 * MS, "not before the peer went quiet");
        assertEquals(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED,
                CoreHarness.snapshot(s[0]).localDiagnostic());

        // Restore it: Up again within the slow-TX second (plus jitter and latency).
        linkUp = true;
        long restored = now;
        runUntil(now + 2100 * MS);
        assertEquals(BfdState.UP, s[0].state());
        assertEquals(BfdState.UP, s[1].state());
        assertTrue(a.changes.get(a.changes.size() - 1).time - restored <= 1100 * MS);
    }

    @Test
    void authenticatedSessionsStayUpForAnHourOfSimulatedTime() {
        BfdAuthKey key = new BfdAuthKey(5, BfdAuthType.METICULOUS_KEYED_SHA1, "k".getBytes());
        CoreSession[] s = pair(1, config("0.0.0.1", "0.0.0.2")
                .authentication(new BfdAuthentication(5, 1)), key);
        runUntil(3_600_000 * MS);
        assertEquals(BfdState.UP, s[0].state());
        assertEquals(1, a.changes.stream().filter(c -> c.to == BfdState.UP).count());
        assertEquals(0, a.core.counters().droppedPackets() + b.core.counters().droppedPackets());
        assertTrue(a.core.counters().rxPackets() > 3600 * 20 * 0.99);
    }

    @Test
    void twoThousandSessionPairsAt10msNeverFlap() {
        List<CoreSession[]> pairs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            pairs.add(pair(i, config("0.0.0.1", "0.0.0.2").desiredMinTxInterval(10_000)
                    .requiredMinRxInterval(10_000), null));
        }
        runUntil(10_000 * MS);
        for (CoreSession[] pair : pairs) {
            assertEquals(BfdState.UP, pair[0].state());
            assertEquals(BfdState.UP, pair[1].state());
        }
        assertEquals(0, a.downs() + b.downs());
        assertEquals(0, a.core.counters().droppedPackets());
    }
}
