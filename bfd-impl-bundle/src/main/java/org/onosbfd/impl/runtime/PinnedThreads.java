package org.onosbfd.impl.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread pinned to each CPU this process may use, waking every interval and doing
 * nothing else. On a virtual machine a CPU that halts may be taken off its physical core by
 * the host and, when the host is busy, be given back tens of milliseconds after its next
 * interrupt was due: the event loop, woken by a packet or a timer on that CPU, then runs that
 * much late, and at 10 ms × 3 a 20 ms stall is a Down of every session. Measured on the
 * project's virtual machine (BENCHMARKS.md, "What holds 10 ms here"): with a 1 ms wake-up
 * pinned to each CPU, 1,000 sessions × 10 ms held in every window; without, every window lost
 * sessions, and wake-ups that were not pinned or came every 10 ms did not hold. The mechanism
 * is the host's and not visible from the guest; off by default, for hosts that show it.
 *
 * <p>Each thread runs at normal priority: it only needs to be runnable now and then, and real
 * time would make it compete with the event loop it is there to help.
 */
public final class CpuWakers {
    private static final Logger log = LoggerFactory.getLogger(CpuWakers.class);
    /** The affinity mask's size in bytes: 1,024 CPUs, as glibc's cpu_set_t. */
    private static final int MASK_BYTES = 128;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private CpuWakers() {
    }

    /** Native calls, bound on first use only. */
    private static final class Libc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int sched_getaffinity(int pid, long size, Memory mask)
                throws LastErrorException;

        static native int sched_setaffinity(int pid, long size, Memory mask)
                throws LastErrorException;
    }

    /**
     * Starts a waker on every CPU the process may run on, each waking every
     * {@code intervalMicros}; 0 starts none. Never throws: what could not be done is logged,
     * and a CPU whose thread could not be pinned gets none.
     */
    public static CpuWakers start(int intervalMicros) {
        CpuWakers wakers = new CpuWakers();
        if (intervalMicros <= 0) {
            return wakers;
        }
        if (!Platform.isLinux()) {
            log.info("BFD: CPU wakers are for Linux only; none started");
            return wakers;
        }
        BitSet cpus;
        try {
            cpus = allowedCpus();
        } catch (LastErrorException | LinkageError e) {
            log.warn("BFD: no CPU wakers: the CPUs allowed could not be read ({})", e.toString());
            return wakers;
        }
        long intervalNanos = intervalMicros * 1000L;
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            int pinnedTo = cpu;
            Thread thread = new Thread(() -> wakeOn(pinnedTo, intervalNanos, wakers),
                    "bfd-cpu-waker-" + cpu);
            thread.setDaemon(true);
            wakers.threads.add(thread);
            thread.start();
        }
        log.info("BFD: CPU wakers on CPUs {}, every {} µs", cpus, intervalMicros);
        return wakers;
    }

    private static BitSet allowedCpus() {
        Memory mask = new Memory(MASK_BYTES);
        mask.clear();
        Libc.sched_getaffinity(0, MASK_BYTES, mask);
        return BitSet.valueOf(mask.getByteArray(0, MASK_BYTES));
    }

    private static void wakeOn(int cpu, long intervalNanos, CpuWakers wakers) {
        try {
            Memory mask = new Memory(MASK_BYTES);
            mask.clear();
            mask.setByte(cpu / 8, (byte) (1 << (cpu % 8)));
            // pid 0: the calling thread.
            Libc.sched_setaffinity(0, MASK_BYTES, mask);
        } catch (LastErrorException | LinkageError e) {
            log.warn("BFD: no CPU waker on CPU {}: it could not be pinned ({})", cpu,
                    e.toString());
            return;
        }
        while (wakers.running) {
            LockSupport.parkNanos(intervalNanos);
        }
    }

    /** The number of threads started (one per CPU allowed, or none). */
    public int size() {
        return threads.size();
    }

    /** Stops every waker; they end within one interval. */
    public void stop() {
        running = false;
        threads.forEach(LockSupport::unpark);
    }
}
