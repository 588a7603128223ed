package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onosbfd.impl.core.CoreHarness.MS;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * RFC 5880 §6.8.4 judged by arrival: a session goes Down only when no valid packet arrived
 * within the Detection Time, however late we read the packets (a stall of ours), and always
 * when none did, however late we look.
 */
class ArrivalTimeTest {
    private final CoreHarness h = new CoreHarness();
    private CoreSession session;
    private long lastArrival;

    @BeforeEach
    void up() {
        session = h.add(CoreHarness.config().build());
        h.bringUp(session);
        assertEquals(BfdState.UP, session.state());
        assertEquals(150_000, session.detectionTime());
        lastArrival = h.now;
    }

    /** A packet from the peer that arrived at {@code arrival}, read now. */
    private void receiveArrivedAt(long arrival) {
        h.meta.arrivedAt(arrival);
        h.receive(h.from(session, BfdState.UP));
        h.meta.arrivedAt(BfdRxMeta.ARRIVAL_UNKNOWN);
    }

    @Test
    void packetsThatArrivedInTimeDuringAStallKeepTheSessionUp() {
        // We stall for 400 ms (2.7 detection times); the peer kept sending every 50 ms, and the
        // packets waited in the socket. Read first, then the timers run: no Down.
        int changes = h.changes.size();
        h.now = lastArrival + 400 * MS;
        for (long t = lastArrival + 50 * MS; t <= h.now; t += 50 * MS) {
            receiveArrivedAt(t);
        }
        h.advance();
        assertEquals(BfdState.UP, session.state(), h.changes.toString());
        assertEquals(changes, h.changes.size(), "no change: " + h.changes);
    }

    @Test
    void detectionRunsFromTheArrivalNotFromWhenWeReadThePacket() {
        receiveArrivedAt(lastArrival + 50 * MS);
        h.now = lastArrival + 120 * MS; // read 70 ms late
        receiveArrivedAt(lastArrival + 50 * MS);
        // Silent peer from then on: Down at 50 + 150 ms, not at 120 + 150 ms.
        h.runUntil(lastArrival + 199 * MS);
        assertEquals(BfdState.UP, session.state());
        h.runUntil(lastArrival + 200 * MS);
        assertEquals(BfdState.DOWN, session.state());
        assertEquals(lastArrival + 200 * MS, h.changes.get(h.changes.size() - 1).time);
        assertEquals(0, h.expiredOnArrival.size(), "the timer fired, in time");
    }

    @Test
    void aPacketThatArrivedAfterTheDetectionTimeCannotSaveTheSession() {
        // The peer was silent for 200 ms, then spoke; we only look now: it failed all the same.
        h.now = lastArrival + 260 * MS;
        receiveArrivedAt(lastArrival + 200 * MS);
        assertEquals(BfdState.DOWN, session.state());
        assertEquals(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED,
                CoreHarness.snapshot(session).localDiagnostic());
        // Reported with the times it was judged on: 50 ms past detection, after 200 ms silent.
        assertEquals(1, h.expiredOnArrival.size());
        assertArrayEquals(new long[] {50 * MS, 200 * MS}, h.expiredOnArrival.get(0));
    }

    @Test
    void packetsReadOutOfOrderNeverShortenDetection() {
        h.now = lastArrival + 100 * MS;
        receiveArrivedAt(lastArrival + 100 * MS);
        receiveArrivedAt(lastArrival + 10 * MS); // an older packet read after a newer one
        h.runUntil(lastArrival + 249 * MS);
        assertEquals(BfdState.UP, session.state());
    }

    @Test
    void anArrivalInTheFutureCountsAsNow() {
        receiveArrivedAt(h.now + 1_000 * MS);
        h.runUntil(lastArrival + 149 * MS);
        assertEquals(BfdState.UP, session.state());
        h.runUntil(lastArrival + 150 * MS);
        assertEquals(BfdState.DOWN, session.state());
    }

    @Test
    void ourOwnStallDoesNotCountAsThePeersSilence() {
        // The host did not run us for 400 ms: packets the peer sent meanwhile reach the
        // socket only as we resume, stamped then. Detection is pushed back by the stall.
        h.now = lastArrival + 430 * MS;
        h.core.excuseStall(400 * MS, h.now);
        h.advance();
        assertEquals(BfdState.UP, session.state());
        receiveArrivedAt(lastArrival + 430 * MS);
        assertEquals(BfdState.UP, session.state());
        // A peer that stays silent is still detected, one Detection Time after its last packet.
        h.runUntil(lastArrival + 579 * MS);
        assertEquals(BfdState.UP, session.state());
        h.runUntil(lastArrival + 580 * MS);
        assertEquals(BfdState.DOWN, session.state());
    }
}
