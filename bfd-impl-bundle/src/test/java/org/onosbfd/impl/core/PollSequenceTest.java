package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.PeerPacket;

/** RFC 5880 §6.5 and §6.8.3: Poll Sequences for parameter changes, and the Final reply. */
class PollSequenceTest {
    private final CoreHarness h = new CoreHarness();

    private CoreSession upSession() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        assertFalse(CoreHarness.snapshot(s).isPollActive());
        return s;
    }

    private void modify(CoreSession s, long tx, long rx) {
        h.core.reconfigure(s, s.config().toBuilder().desiredMinTxInterval(tx)
                .requiredMinRxInterval(rx).build(), null, h.now);
    }

    @Test
    void comingUpPollsForTheFastIntervalAndFinalEndsIt() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        h.receive(h.from(s, BfdState.UP));
        ControlPacket p = h.last().packet;
        assertTrue(p.poll(), "§6.8.3: the change from slow TX is a parameter change");
        assertEquals(50_000, p.desiredMinTxInterval);
        assertEquals(50_000, s.transmitInterval(), "a decrease applies at once");
        h.runFor(40 * MS);
        assertTrue(h.last().packet.poll(), "polls repeat until a Final arrives");
        h.receive(h.from(s, BfdState.UP).fin());
        h.runFor(60 * MS);
        assertFalse(h.last().packet.poll());
    }

    @Test
    void pollIsAnsweredAtOnceWithFinalAndWithoutPoll() {
        CoreSession s = upSession();
        int before = h.sent.size();
        h.receive(h.from(s, BfdState.UP).poll());
        assertEquals(before + 1, h.sent.size(), "not subject to the transmit timer");
        assertTrue(h.last().packet.fin());
        assertFalse(h.last().packet.poll(), "§6.8.7: never P and F together");
    }

    @Test
    void increasedTxWaitsForFinalWhileUp() {
        CoreSession s = upSession();
        modify(s, 200_000, 50_000);
        assertTrue(h.last().packet.poll());
        assertEquals(200_000, h.last().packet.desiredMinTxInterval, "new value advertised");
        assertEquals(50_000, s.transmitInterval(), "old interval used until Final");
        h.receive(h.from(s, BfdState.UP).fin());
        assertEquals(200_000, s.transmitInterval());
    }

    @Test
    void decreasedRxKeepsTheOldDetectionTimeUntilFinal() {
        CoreSession s = upSession();
        modify(s, 50_000, 20_000);
        h.receive(h.from(s, BfdState.UP).intervals(10_000, 50_000));
        assertEquals(3 * 50_000, s.detectionTime(), "old RequiredMinRx until acknowledged");
        h.receive(h.from(s, BfdState.UP).intervals(10_000, 50_000).fin());
        assertEquals(3 * 20_000, s.detectionTime());
    }

    @Test
    void increasedRxAndDecreasedTxApplyAtOnce() {
        CoreSession s = upSession();
        modify(s, 20_000, 90_000);
        assertEquals(3 * 90_000, s.detectionTime());
        h.receive(h.from(s, BfdState.UP).intervals(10_000, 10_000));
        assertEquals(20_000, s.transmitInterval());
    }

    @Test
    void changeWhileDownAppliesAtOnceWithoutPoll() {
        CoreSession s = h.add(CoreHarness.config().build());
        modify(s, 2_000_000, 70_000);
        h.runFor(2000 * MS);
        assertFalse(h.last().packet.poll(), "no poll before the peer is known");
        assertEquals(2_000_000, h.last().packet.desiredMinTxInterval);
        assertEquals(70_000, h.last().packet.requiredMinRxInterval);
    }

    @Test
    void pollWhilePollPendingStartsAnotherWithTheNewestValuesAfterFinal() {
        CoreSession s = upSession();
        modify(s, 100_000, 50_000);
        modify(s, 300_000, 50_000);
        assertEquals(50_000, s.transmitInterval());
        // This Final acknowledges only the first poll (100 ms).
        h.receive(h.from(s, BfdState.UP).fin());
        assertEquals(100_000, s.transmitInterval());
        assertTrue(CoreHarness.snapshot(s).isPollActive(),
                "a second Poll Sequence carries the newest values");
        h.runFor(100 * MS);
        assertTrue(h.last().packet.poll());
        assertEquals(300_000, h.last().packet.desiredMinTxInterval);
        h.receive(h.from(s, BfdState.UP).fin());
        assertEquals(300_000, s.transmitInterval());
        assertFalse(CoreHarness.snapshot(s).isPollActive());
    }

    @Test
    void finalWithoutPollIsHarmless() {
        CoreSession s = upSession();
        h.receive(h.from(s, BfdState.UP).fin());
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void parameterChangesNeverFlapTheSession() {
        CoreSession s = upSession();
        long[] txs = {10_000, 500_000, 30_000, 1_000_000, 50_000};
        for (long tx : txs) {
            modify(s, tx, tx);
            for (int i = 0; i < 20; i++) {
                h.runFor(10 * MS);
                h.receive(h.from(s, BfdState.UP).fin());
            }
        }
        assertEquals(BfdState.UP, s.state());
        assertEquals(1, h.changes.stream().filter(c -> c.to == BfdState.UP).count());
    }
}
