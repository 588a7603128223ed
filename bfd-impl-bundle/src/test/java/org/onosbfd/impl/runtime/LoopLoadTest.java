package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The loop's share of a CPU, over whole windows of 10 s, from readings the test makes up. */
class LoopLoadTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void reportsTheShareOnceAWholeWindowHasPassed() {
        LoopLoad load = new LoopLoad();
        assertEquals(LoopLoad.UNKNOWN, load.sample(100 * SECOND, 7 * SECOND), "first reading");
        assertEquals(LoopLoad.UNKNOWN, load.sample(109 * SECOND, 15 * SECOND), "9 s: no window");
        assertEquals(LoopLoad.UNKNOWN, load.lastPercent());
        assertEquals(93, load.sample(110 * SECOND, 7 * SECOND + 9_300_000_000L));
        assertEquals(93, load.lastPercent());
    }

    @Test
    void eachWindowStartsWhereTheLastEnded() {
        LoopLoad load = new LoopLoad();
        load.sample(0, 0);
        assertEquals(95, load.sample(10 * SECOND, 9_500_000_000L));
        // A busy window, then a quiet one: the quiet one does not inherit the busy one's CPU.
        assertEquals(20, load.sample(20 * SECOND + 1, 9_500_000_000L + 2 * SECOND));
        assertEquals(20, load.lastPercent());
    }

    @Test
    void aLongerWindowIsDividedByItsOwnLength() {
        LoopLoad load = new LoopLoad();
        load.sample(0, 0);
        // The loop slept 30 s without a turn (no sessions): 15 s of CPU over 30 s is half.
        assertEquals(50, load.sample(30 * SECOND, 15 * SECOND));
    }

    @Test
    void neverReportsMoreThanAWholeCpu() {
        LoopLoad load = new LoopLoad();
        load.sample(0, 0);
        assertEquals(100, load.sample(10 * SECOND, 10 * SECOND + 4_000_000L));
    }

    @Test
    void staysUnknownWithoutACpuClock() {
        LoopLoad load = new LoopLoad();
        assertEquals(LoopLoad.UNKNOWN, load.sample(0, -1));
        assertEquals(LoopLoad.UNKNOWN, load.sample(60 * SECOND, -1));
        assertEquals(LoopLoad.UNKNOWN, load.lastPercent());
    }
}
