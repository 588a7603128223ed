package org.onosbfd.impl.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread pinned to each CPU this process may use, running a task every period. Its use:
 * work that must still run when the CPU holding the event loop does not. On a virtual machine
 * the host takes a vCPU away now and then (measured on the project's machine: about 100 ms,
 * one vCPU at a time, whatever runs on it; BENCHMARKS.md), and a thread that could run
 * anywhere may be the one caught on it. A thread on each CPU has one that still runs.
 *
 * <p>Each thread asks for the real-time priority it is given ({@link RealtimeScheduling}), so
 * that busy processes at normal priority do not delay it; its task must be short.
 */
public final class PinnedThreads {
    private static final Logger log = LoggerFactory.getLogger(PinnedThreads.class);
    /** The affinity mask's size in bytes: 1,024 CPUs, as glibc's cpu_set_t. */
    private static final int MASK_BYTES = 128;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private PinnedThreads() {
    }

    /** None: what {@link #start} gives where it cannot or need not start any. */
    public static PinnedThreads none() {
        return new PinnedThreads();
    }

    /**
     * Starts a thread on every CPU the process may run on, named {@code name-<cpu>}, each
     * running {@code task} every {@code periodNanos}. Never throws: what could not be done is
     * logged, and a CPU whose thread could not be pinned gets none.
     *
     * @param priority the real-time priority asked for (0: normal scheduling)
     */
    public static PinnedThreads start(String name, long periodNanos, int priority,
                                      Runnable task) {
        PinnedThreads started = new PinnedThreads();
        if (!Platform.isLinux()) {
            log.info("BFD: {} threads are for Linux only; none started", name);
            return started;
        }
        BitSet cpus;
        try {
            cpus = allowedCpus();
        } catch (LastErrorException | LinkageError e) {
            log.warn("BFD: no {} threads: the CPUs allowed could not be read ({})", name,
                    e.toString());
            return started;
        }
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            int pinnedTo = cpu;
            Thread thread = new Thread(
                    () -> started.runOn(pinnedTo, periodNanos, priority, task), name + "-" + cpu);
            thread.setDaemon(true);
            started.threads.add(thread);
            thread.start();
        }
        log.info("BFD: {} threads on CPUs {}, every {} µs", name, cpus, periodNanos / 1000);
        return started;
    }

    private static BitSet allowedCpus() {
        Memory mask = new Memory(MASK_BYTES);
        mask.clear();
        SchedulerCalls.sched_getaffinity(0, MASK_BYTES, mask);
        return BitSet.valueOf(mask.getByteArray(0, MASK_BYTES));
    }

    private void runOn(int cpu, long periodNanos, int priority, Runnable task) {
        try {
            Memory mask = new Memory(MASK_BYTES);
            mask.clear();
            mask.setByte(cpu / 8, (byte) (1 << (cpu % 8)));
            // pid 0: the calling thread.
            SchedulerCalls.sched_setaffinity(0, MASK_BYTES, mask);
        } catch (LastErrorException | LinkageError e) {
            log.warn("BFD: {} not started: it could not be pinned to CPU {} ({})",
                    Thread.currentThread().getName(), cpu, e.toString());
            return;
        }
        RealtimeScheduling.request(priority);
        // One per thread: a task that keeps failing logs a line a minute, not one a period.
        RateLimitedLog faults = new RateLimitedLog(log, 60_000_000_000L);
        while (running) {
            try {
                task.run();
            } catch (RuntimeException e) {
                faults.warn("BFD: task failed on ", Thread.currentThread().getName(), e);
            }
            LockSupport.parkNanos(periodNanos);
        }
    }

    /** The number of threads started (one per CPU allowed, or none). */
    public int size() {
        return threads.size();
    }

    /** Stops every thread and waits (a second at most) until each has ended. */
    public void stop() {
        running = false;
        threads.forEach(LockSupport::unpark);
        for (Thread thread : threads) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
