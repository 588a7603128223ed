package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.PeerPacket;
import org.onosbfd.impl.core.CoreHarness.Sent;

/** RFC 5880 §6.8.2, §6.8.3 and §6.8.7: negotiated intervals, jitter, slow TX, passive role. */
class TimerTest {
    private final CoreHarness h = new CoreHarness();

    /** Gaps between consecutive periodic packets (packets sent at once for events excluded). */
    private static long[] gaps(List<Sent> packets) {
        long[] gaps = new long[packets.size() - 1];
        for (int i = 1; i < packets.size(); i++) {
            gaps[i - 1] = packets.get(i).time - packets.get(i - 1).time;
        }
        return gaps;
    }

    @Test
    void slowTransmissionOfAtLeastOneSecondWhileDownWithJitter() {
        h.add(CoreHarness.config().build());
        h.runFor(100_000 * MS);
        long[] gaps = gaps(h.sent);
        assertTrue(gaps.length > 100);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long gap : gaps) {
            min = Math.min(min, gap);
            max = Math.max(max, gap);
        }
        assertTrue(min >= 750 * MS, "jitter reduces by at most 25 %: " + min);
        assertTrue(max <= 1000 * MS, "never more than the interval: " + max);
        assertTrue(max - min > 150 * MS, "jitter is applied per packet");
    }

    @Test
    void upUsesTheLargerOfOurTxAndTheirRxJitteredSeventyFiveToHundredPercent() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        // Peer asks for at most one packet per 80 ms.
        h.receive(h.from(s, BfdState.UP).intervals(50_000, 80_000));
        assertEquals(80_000, s.transmitInterval());
        int start = h.sent.size();
        for (int i = 0; i < 200; i++) {
            h.runFor(40 * MS);
            h.receive(h.from(s, BfdState.UP).intervals(50_000, 80_000));
        }
        for (long gap : gaps(h.sentSince(start))) {
            assertTrue(gap >= 60 * MS && gap <= 80 * MS, "gap " + gap);
        }
    }

    @Test
    void detectMultiplierOneJittersBetweenSeventyFiveAndNinetyPercent() {
        CoreSession s = h.add(CoreHarness.config().detectMultiplier(1).build());
        h.bringUp(s);
        int start = h.sent.size();
        for (int i = 0; i < 300; i++) {
            h.runFor(30 * MS);
            h.receive(h.from(s, BfdState.UP));
        }
        for (long gap : gaps(h.sentSince(start))) {
            assertTrue(gap >= 37_500_000 && gap <= 45 * MS, "gap " + gap);
        }
    }

    @Test
    void noPeriodicPacketsWhenThePeerAsksForNone() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.receive(h.from(s, BfdState.UP).intervals(50_000, 0));
        int before = h.sent.size();
        for (int i = 0; i < 10; i++) {
            h.runFor(40 * MS);
            h.receive(h.from(s, BfdState.UP).intervals(50_000, 0));
        }
        assertEquals(before, h.sent.size(), "§6.8.7: RemoteMinRxInterval zero");
        h.receive(h.from(s, BfdState.UP).intervals(50_000, 0).poll());
        assertEquals(before + 1, h.sent.size(), "a Poll is still answered");
        assertTrue(h.last().packet.fin());
    }

    @Test
    void passiveSessionWaitsForThePeer() {
        CoreSession s = h.add(CoreHarness.config().passive(true).build());
        h.runFor(10_000 * MS);
        assertTrue(h.sent.isEmpty(), "§6.8.7: passive sends nothing before RemoteDiscr is known");
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, s.state());
        assertEquals(CoreHarness.PEER_DISCRIMINATOR, h.last().packet.yourDiscriminator);
        h.receive(h.from(s, BfdState.UP));
        h.answerPoll(s);
        int before = h.sent.size();
        h.runFor(1000 * MS);
        assertTrue(h.sent.size() - before >= 1, "transmits once the peer is known");
    }

    @Test
    void passiveSessionFallsSilentAgainAfterTimeout() {
        CoreSession s = h.add(CoreHarness.config().passive(true).build());
        h.bringUp(s);
        h.runFor(200 * MS);
        assertEquals(BfdState.DOWN, s.state());
        int before = h.sent.size();
        h.runFor(10_000 * MS);
        assertEquals(before, h.sent.size());
    }

    @Test
    void largerRemoteRxRetimesTheNextPacketFromTheLastOne() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.runFor(1 * MS);
        long lastTx = h.last().time;
        // The peer slows down both ways, so that detection (3 s) does not interfere.
        h.receive(h.from(s, BfdState.UP).intervals(1_000_000, 1_000_000));
        int before = h.sent.size();
        h.runUntil(lastTx + 749 * MS);
        assertEquals(before, h.sent.size(), "nothing before 75 % of the new interval");
        h.runUntil(lastTx + 1000 * MS);
        assertEquals(before + 1, h.sent.size(), "and something by 100 %");
    }

    @Test
    void txLatenessIsRecorded() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        long due = h.core.nextDeadline();
        h.now = due + 7 * MS;
        h.advance();
        assertEquals(7_000, CoreHarness.snapshot(s).maxTxLateness());
        assertEquals(7_000, CoreHarness.snapshot(s).lastTxLateness());
    }

    @Test
    void detectionSlackShowsHowCloseAPacketCameToAFalseDown() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.runFor(40 * MS);
        h.receive(h.from(s, BfdState.UP));
        h.runFor(120 * MS);
        h.receive(h.from(s, BfdState.UP));
        h.runFor(10 * MS);
        h.receive(h.from(s, BfdState.UP));
        org.onosbfd.api.BfdSession snapshot = CoreHarness.snapshot(s);
        assertEquals(30_000, snapshot.minDetectionSlack(), "150 ms detection - 120 ms gap");
        assertEquals(140_000, snapshot.lastDetectionSlack());
    }
}
