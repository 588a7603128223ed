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
 * keeps normal scheduling and says so. Linux's real-time throttling (95 % of each second by
 * default) bounds what a runaway real-time thread can take from the rest of the host.
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
            log.info("BFD: {} runs under SCHED_FIFO priority {}", thread, clamped);
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
}
