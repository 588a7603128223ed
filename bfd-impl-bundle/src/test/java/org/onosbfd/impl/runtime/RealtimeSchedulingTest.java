package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RealtimeSchedulingTest {
    @Test
    void describesTheDefaultThrottleAndHowLongItStopsTheLoop() {
        assertEquals("the host lets real-time threads run 950 ms of each 1000 ms "
                        + "(kernel.sched_rt_runtime_us) and stops them for the rest, 50 ms at a "
                        + "time: for a loop near a whole CPU, set it to -1",
                RealtimeScheduling.describeLimit(950_000L, 1_000_000L));
    }

    @Test
    void saysWhenTheHostDoesNotThrottle() {
        assertEquals("the host does not throttle real-time threads",
                RealtimeScheduling.describeLimit(-1L, 1_000_000L));
        assertEquals("the host does not throttle real-time threads",
                RealtimeScheduling.describeLimit(1_000_000L, 1_000_000L));
    }

    @Test
    void saysWhenTheLimitCannotBeRead() {
        assertEquals("the host's real-time limit could not be read",
                RealtimeScheduling.describeLimit(null, 1_000_000L));
        assertEquals("the host's real-time limit could not be read",
                RealtimeScheduling.describeLimit(950_000L, 0L));
    }
}
