package org.onosbfd.impl.runtime;

/**
 * How the event loop sleeps between turns: until its next timer, until another thread wakes it,
 * or, for a waiter that watches sockets, until packets arrive, which it then reads and delivers
 * on the loop thread itself (BIRD's design: one thread, no hand-off).
 */
public interface Waiter {

    /** For {@link #await}: nothing to run on waking. */
    Runnable NOTHING = () -> { };

    /**
     * Sleeps for at most {@code timeoutNanos}; returns early when woken or input arrived.
     * {@code woke} runs on the calling thread as the sleep ends, before any input is read: the
     * loop excuses there the time it was not run, before a packet read on this wake-up is judged.
     */
    void await(long timeoutNanos, Runnable woke);

    /** Wakes the loop from any thread; a wake-up before {@link #await} is not lost. */
    void wakeup();

    /**
     * When the last {@link #await} stopped sleeping (monotonic nanoseconds), before it read
     * anything: a time well past the timeout means the thread was not run (a JVM pause, a
     * stopped process, a host that did not schedule it).
     */
    long lastWake();

    /** Parks the loop thread: the waiter when no transport watches sockets for it. */
    final class Park implements Waiter {
        private volatile Thread waiting;
        private long lastWake;

        @Override
        public void await(long timeoutNanos, Runnable woke) {
            waiting = Thread.currentThread();
            java.util.concurrent.locks.LockSupport.parkNanos(this, timeoutNanos);
            lastWake = System.nanoTime();
            woke.run();
        }

        @Override
        public long lastWake() {
            return lastWake;
        }

        @Override
        public void wakeup() {
            Thread t = waiting;
            if (t != null) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }
    }
}
