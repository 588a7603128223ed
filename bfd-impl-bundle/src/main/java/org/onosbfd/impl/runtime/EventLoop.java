package org.onosbfd.impl.runtime;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.onosbfd.api.spi.BfdPacketReceiver;
import org.onosbfd.api.spi.BfdRxMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives the protocol core, as BIRD's event loop does: it sleeps until the
 * earliest timer or until woken, then runs queued commands, hands received packets to the core
 * and runs due timers. Transport threads hand packets over through an {@link InboundRing};
 * commands from API callers go through a queue and are waited for.
 *
 * <p>Before {@link #start()} (and in unit tests, which never start it) the calling thread is
 * the loop: commands and packets run at once and {@link #runOnce()} drives timers on whatever
 * clock was injected.
 */
public final class EventLoop implements BfdPacketReceiver {
    /** What the loop drives: the protocol core, seen through the manager. */
    public interface Driven {
        void controlPacket(ByteBuffer packet, BfdRxMeta meta, long now);

        void echoPacket(ByteBuffer packet, BfdRxMeta meta, long now);

        /** Runs timers due at {@code now}. */
        void advance(long now);

        /** The earliest timer, monotonic nanoseconds. */
        long nextDeadline();

        /** A transport's set of paths changed; see {@link BfdPacketReceiver#carriageChanged}. */
        default void carriageChanged() {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static final int RING_CAPACITY = 1 << 14;
    /** Longest sleep without a deadline: bounds the cost of a missed wake-up to nothing. */
    private static final long MAX_PARK_NANOS = 100_000_000L;

    private final String name;
    private final LongSupplier clock;
    private final Driven driven;
    private final InboundRing inbound = new InboundRing(RING_CAPACITY);
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean running;
    private volatile Waiter waiter = new Waiter.Park();
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

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        // Timers of a few tens of milliseconds: this thread must win against bulk work.
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        t.start();
    }

    /** Sleeps in this waiter from now on (null: park again); called on the loop. */
    public void useWaiter(Waiter newWaiter) {
        Waiter old = waiter;
        waiter = newWaiter != null ? newWaiter : new Waiter.Park();
        old.wakeup();
    }

    public synchronized void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        running = false;
        waiter.wakeup();
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private boolean onLoop() {
        Thread t = thread;
        return t == null || t == Thread.currentThread();
    }

    /** Runs a command on the loop and waits for its result; exceptions propagate unchanged. */
    public <T> T call(Callable<T> command) {
        if (onLoop()) {
            Object[] result = new Object[1];
            enter(() -> {
                try {
                    result[0] = command.call();
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
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(() -> {
            try {
                result.complete(command.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        waiter.wakeup();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the BFD event loop", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    public void run(Runnable command) {
        call(() -> {
            command.run();
            return null;
        });
    }

    /** Queued for the loop: called from ONOS's listener threads, it must not wait. */
    @Override
    public void carriageChanged() {
        if (onLoop()) {
            enter(driven::carriageChanged);
        } else {
            commands.add(driven::carriageChanged);
            waiter.wakeup();
        }
    }

    @Override
    public void controlPacket(ByteBuffer packet, BfdRxMeta meta) {
        receive(packet, meta, false);
    }

    @Override
    public void echoPacket(ByteBuffer packet, BfdRxMeta meta) {
        receive(packet, meta, true);
    }

    /**
     * Processes a packet at once when called on an idle loop (a transport reading on the loop
     * thread); otherwise queues it. A packet delivered on the loop thread while the core is busy
     * (a transport that delivers synchronously inside a send) is queued too, so the core is
     * never re-entered.
     */
    private void receive(ByteBuffer packet, BfdRxMeta meta, boolean echo) {
        if (onLoop() && !busy) {
            // enter() inlined: a capturing lambda here would allocate once per packet.
            busy = true;
            try {
                deliver(packet, meta, echo);
                drainInbound();
            } finally {
                busy = false;
            }
        } else if (inbound.offer(packet, meta, echo) && !onLoop()) {
            waiter.wakeup();
        }
    }

    private void deliver(ByteBuffer packet, BfdRxMeta meta, boolean echo) {
        if (echo) {
            driven.echoPacket(packet, meta, now());
        } else {
            driven.controlPacket(packet, meta, now());
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

    /** One turn: commands, received packets, due timers. */
    public void runOnce() {
        enter(turn);
    }

    /** One turn's work, allocated once: the loop runs it thousands of times a second. */
    private final Runnable turn = this::turn;

    private void turn() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
        drainInbound();
        driven.advance(now());
    }

    private void loop() {
        while (running) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                // A bug must not stop every session's timers: log it and keep going.
                log.error("BFD event loop: unexpected failure", e);
            }
            long wait = Math.min(nextDeadline() - now(), MAX_PARK_NANOS);
            if (wait > 0 && commands.isEmpty() && inbound.isEmpty()) {
                waiter.await(wait);
            }
        }
    }
}
