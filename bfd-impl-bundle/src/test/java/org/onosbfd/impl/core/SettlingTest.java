package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.PeerPacket;

/**
 * Settling after Up ({@link BfdCore#settleAfterUp}): a session that comes Up keeps the slow
 * TX of §6.8.3 until it has been Up for the settling time with no lateness of ours, then polls
 * to its configured intervals.
 */
class SettlingTest {
    private static final long SETTLE = 5_000 * MS;
    private final CoreHarness h = new CoreHarness();

    SettlingTest() {
        h.core.settleAfterUp(SETTLE);
    }

    private CoreSession upSession() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        h.receive(h.from(s, BfdState.UP));
        assertEquals(BfdState.UP, s.state());
        return s;
    }

    /** The peer sends every 40 ms for {@code nanos}, answering our polls. */
    private void peerAlive(CoreSession s, long nanos) {
        peerAlive(s, nanos, 3);
    }

    private void peerAlive(CoreSession s, long nanos, int multiplier) {
        long end = h.now + nanos;
        while (h.now < end) {
            h.runFor(40 * MS);
            PeerPacket packet = h.from(s, BfdState.UP).detectMultiplier(multiplier);
            h.receive(h.last().packet.poll() ? packet.fin() : packet);
        }
    }

    @Test
    void comingUpKeepsTheSlowRateThenPollsToTheConfiguredOne() {
        long up = h.now;
        CoreSession s = upSession();
        ControlPacket first = h.last().packet;
        assertFalse(first.poll(), "nothing changes at Up: no Poll Sequence yet");
        assertEquals(CoreSession.SLOW_TX_INTERVAL_US, first.desiredMinTxInterval,
                "the peer's Detection Time of us stays seconds long");
        assertEquals(CoreSession.SLOW_TX_INTERVAL_US, s.transmitInterval());
        assertEquals(3 * 50_000, s.detectionTime(), "we still detect the peer at its own rate");
        assertNotNull(CoreHarness.snapshot(s).settlingUntil());

        int sent = h.sent.size();
        peerAlive(s, SETTLE - 100 * MS);
        assertTrue(h.sentSince(sent).stream().allMatch(p -> !p.packet.poll()
                && p.packet.desiredMinTxInterval == CoreSession.SLOW_TX_INTERVAL_US));
        assertTrue(h.sent.size() - sent <= 7, "about one packet a second while settling");

        sent = h.sent.size();
        peerAlive(s, 200 * MS);
        CoreHarness.Sent poll = h.sentSince(sent).stream().filter(p -> p.packet.poll())
                .findFirst().orElseThrow(() -> new AssertionError("no poll after settling"));
        assertEquals(up + SETTLE, poll.time, "exactly the settling time after Up");
        assertEquals(50_000, poll.packet.desiredMinTxInterval);
        assertEquals(50_000, s.transmitInterval(), "a decrease applies at once (§6.8.3)");
        assertNull(CoreHarness.snapshot(s).settlingUntil());
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void aStallOfOursWhileSettlingStartsTheSettlingTimeAgain() {
        CoreSession s = upSession();
        peerAlive(s, 2_000 * MS);
        long stalledAt = h.now;
        h.core.excuseStall(300 * MS, h.now);
        assertEquals(Instant.EPOCH, CoreHarness.snapshot(s).settlingUntil(),
                "the snapshot shows the new earliest time (the harness's wall clock is fixed)");
        int sent = h.sent.size();
        peerAlive(s, SETTLE - 100 * MS);
        assertTrue(h.sentSince(sent).stream().noneMatch(p -> p.packet.poll()),
                "still slow 5 s after Up: we were late 2 s into it");
        peerAlive(s, 200 * MS);
        CoreHarness.Sent poll = h.sentSince(sent).stream().filter(p -> p.packet.poll())
                .findFirst().orElseThrow(() -> new AssertionError("no poll after settling"));
        assertEquals(stalledAt + SETTLE, poll.time);
    }

    @Test
    void aTransmissionLateByMoreThanTheConfiguredIntervalCountsAsLateness() {
        CoreSession s = upSession();
        // A peer that allows 50 × 50 ms: our detection survives the clock jump below.
        peerAlive(s, 2_000 * MS, 50);
        long lastSent = h.last().time;
        h.now = lastSent + 1_100 * MS; // the next packet was due 0.75-1 s after the last
        h.receive(h.from(s, BfdState.UP).detectMultiplier(50));
        assertTrue(h.last().time == h.now, "the late packet went out now");
        long lateAt = h.now;
        peerAlive(s, SETTLE - 100 * MS);
        assertEquals(CoreSession.SLOW_TX_INTERVAL_US, s.transmitInterval());
        peerAlive(s, 200 * MS);
        assertEquals(50_000, s.transmitInterval(), "settled 5 s after the late packet");
        assertTrue(h.sent.stream().anyMatch(p -> p.packet.poll() && p.time == lateAt + SETTLE));
    }

    @Test
    void aSessionThatGoesDownSettlesAgainFromItsNextUp() {
        CoreSession s = upSession();
        peerAlive(s, 1_000 * MS);
        h.receive(h.from(s, BfdState.DOWN));
        assertEquals(BfdState.DOWN, s.state());
        assertNull(CoreHarness.snapshot(s).settlingUntil(), "only an Up session settles");
        h.runFor(3_000 * MS);
        h.receive(h.from(s, BfdState.INIT));
        assertEquals(BfdState.UP, s.state());
        long up = h.now;
        int sent = h.sent.size();
        peerAlive(s, SETTLE + 100 * MS);
        CoreHarness.Sent poll = h.sentSince(sent).stream().filter(p -> p.packet.poll())
                .findFirst().orElseThrow(() -> new AssertionError("no poll after settling"));
        assertEquals(up + SETTLE, poll.time, "the first Up's timer did not carry over");
    }

    @Test
    void echoStartsOnlyOnceSettled() {
        CoreSession s = h.add(CoreHarness.config().desiredMinEchoTxInterval(20_000)
                .requiredMinEchoRxInterval(30_000).build());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        h.receive(h.from(s, BfdState.UP).echo(40_000));
        assertEquals(BfdState.UP, s.state());
        long end = h.now + SETTLE - 100 * MS;
        while (h.now < end) {
            h.runFor(40 * MS);
            h.receive(h.from(s, BfdState.UP).echo(40_000));
        }
        assertTrue(h.echoes.isEmpty(), "we alone judge echo: not while we may run late");
        h.runFor(200 * MS);
        assertFalse(h.echoes.isEmpty(), "echo once settled");
    }

    @Test
    void withoutSettlingUpPollsAtOnce() {
        h.core.settleAfterUp(0);
        CoreSession s = upSession();
        assertTrue(h.last().packet.poll());
        assertEquals(50_000, h.last().packet.desiredMinTxInterval);
        assertNull(CoreHarness.snapshot(s).settlingUntil());
    }
}
