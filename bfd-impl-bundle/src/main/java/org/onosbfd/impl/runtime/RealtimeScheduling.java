package org.onosbfd.impl.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Linux to run the calling thread under SCHED_FIFO, so that busy processes at normal
 * priority cannot delay BFD's timers (a late packet from us is a false Down at the peer).
 * SCHED_FIFO needs CAP_SYS_NICE (root has it) or an RLIMIT_RTPRIO; without either the thread
 * keeps normal scheduling and says so.
 *
 * <p>Linux's real-time throttling bounds what a runaway real-time thread can take from the rest
 * of the host: by default the real-time threads of a CPU may run 950 ms of each second
 * ({@code kernel.sched_rt_runtime_us} of {@code kernel.sched_rt_period_us}), and are then
 * stopped for the rest of it. A loop that needs nearly a whole CPU (10,000 sessions at 50 ms on
 * two cores) reaches that limit every second and is stopped for 50 ms at a time, which its
 * peers may see as a Down (BENCHMARKS.md). What the host allows is logged with the grant, so
 * that an operator at that scale knows which setting to change.
 */
public final class RealtimeScheduling {
    /** Below the kernel's own real-time threads (50), above nothing else by default. */
    public static final int DEFAULT_PRIORITY = 10;
    /** SCHED_FIFO's highest priority on Linux. */
    public static final int MAX_PRIORITY = 99;
    private static final int SCHED_FIFO = 1;
    private static final Logger log = LoggerFactory.getLogger(RealtimeScheduling.class);

    private RealtimeScheduling() {
    }

    /**
     * Puts the calling thread under SCHED_FIFO at {@code priority} (1-99); 0 leaves it as it
     * is. Never throws: the outcome is logged.
     *
     * @return true when granted
     */
    public static boolean request(int priority) {
        String thread = Thread.currentThread().getName();
        if (priority <= 0) {
            log.info("BFD: {} runs with normal scheduling (priority 0 asked for)", thread);
            return false;
        }
        if (!Platform.isLinux()) {
            log.info("BFD: {} runs with normal scheduling (real-time scheduling is asked for "
                    + "on Linux only)", thread);
            return false;
        }
        int clamped = Math.min(priority, MAX_PRIORITY);
        try {
            Memory param = new Memory(4);
            param.setInt(0, clamped);
            // pid 0: the calling thread (a Linux thread is a task of its own).
            SchedulerCalls.sched_setscheduler(0, SCHED_FIFO, param);
            log.info("BFD: {} runs under SCHED_FIFO priority {}; {}", thread, clamped,
                    describeLimit(readMicros("sched_rt_runtime_us"),
                            readMicros("sched_rt_period_us")));
            return true;
        } catch (LastErrorException e) {
            log.warn("BFD: {} keeps normal scheduling: SCHED_FIFO priority {} refused (errno {}"
                    + "{}); timers may be late when the host is busy", thread, clamped,
                    e.getErrorCode(), e.getErrorCode() == 1
                            ? ": needs CAP_SYS_NICE or an RLIMIT_RTPRIO" : "");
            return false;
        } catch (LinkageError e) {
            log.warn("BFD: {} keeps normal scheduling: {}", thread, e.toString());
            return false;
        }
    }

    /**
     * What the host's real-time throttling allows, for the log: {@code runtimeMicros} of each
     * {@code periodMicros} (a runtime of -1: no limit; null: not readable).
     */
    static String describeLimit(Long runtimeMicros, Long periodMicros) {
        if (runtimeMicros == null || periodMicros == null || periodMicros <= 0) {
            return "the host's real-time limit could not be read";
        }
        if (runtimeMicros < 0 || runtimeMicros >= periodMicros) {
            return "the host does not throttle real-time threads";
        }
        return String.format("the host lets real-time threads run %d ms of each %d ms "
                        + "(kernel.sched_rt_runtime_us) and stops them for the rest, %d ms at a "
                        + "time: for a loop near a whole CPU, set it to -1",
                runtimeMicros / 1000, periodMicros / 1000, (periodMicros - runtimeMicros) / 1000);
    }

    private static Long readMicros(String name) {
        String value = Sysctl.read("kernel", name);
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
