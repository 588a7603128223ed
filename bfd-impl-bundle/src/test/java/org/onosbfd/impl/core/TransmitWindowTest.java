package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.Sent;

/**
 * {@link BfdCore#transmitWindow}: a turn sends every periodic packet whose window has opened, and
 * the packets of each session still keep §6.8.7 (the interval reduced by 0-25 %, 10-25 % at
 * Detect Mult 1); detection is never judged early.
 */
class TransmitWindowTest {
    private static final long US = 1_000;
    private final CoreHarness h = new CoreHarness();

    /** The loop's turns: the clock moves by {@code step} and due or opened timers run. */
    private void turnsEvery(long step, long duration) {
        long end = h.now + duration;
        while (h.now < end) {
            h.now += step;
            h.advance();
        }
    }

    private static Map<CoreSession, List<Long>> timesBySession(List<Sent> sent) {
        Map<CoreSession, List<Long>> times = new HashMap<>();
        for (Sent packet : sent) {
            times.computeIfAbsent(packet.session, s -> new ArrayList<>()).add(packet.time);
        }
        return times;
    }

    /** Every gap between a session's consecutive packets is within [least, most]. */
    private static void assertGaps(List<Sent> sent, long least, long most) {
        int gaps = 0;
        for (List<Long> times : timesBySession(sent).values()) {
            for (int i = 1; i < times.size(); i++) {
                long gap = times.get(i) - times.get(i - 1);
                assertTrue(gap >= least && gap <= most, "gap " + gap + " outside " + least
                        + "-" + most);
                gaps++;
            }
        }
        assertTrue(gaps > 100, "measured " + gaps + " gaps");
    }

    @Test
    void oneTurnSendsEveryPacketWhoseWindowHasOpened() {
        h.core.transmitWindow(10 * MS);
        for (int i = 0; i < 100; i++) {
            h.add(CoreHarness.config().interfaceName("eth" + i).build());
        }
        int start = h.sent.size();
        // Turns only at deadlines, as an idle loop wakes: no packet is ever late.
        h.runFor(100_000 * MS);
        List<Sent> sent = h.sentSince(start);
        // Down: one packet a second (§6.8.3), jittered, and at most 10 ms early.
        assertGaps(sent, 750 * MS, 1000 * MS);
        long turns = sent.stream().mapToLong(s -> s.time).distinct().count();
        assertTrue(turns * 2 < sent.size(), sent.size() + " packets in " + turns + " turns");
    }

    @Test
    void withoutAWindowEveryPacketGoesAtItsOwnTime() {
        for (int i = 0; i < 100; i++) {
            h.add(CoreHarness.config().interfaceName("eth" + i).build());
        }
        int start = h.sent.size();
        h.runFor(20_000 * MS);
        List<Sent> sent = h.sentSince(start);
        long turns = sent.stream().mapToLong(s -> s.time).distinct().count();
        assertTrue(turns > sent.size() * 0.95, sent.size() + " packets in " + turns + " turns");
    }

    @Test
    void earlyPacketsKeepTheJitterOfSectionSixEightSeven() {
        h.core.transmitWindow(2 * MS);
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        int start = h.sent.size();
        for (int i = 0; i < 300; i++) {
            // A turn every 100 µs: every packet goes as early as its window allows.
            turnsEvery(100 * US, 40 * MS);
            h.receive(h.from(s, BfdState.UP));
        }
        List<Sent> sent = h.sentSince(start);
        assertGaps(sent, 37_500 * US, 50 * MS);
        assertEquals(0, CoreHarness.snapshot(s).maxTxLateness(), "none late");
        long longest = 0;
        for (int i = 1; i < sent.size(); i++) {
            longest = Math.max(longest, sent.get(i).time - sent.get(i - 1).time);
        }
        // 2 ms early at most, taken from the 25 %: the longest gap is 50 ms less about 2 ms.
        assertTrue(longest <= 48_100 * US, "longest gap " + longest);
    }

    @Test
    void detectMultiplierOneKeepsTenToTwentyFivePercentWithTheWindow() {
        h.core.transmitWindow(2 * MS);
        CoreSession s = h.add(CoreHarness.config().detectMultiplier(1).build());
        h.bringUp(s);
        int start = h.sent.size();
        for (int i = 0; i < 300; i++) {
            turnsEvery(100 * US, 30 * MS);
            h.receive(h.from(s, BfdState.UP));
        }
        assertGaps(h.sentSince(start), 37_500 * US, 45 * MS);
    }

    @Test
    void theWindowIsAtMostFivePercentOfTheInterval() {
        h.core.transmitWindow(10 * MS);
        assertEquals(500, h.core.transmitWindowMicros(10_000), "10 ms: 0.5 ms");
        assertEquals(2_500, h.core.transmitWindowMicros(50_000), "50 ms: 2.5 ms");
        assertEquals(10_000, h.core.transmitWindowMicros(1_000_000), "1 s: the 10 ms asked for");
    }

    @Test
    void detectionIsJudgedAtItsTimeNotInTheWindow() {
        h.core.transmitWindow(2 * MS);
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        turnsEvery(100 * US, 40 * MS);
        h.receive(h.from(s, BfdState.UP));
        long lastArrival = h.now;
        turnsEvery(100 * US, 149_900 * US);
        assertEquals(BfdState.UP, s.state(), "not Down within the detection time");
        turnsEvery(100 * US, 100 * US);
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(lastArrival + 150 * MS, h.changes.get(h.changes.size() - 1).time);
    }

    @Test
    void warmingBeforeABatchChangesNothing() {
        List<CoreSession> sessions = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CoreSession session = h.add(CoreHarness.config().interfaceName("eth" + i).build());
            h.bringUp(session);
            sessions.add(session);
        }
        int[] discriminators = new int[sessions.size() + 2];
        for (int i = 0; i < sessions.size(); i++) {
            discriminators[i] = sessions.get(i).localDiscriminator;
        }
        discriminators[sessions.size()] = 0; // unknown ones are skipped
        discriminators[sessions.size() + 1] = 0x7654_3210;
        int sent = h.sent.size();
        long deadline = h.core.nextDeadline();
        String before = sessions.stream().map(CoreHarness::snapshot).collect(
                java.util.stream.Collectors.toList()).toString();

        // More than one batch of arrivals: the scratch holds 64.
        h.core.warmArrivals(discriminators, discriminators.length);

        assertEquals(sent, h.sent.size(), "nothing sent");
        assertEquals(deadline, h.core.nextDeadline(), "no timer moved");
        assertEquals(before, sessions.stream().map(CoreHarness::snapshot).collect(
                java.util.stream.Collectors.toList()).toString(), "no state, counter or figure");
        h.core.transmitWindow(10 * MS);
        turnsEvery(MS, 1_000 * MS); // warms each turn's batch before sending it
        assertEquals(sessions.size(), timesBySession(h.sentSince(sent)).size(),
                "every session sent in its window");
    }
}
