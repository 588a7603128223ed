package org.onosbfd.impl.runtime;

/**
 * How much of a CPU the event loop used, over windows of {@link #WINDOW_NANOS}: the headroom
 * an operator has before our own lateness can fail sessions. A loop near a whole CPU has none:
 * the next slowdown of the host (measured on the project's machine: 15-40 % for hours) or
 * stall leaves transmissions behind, and peers declare the sessions Down (BENCHMARKS.md).
 * Above {@link #WARNING_PERCENT} the loop logs it, before any session fails.
 *
 * <p>Fed by the loop once per turn with the monotonic clock and the loop thread's CPU clock;
 * pure otherwise. Thread: the event loop writes, any thread reads {@link #lastPercent}.
 */
final class LoopLoad {
    static final long WINDOW_NANOS = 10_000_000_000L;
    /**
     * The share of a CPU above which the loop says it has too little headroom. 5,000 sessions
     * at 0.6 of a CPU held for ten minutes; 10,000 at 0.93-0.99 held on some evenings only.
     */
    static final int WARNING_PERCENT = 80;
    /** No window measured yet, or no CPU clock for the thread. */
    static final int UNKNOWN = -1;

    private long windowStart;
    private long cpuAtWindowStart = -1;
    private volatile int lastPercent = UNKNOWN;

    /**
     * One reading, at the start of a turn.
     *
     * @param monotonicNanos the real monotonic clock (the CPU clock is real: no test clock)
     * @param cpuNanos       the loop thread's CPU time so far, or negative when unsupported
     * @return the window's share of a CPU in percent when this reading ended a window, else
     *         {@link #UNKNOWN}
     */
    int sample(long monotonicNanos, long cpuNanos) {
        if (cpuNanos < 0) {
            return UNKNOWN;
        }
        if (cpuAtWindowStart < 0) {
            startWindow(monotonicNanos, cpuNanos);
            return UNKNOWN;
        }
        long elapsed = monotonicNanos - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return UNKNOWN;
        }
        // One thread's CPU time cannot outrun the clock; rounding of the two clocks can.
        int percent = (int) Math.min(100,
                ((cpuNanos - cpuAtWindowStart) * 100 + elapsed / 2) / elapsed);
        lastPercent = percent;
        startWindow(monotonicNanos, cpuNanos);
        return percent;
    }

    private void startWindow(long monotonicNanos, long cpuNanos) {
        windowStart = monotonicNanos;
        cpuAtWindowStart = cpuNanos;
    }

    /** The last whole window's share of a CPU in percent, or {@link #UNKNOWN}; any thread. */
    int lastPercent() {
        return lastPercent;
    }
}
