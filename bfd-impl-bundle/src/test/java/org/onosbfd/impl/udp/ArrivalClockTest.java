package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.spi.BfdRxMeta;

/** Kernel timestamps onto the monotonic clock, never later than the packet arrived. */
class ArrivalClockTest {
    private static final long MS = 1_000_000L;
    /** The wall clock runs this far ahead of the monotonic one until a test moves it. */
    private static final long OFFSET = 1_000_000 * MS;

    /** Scripted clock reads, in the order the pairing makes them. */
    private final Deque<Long> monotonicReads = new ArrayDeque<>();
    private final Deque<Long> wallReads = new ArrayDeque<>();
    private final ArrivalClock clock = new ArrivalClock(new ArrivalClock.Clocks() {
        @Override
        public long monotonic() {
            return monotonicReads.removeFirst();
        }

        @Override
        public long wall() {
            return wallReads.removeFirst();
        }
    });

    /** One reading taken at {@code monotonic}, wall clock ahead by {@code offset}, unpreempted. */
    private long readAt(long monotonic, long offset) {
        monotonicReads.add(monotonic);
        wallReads.add(monotonic + offset);
        monotonicReads.add(monotonic);
        return clock.read();
    }

    @Test
    void aTimestampIsTheArrivalOnTheMonotonicClock() {
        assertEquals(0, readAt(500 * MS, OFFSET));
        assertEquals(480 * MS, clock.arrival(480 * MS + OFFSET));
    }

    @Test
    void aReadingPreemptedBetweenTheClocksIsRetriedNotBelieved() {
        // Preempted for 115 ms between the wall and the second monotonic read: believed, this
        // reading would put every arrival of the batch 115 ms late and fail sessions whose
        // packets came in time.
        monotonicReads.add(500 * MS);
        wallReads.add(500 * MS + OFFSET);
        monotonicReads.add(615 * MS);
        readAt(615 * MS, OFFSET);
        assertEquals(600 * MS, clock.arrival(600 * MS + OFFSET));
        assertEquals(0, monotonicReads.size() + wallReads.size(), "retried once, then believed");
    }

    @Test
    void whenEveryAttemptIsPreemptedTheTightestBracketIsUsed() {
        long[] brackets = {40 * MS, 3 * MS, 9 * MS, 5 * MS};
        long monotonic = 500 * MS;
        for (long bracket : brackets) {
            monotonicReads.add(monotonic);
            wallReads.add(monotonic + bracket / 2 + OFFSET);
            monotonicReads.add(monotonic + bracket);
            monotonic += 100 * MS;
        }
        clock.read();
        // The wall clock was read mid-bracket; counted as read at the bracket's start, arrivals
        // err early: by 1.5 ms with the tightest bracket (3 ms, from 600 ms), more with others.
        assertEquals(598_500_000L, clock.arrival(600 * MS + OFFSET));
    }

    @Test
    void packetsStampedAcrossAStepBackCountFromTheEarlierReading() {
        readAt(500 * MS, OFFSET);
        // The wall clock is stepped back 200 ms; a packet stamped before the step is read after.
        assertEquals(-200 * MS, readAt(600 * MS, OFFSET - 200 * MS));
        assertEquals(590 * MS, clock.arrival(590 * MS + OFFSET), "not 790 ms: not judged late");
        // Stamped after the step: 200 ms early, as if one packet were lost, for this batch only.
        assertEquals(395 * MS, clock.arrival(595 * MS + OFFSET - 200 * MS));
        assertEquals(0, readAt(700 * MS, OFFSET - 200 * MS));
        assertEquals(695 * MS, clock.arrival(695 * MS + OFFSET - 200 * MS));
    }

    @Test
    void packetsStampedAcrossAStepForwardCountFromTheEarlierReading() {
        readAt(500 * MS, OFFSET);
        assertEquals(200 * MS, readAt(600 * MS, OFFSET + 200 * MS));
        assertEquals(390 * MS, clock.arrival(590 * MS + OFFSET), "early, never late");
        assertEquals(595 * MS, clock.arrival(595 * MS + OFFSET + 200 * MS));
    }

    @Test
    void aTimestampFromLongBeforeTheReadingIsNotBelieved() {
        readAt(20_000 * MS, OFFSET);
        assertEquals(BfdRxMeta.ARRIVAL_UNKNOWN, clock.arrival(9_000 * MS + OFFSET));
        assertEquals(11_000 * MS, clock.arrival(11_000 * MS + OFFSET));
    }
}
