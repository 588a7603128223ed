package org.onosbfd.impl.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What a slow turn of the loop spent its time on, as text only when logged: packets and timers,
 * API commands, and how much of it the loop thread was on a CPU. A turn much longer than its
 * CPU time was not our computation: the thread was not run (another process, the host) or
 * waited on the JVM (class loading, code generation, a safepoint).
 */
final class SlowTurn {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    private final long packetsAndTimers;
    private final long commands;
    private final long onCpu;

    /** All in nanoseconds; {@code onCpu} negative when the JVM cannot measure it. */
    SlowTurn(long packetsAndTimers, long commands, long onCpu) {
        this.packetsAndTimers = packetsAndTimers;
        this.commands = commands;
        this.onCpu = onCpu;
    }

    /** The calling thread's CPU time so far (user and system), or -1 when unsupported. */
    static long threadCpuNanos() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** The calling thread's CPU time since {@code start}, or -1 when unsupported. */
    static long cpuSince(long start) {
        return start < 0 ? -1 : threadCpuNanos() - start;
    }

    @Override
    public String toString() {
        return (packetsAndTimers + commands) / 1_000_000 + " ms: "
                + packetsAndTimers / 1_000_000 + " ms in packets and timers, "
                + commands / 1_000_000 + " ms in API commands"
                + (onCpu >= 0 ? "; the loop thread was on a CPU for " + onCpu / 1_000_000
                        + " ms of it" : "");
    }
}
