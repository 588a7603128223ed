package org.onosbfd.impl.runtime;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.onosbfd.api.spi.BfdPacketReceiver;
import org.onosbfd.api.spi.BfdRxMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives the protocol core, as BIRD's event loop does. Each turn it first
 * reads every packet waiting (sleeping in its {@link Waiter} until the earliest timer if there is
 * nothing to do), then runs due timers, then API commands for a bounded time. Reading before
 * timers is what keeps our own lateness from failing a session: after a stall, the peer's
 * packets that arrived in time are seen before any detection timer is judged, and the core
 * judges them by their arrival time ({@link BfdRxMeta#arrival()}).
 *
 * <p>Transport threads hand packets over through an {@link InboundRing}, stamped with the time
 * they were handed over; commands from API callers go through a queue and are waited for.
 *
 * <p>Two modes, fixed at construction of the thread: until {@link #start()} the loop is
 * <em>direct</em> (unit tests, which never start it: the calling thread is the loop, commands
 * and packets run at once, {@link #runOnce()} drives timers on the injected clock); once started
 * only its own thread touches the core. A stopped or failed loop refuses every call.
 */
public final class EventLoop implements BfdPacketReceiver {
    /** What the loop drives: the protocol core, seen through the manager. */
    public interface Driven {
        void controlPacket(ByteBuffer packet, BfdRxMeta meta, long now);

        /** Control packets for these sessions come next ({@link BfdPacketReceiver#warm}). */
        void warm(int[] yourDiscriminators, int count);

        void echoPacket(ByteBuffer packet, BfdRxMeta meta, long now);

        /** Processing a received packet threw: count it as dropped (it is logged here). */
        void packetFailed(RuntimeException failure);

        /** Runs timers due at {@code now}; returns what failed (logged here), or null. */
        RuntimeException advance(long now);

        /** The earliest timer, monotonic nanoseconds. */
        long nextDeadline();

        /**
         * The loop did not run for {@code nanos} it meant to: that time does not count as any
         * peer's silence.
         */
        void excuseStall(long nanos);

        /** A transport's set of paths changed; see {@link BfdPacketReceiver#carriageChanged}. */
        default void carriageChanged() {
        }
    }

    private enum Mode { DIRECT, RUNNING, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static final int RING_CAPACITY = 1 << 14;
    /** Longest sleep without a deadline: bounds the cost of a missed wake-up to nothing. */
    private static final long MAX_PARK_NANOS = 100_000_000L;
    /**
     * How long API commands may run in one turn before I/O and timers get theirs again: a
     * burst of calls (six REST clients listing every session) must not delay a transmission.
     */
    private static final long COMMAND_BUDGET_NANOS = 1_000_000L;
    /**
     * The shortest time between two readings of input, by default. Under load, waking for
     * every packet separately costs a system call and a context switch each; reading at most
     * every 2 ms takes them in batches instead (recvmmsg). Waiting to read costs no liveness
     * (packets are judged by their kernel arrival time). Timers are not held back by it: a
     * due timer starts a turn at once, and transmissions are batched by their own window
     * ({@code BfdCore#transmitWindow}), which the service sets to this spacing.
     */
    public static final long DEFAULT_TURN_SPACING_NANOS = 2_000_000L;
    /** How long a caller waits for a command before giving up on a loop that does not answer. */
    private static final long CALL_TIMEOUT_SECONDS = 60;

    private final String name;
    private final LongSupplier clock;
    private final Driven driven;
    private final InboundRing inbound = new InboundRing(RING_CAPACITY);
    private final ConcurrentLinkedQueue<LoopCommand<?>> commands = new ConcurrentLinkedQueue<>();
    private final RateLimitedLog faults = new RateLimitedLog(log, 60_000_000_000L);
    private final RateLimitedLog slowTurns = new RateLimitedLog(log, 1_000_000_000L);
    private final RateLimitedLog stalls = new RateLimitedLog(log, 1_000_000_000L);
    private final RateLimitedLog saturation = new RateLimitedLog(log, 60_000_000_000L);
    private final LoopLoad load = new LoopLoad();
    /** A turn longer than this delays transmissions noticeably: it is logged. */
    private static final long SLOW_TURN_NANOS = 20_000_000L;
    /** A sleep overrun beyond this is a stall of ours, excused from detection. */
    private static final long STALL_NANOS = 10_000_000L;
    private volatile Mode mode = Mode.DIRECT;
    private volatile Thread thread;
    private volatile Throwable fatal;
    private volatile Waiter waiter = new Waiter.Park();
    /** Asked of the loop thread when it starts (real-time scheduling); may be null. */
    private volatile Runnable onThreadStart;
    /** Written by the loop thread only, read by displays. */
    private volatile long stallsExcused;
    private volatile long turnSpacingNanos = DEFAULT_TURN_SPACING_NANOS;
    /** True while the loop is inside the core; touched on the loop only. */
    private boolean busy;

    public EventLoop(String name, LongSupplier clock, Driven driven) {
        this.name = name;
        this.clock = clock;
        this.driven = driven;
    }

    /** Monotonic nanoseconds on the loop's clock. */
    public long now() {
        return clock.getAsLong();
    }

    /**
     * The shortest time between two readings of input: the most a received packet waits to be
     * read under load, traded for fewer wake-ups and larger batches. Due timers do not wait.
     */
    public void turnSpacing(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("turn spacing " + nanos + " ns");
        }
        this.turnSpacingNanos = nanos;
    }

    /** Runs on the loop's thread as it starts, before its first turn (for its scheduling). */
    public void onThreadStart(Runnable action) {
        this.onThreadStart = action;
    }

    public synchronized void start() {
        if (mode != Mode.DIRECT) {
            return;
        }
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        // Timers of a few tens of milliseconds: this thread must win against bulk work.
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        mode = Mode.RUNNING;
        t.start();
    }

    /** Sleeps in this waiter from now on (null: park again); called on the loop. */
    public void useWaiter(Waiter newWaiter) {
        Waiter old = waiter;
        waiter = newWaiter != null ? newWaiter : new Waiter.Park();
        old.wakeup();
    }

    /** Stops the loop for good; every later call is refused. */
    public synchronized void stop() {
        Mode was = mode;
        mode = Mode.STOPPED;
        Thread t = thread;
        if (was == Mode.RUNNING && t != null && t != Thread.currentThread()) {
            waiter.wakeup();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        refuseQueued();
    }

    /** True once {@link #stop()} was called or a fatal error ended the loop. */
    public boolean isStopped() {
        return mode == Mode.STOPPED;
    }

    private boolean onLoop() {
        Mode m = mode;
        return m == Mode.DIRECT || m == Mode.RUNNING && thread == Thread.currentThread();
    }

    /** Runs a command on the loop and waits for its result; exceptions propagate unchanged. */
    public <T> T call(Callable<T> work) {
        checkUsable();
        if (onLoop()) {
            return callHere(work);
        }
        LoopCommand<T> command = new LoopCommand<>(work);
        commands.add(command);
        if (mode != Mode.RUNNING) {
            // Stopped or failed since the check above: the loop will never take it.
            refuseQueued();
        }
        waiter.wakeup();
        try {
            return command.result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the BFD event loop", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the BFD event loop did not answer within "
                    + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private <T> T callHere(Callable<T> work) {
        Object[] result = new Object[1];
        enter(() -> {
            try {
                result[0] = work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    public void run(Runnable command) {
        call(() -> {
            command.run();
            return null;
        });
    }

    private void checkUsable() {
        if (fatal != null || mode == Mode.STOPPED) {
            throw refusal();
        }
    }

    /** Why a stopped loop takes no more calls. */
    private IllegalStateException refusal() {
        Throwable failure = fatal;
        return failure != null
                ? new IllegalStateException("the BFD event loop stopped after a fatal error: "
                        + failure, failure)
                : new IllegalStateException("the BFD service is stopped");
    }

    /** Fails every queued command: nothing will run it. */
    private void refuseQueued() {
        IllegalStateException refusal = refusal();
        LoopCommand<?> command;
        while ((command = commands.poll()) != null) {
            command.result.completeExceptionally(refusal);
        }
    }

    /** Queued for the loop: called from ONOS's listener threads, it must not wait. */
    @Override
    public void carriageChanged() {
        if (mode == Mode.STOPPED) {
            return;
        }
        if (onLoop()) {
            enter(driven::carriageChanged);
        } else {
            commands.add(new LoopCommand<>(() -> {
                driven.carriageChanged();
                return null;
            }));
            waiter.wakeup();
        }
    }

    @Override
    public void controlPacket(ByteBuffer packet, BfdRxMeta meta) {
        receive(packet, meta, false);
    }

    /** Passed on only where the packets will be processed at once: on the idle loop. */
    @Override
    public void warm(int[] yourDiscriminators, int count) {
        if (onLoop() && !busy) {
            driven.warm(yourDiscriminators, count);
        }
    }

    @Override
    public void echoPacket(ByteBuffer packet, BfdRxMeta meta) {
        receive(packet, meta, true);
    }

    /**
     * Processes a packet at once when called on an idle loop (a transport reading on the loop
     * thread); otherwise queues it, stamped with the time it was handed over if the transport
     * did not record its arrival. A packet delivered on the loop thread while the core is busy
     * (a transport that delivers synchronously inside a send) is queued too, so the core is
     * never re-entered.
     */
    private void receive(ByteBuffer packet, BfdRxMeta meta, boolean echo) {
        boolean here = onLoop();
        if (here && !busy) {
            // enter() inlined: a capturing lambda here would allocate once per packet.
            busy = true;
            try {
                deliver(packet, meta, echo);
                drainInbound();
            } finally {
                busy = false;
            }
        } else if (inbound.offer(packet, meta, echo, clock) && !here) {
            waiter.wakeup();
        }
    }

    /** Hands one packet to the core; a failure drops that packet only. */
    private void deliver(ByteBuffer packet, BfdRxMeta meta, boolean echo) {
        try {
            if (echo) {
                driven.echoPacket(packet, meta, now());
            } else {
                driven.controlPacket(packet, meta, now());
            }
        } catch (RuntimeException e) {
            driven.packetFailed(e);
            faults.warn("BFD: dropped a packet whose processing failed: ", meta, e);
        }
    }

    /** Runs work on the loop, then whatever it queued; nested calls run inline. */
    private void enter(Runnable work) {
        if (busy) {
            work.run();
            return;
        }
        busy = true;
        try {
            work.run();
            drainInbound();
        } finally {
            busy = false;
        }
    }

    private void drainInbound() {
        InboundRing.Slot slot;
        while ((slot = inbound.peek()) != null) {
            try {
                deliver(slot.packet, slot.meta, slot.echo);
            } finally {
                inbound.release();
            }
        }
    }

    /** The earliest timer of the core; read it on the loop only. */
    public long nextDeadline() {
        return driven.nextDeadline();
    }

    /** Packets dropped because the loop fell behind. */
    public long overflows() {
        return inbound.overflows();
    }

    /** How many times the loop was not run for longer than a stall and excused it. */
    public long stallsExcused() {
        return stallsExcused;
    }

    /**
     * The share of a CPU the loop thread used over its last whole window of 10 s, in percent;
     * -1 before the first window or where the JVM cannot measure a thread's CPU time.
     */
    public int cpuPercent() {
        return load.lastPercent();
    }

    /** One turn: received packets, due timers, then commands for a bounded time. */
    public void runOnce() {
        runTurn(now());
    }

    /**
     * One turn whose timers are judged at {@code readAt}: every packet that arrived before
     * that instant has been read, so no detection timer due by then can miss a packet that
     * arrived in time. Timers falling due later run in the next turn.
     */
    private void runTurn(long readAt) {
        turnTime = readAt;
        enter(turn);
    }

    /** One turn's work, allocated once: the loop runs it thousands of times a second. */
    private final Runnable turn = this::turn;
    /** The instant the current turn judges timers at; on the loop only. */
    private long turnTime;

    /**
     * The loop slept far longer than it asked: the JVM or the host did not run it. That time is
     * ours, not the peers' silence: detection timers are pushed back by as much.
     */
    private void excuse(long stall) {
        driven.excuseStall(stall);
        stallsExcused++;
        stalls.warn("BFD event loop: not run for ", stall / 1_000_000, " ms beyond its "
                + "wake-up time (a JVM pause, a stopped process or a busy host); detection "
                + "timers were extended by as much");
    }

    /** When the loop's current sleep was to end, monotonic ns; on the loop only. */
    private long sleepEnd;
    /** How far the spacing before the current sleep overran, ns; on the loop only. */
    private long spacingOverrun;
    /** Run by the waiter as it wakes, before it reads: allocated once. */
    private final Runnable woke = this::excuseOversleep;

    /**
     * Excuses the time the loop was not run before any packet read on this wake-up is judged:
     * a packet whose arrival is known only as it is read (no kernel timestamp, or one the host
     * held back while our CPU was taken away) must meet detection timers already pushed back by
     * that stall (RFC 5880 §6.8.4 counts the peer's silence, not ours).
     */
    private void excuseOversleep() {
        excuseIfStalled(spacingOverrun + Math.max(0, waiter.lastWake() - sleepEnd));
    }

    private void excuseIfStalled(long overslept) {
        if (overslept > STALL_NANOS) {
            excuse(overslept);
        }
    }

    private void turn() {
        long start = now();
        long cpuAtStart = SlowTurn.threadCpuNanos();
        measureLoad(cpuAtStart);
        drainInbound();
        RuntimeException failure = driven.advance(turnTime);
        if (failure != null) {
            faults.error("BFD: a session's timers failed; it is retried in 1 ms", failure);
        }
        long timersDone = now();
        long budgetEnd = timersDone + COMMAND_BUDGET_NANOS;
        LoopCommand<?> command;
        while ((command = commands.poll()) != null) {
            command.run();
            drainInbound();
            if (now() - budgetEnd >= 0) {
                break;
            }
        }
        long end = now();
        if (end - start > SLOW_TURN_NANOS) {
            // Timers were late by this much: say where the time went.
            slowTurns.warn("BFD event loop: a turn took ", new SlowTurn(timersDone - start,
                    end - timersDone, SlowTurn.cpuSince(cpuAtStart)), null);
        }
    }

    /** Says so, at most once a minute, when the loop has too little of a CPU left. */
    private void measureLoad(long cpuNanos) {
        int percent = load.sample(System.nanoTime(), cpuNanos);
        if (percent >= LoopLoad.WARNING_PERCENT) {
            saturation.warn("BFD event loop: used ", percent, " % of a CPU over the last 10 s. "
                    + "With so little headroom a slower or busier host makes our packets late, "
                    + "and peers declare sessions Down: fewer sessions or longer intervals "
                    + "(README, \"Scale\")");
        }
    }

    private void loop() {
        Runnable start = onThreadStart;
        if (start != null) {
            start.run();
        }
        try {
            long lastTurn = System.nanoTime() - turnSpacingNanos;
            while (mode == Mode.RUNNING) {
                // Every turn starts by reading what is waiting: sleeping until the next timer
                // when idle, or without sleeping when work is due or queued; input is read no
                // sooner than turnSpacingNanos after the last turn began, timers at their time.
                spacingOverrun = 0;
                long spacing = Math.min(lastTurn + turnSpacingNanos - System.nanoTime(),
                        nextDeadline() - now());
                if (spacing > 0) {
                    long wakeBy = System.nanoTime() + spacing;
                    LockSupport.parkNanos(this, spacing);
                    // A wake-up from another thread ends the park early: no overrun.
                    spacingOverrun = Math.max(0, System.nanoTime() - wakeBy);
                }
                long wait = commands.isEmpty() && inbound.isEmpty()
                        ? Math.min(nextDeadline() - now(), MAX_PARK_NANOS) : 0;
                try {
                    if (wait > 0) {
                        sleepEnd = System.nanoTime() + wait;
                        waiter.await(wait, woke); // the stall is excused before reading
                        long reading = System.nanoTime() - waiter.lastWake();
                        if (reading > SLOW_TURN_NANOS) {
                            slowTurns.warn("BFD event loop: reading input took ",
                                    reading / 1_000_000, " ms");
                        }
                    } else {
                        excuseIfStalled(spacingOverrun);
                    }
                    // Whatever arrived until readAt is read by this pass; packets that came
                    // while the sleep's own pass was reading are not left behind.
                    long readAt = now();
                    waiter.await(0, Waiter.NOTHING);
                    lastTurn = System.nanoTime();
                    runTurn(readAt);
                } catch (RuntimeException e) {
                    // A bug must not stop every session's timers: log it and keep going.
                    faults.error("BFD event loop: unexpected failure", e);
                }
            }
        } catch (Throwable e) {
            fatal = e;
            mode = Mode.STOPPED;
            log.error("BFD event loop stopped by a fatal error; BFD is unavailable until "
                    + "restarted", e);
        } finally {
            refuseQueued();
        }
    }
}
