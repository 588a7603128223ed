package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdState;

/** RFC 5880 §6.6: Demand mode, honoured for the peer and used locally. */
class DemandModeTest {
    private final CoreHarness h = new CoreHarness();

    @Test
    void peerDemandStopsPeriodicPacketsWhileBothAreUpAndPollsAreAnswered() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.receive(h.from(s, BfdState.UP).demand());
        int before = h.sent.size();
        h.runFor(100 * MS);
        // The peer, in Demand mode, verifies the path with polls that we answer at once; it
        // keeps sending its own periodic packets, which here are the polls.
        h.receive(h.from(s, BfdState.UP).demand().poll());
        h.runFor(100 * MS);
        h.receive(h.from(s, BfdState.UP).demand().poll());
        assertEquals(before + 2, h.sent.size(), "only the two Finals");
        assertTrue(h.last().packet.fin());
        assertEquals(BfdState.UP, s.state());
        // Demand ends: periodic packets resume.
        h.receive(h.from(s, BfdState.UP));
        h.runFor(100 * MS);
        assertTrue(h.sent.size() >= before + 4);
    }

    @Test
    void peerDemandDoesNotSilenceOurOwnPoll() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.receive(h.from(s, BfdState.UP).demand());
        h.core.reconfigure(s, s.config().toBuilder().desiredMinTxInterval(100_000).build(),
                null, h.now);
        assertTrue(h.last().packet.poll());
        int before = h.sent.size();
        h.runFor(200 * MS);
        assertTrue(h.sent.size() > before, "§6.8.7: a Poll Sequence is sent even in Demand mode");
        h.receive(h.from(s, BfdState.UP).demand().fin());
        before = h.sent.size();
        h.runFor(300 * MS);
        h.receive(h.from(s, BfdState.UP).demand());
        assertEquals(before, h.sent.size());
    }

    @Test
    void localDemandSetsTheBitDetectsOnlyDuringPollsAndTimesOutAnUnansweredPoll() {
        CoreSession s = h.add(CoreHarness.config().demand(true).build());
        h.bringUp(s);
        assertEquals(ControlPacket.FLAG_DEMAND, h.last().packet.flags & ControlPacket.FLAG_DEMAND);
        // The peer honours demand and falls silent; answering our verification polls keeps
        // the session Up for far longer than a detection time.
        for (int i = 0; i < 20; i++) {
            h.runFor(100 * MS);
            if (h.last().packet.poll()) {
                h.receive(h.from(s, BfdState.UP).fin());
            }
        }
        assertEquals(BfdState.UP, s.state());
        // Now the polls go unanswered: Down within one verification period plus detection.
        long silentSince = h.now;
        h.runFor(400 * MS);
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED,
                CoreHarness.snapshot(s).localDiagnostic());
        assertTrue(h.changes.get(h.changes.size() - 1).time - silentSince <= 300 * MS);
    }
}
