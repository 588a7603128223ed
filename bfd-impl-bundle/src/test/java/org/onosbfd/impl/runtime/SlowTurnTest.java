package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The slow-turn log line says where the time went, and whether the loop was running. */
class SlowTurnTest {
    @Test
    void saysHowMuchOfTheTurnTheLoopThreadWasOnACpu() {
        assertEquals("134 ms: 134 ms in packets and timers, 0 ms in API commands; the loop "
                + "thread was on a CPU for 2 ms of it",
                new SlowTurn(134_000_000L, 0, 2_000_000L).toString());
    }

    @Test
    void leavesTheCpuTimeOutWhenTheJvmCannotMeasureIt() {
        assertEquals("25 ms: 5 ms in packets and timers, 20 ms in API commands",
                new SlowTurn(5_000_000L, 20_000_000L, SlowTurn.cpuSince(-1)).toString());
    }

    @Test
    void measuresTheCallingThreadsCpuTime() {
        long start = SlowTurn.threadCpuNanos();
        long spin = System.nanoTime() + 5_000_000L;
        while (System.nanoTime() < spin) {
            Thread.onSpinWait();
        }
        assertTrue(start < 0 || SlowTurn.cpuSince(start) > 0);
    }
}
