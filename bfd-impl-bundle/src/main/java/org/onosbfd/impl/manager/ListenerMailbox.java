package org.onosbfd.impl.manager;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdListener;
import org.onosbfd.impl.runtime.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's events, delivered on a task of its own so that a listener that blocks holds up
 * only itself. Its backlog is bounded by the number of sessions: while it is busy, a session's
 * events fold (added, the state changes from the first previous state to the latest, removed),
 * so when it returns it catches up with the present. A listener busy with one event for more
 * than {@value #SLOW_SECONDS} s is reported, at most once a minute.
 *
 * <p>Threads: {@link #offer} from the events thread; delivery on the executor, one task at a
 * time per mailbox.
 */
final class ListenerMailbox {
    private static final Logger log = LoggerFactory.getLogger(BfdManager.class);
    static final long SLOW_SECONDS = 1;

    final BfdListener listener;
    private final Executor executor;
    private final LongSupplier clock;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final FoldedEvents pending = new FoldedEvents();
    /** Guarded by {@link #lock}: a delivery task is queued or running. */
    private boolean delivering;
    /** When the listener was handed the event it is on; 0 between events. */
    private volatile long handedAt;
    /** Used by the events thread only (the one that offers). */
    private final RateLimitedLog slow = new RateLimitedLog(log, 60_000_000_000L);

    ListenerMailbox(BfdListener listener, Executor executor, LongSupplier clock) {
        this.listener = listener;
        this.executor = executor;
        this.clock = clock;
    }

    /** Queues an event for the listener; never waits for it. */
    void offer(BfdEvent event) {
        boolean start;
        synchronized (lock) {
            pending.add(event);
            start = !delivering;
            delivering = true;
        }
        long since = handedAt;
        if (since != 0 && clock.getAsLong() - since > SLOW_SECONDS * 1_000_000_000L) {
            slow.warn("BFD listener ", listener + " has been handling one event for over "
                    + SLOW_SECONDS + " s; its events are folded until it returns, and the "
                    + "other listeners are not held up", null);
        }
        if (start) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            List<BfdEvent> batch;
            synchronized (lock) {
                if (pending.isEmpty()) {
                    delivering = false;
                    return;
                }
                batch = pending.takeAll();
            }
            batch.forEach(this::hand);
        }
    }

    private void hand(BfdEvent event) {
        handedAt = Math.max(1, clock.getAsLong());
        try {
            listener.event(event);
        } catch (RuntimeException e) {
            log.warn("BFD listener {} failed on {}", listener, event, e);
        } finally {
            handedAt = 0;
        }
    }
}
