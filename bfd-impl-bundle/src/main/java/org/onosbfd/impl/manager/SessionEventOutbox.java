package org.onosbfd.impl.manager;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session events on their way from the event loop to listeners and the log. The loop only
 * {@link #publish}es: it never logs, never calls a listener and never waits. Delivery runs on
 * the events executor (one thread in production). The hand-off is bounded by the number of
 * sessions: while delivery lags, a session's pending state changes fold into one event (from
 * the first previous state to the latest state, with the count of what was folded), so a burst
 * of flaps costs listeners one event per session, not one per flap, and listeners always catch
 * up with the present.
 *
 * <p>State changes are logged on the delivering thread, one line each up to
 * {@value #LOG_LINES_PER_SECOND} a second; beyond that one line a second summarizes them.
 *
 * <p>Threads: {@link #publish} on the event loop; everything else on the events executor.
 */
final class SessionEventOutbox {
    private static final Logger log = LoggerFactory.getLogger(BfdManager.class);
    static final int LOG_LINES_PER_SECOND = 20;
    private static final long SECOND = 1_000_000_000L;

    /** One session's undelivered events, in the order they must be delivered. */
    private static final class Pending {
        BfdEvent added;
        BfdEvent changed;
        BfdEvent removed;
        List<BfdListener> targets;
    }

    private final Executor executor;
    private final LongSupplier clock;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private Map<Long, Pending> pending = new LinkedHashMap<>();
    /** Guarded by {@link #lock}: a delivery is queued on the executor. */
    private boolean deliveryQueued;

    // The delivering thread's log budget.
    private long windowStart = Long.MIN_VALUE;
    private int linesInWindow;
    /** Changes not logged one by one, by the state and diagnostic they led to. */
    private final Map<String, Integer> unlogged = new TreeMap<>();
    private boolean summaryQueued;

    SessionEventOutbox(Executor executor, LongSupplier clock) {
        this.executor = executor;
        this.clock = clock;
    }

    /** Queues an event for {@code targets}; on the event loop, never blocks. */
    void publish(BfdEvent event, List<BfdListener> targets) {
        boolean queue;
        synchronized (lock) {
            Pending p = pending.computeIfAbsent(event.session().id(), id -> new Pending());
            switch (event.type()) {
                case SESSION_ADDED:
                    p.added = event;
                    break;
                case STATE_CHANGED:
                    p.changed = p.changed == null ? event : p.changed.foldedWith(event);
                    break;
                default:
                    p.removed = event;
                    break;
            }
            p.targets = targets;
            queue = !deliveryQueued;
            deliveryQueued = true;
        }
        if (queue) {
            executor.execute(this::deliver);
        }
    }

    private void deliver() {
        Map<Long, Pending> batch;
        synchronized (lock) {
            batch = pending;
            pending = new LinkedHashMap<>();
            deliveryQueued = false;
        }
        for (Pending p : batch.values()) {
            deliver(p.added, p.targets);
            if (p.changed != null) {
                logChange(p.changed);
                deliver(p.changed, p.targets);
            }
            deliver(p.removed, p.targets);
        }
    }

    private static void deliver(BfdEvent event, List<BfdListener> targets) {
        if (event == null) {
            return;
        }
        for (BfdListener listener : targets) {
            try {
                listener.event(event);
            } catch (RuntimeException e) {
                log.warn("BFD listener {} failed on {}", listener, event, e);
            }
        }
    }

    private void logChange(BfdEvent event) {
        long now = clock.getAsLong();
        if (now - windowStart >= SECOND) {
            logSummary();
            windowStart = now;
            linesInWindow = 0;
        }
        if (linesInWindow < LOG_LINES_PER_SECOND) {
            linesInWindow++;
            log.info("BFD session {} {}: {} -> {} ({}){}", event.session().id(),
                    event.session().config().path(), event.previousState(), event.state(),
                    event.diagnostic().description(), event.foldedChanges() > 0
                            ? ", " + event.foldedChanges() + " earlier changes folded" : "");
            return;
        }
        unlogged.merge(event.state() + " (" + event.diagnostic().description() + ")", 1,
                Integer::sum);
        if (!summaryQueued && executor instanceof ScheduledExecutorService) {
            // The burst may end here: say what was not logged once the second is over.
            summaryQueued = true;
            ((ScheduledExecutorService) executor).schedule(this::logSummary, 1, TimeUnit.SECONDS);
        }
    }

    private void logSummary() {
        summaryQueued = false;
        if (unlogged.isEmpty()) {
            return;
        }
        StringBuilder byState = new StringBuilder();
        unlogged.forEach((outcome, count) -> byState.append(byState.length() > 0 ? ", " : "")
                .append(count).append(" to ").append(outcome));
        log.info("BFD: {} more session state changes, not logged one by one: {}",
                unlogged.values().stream().mapToInt(Integer::intValue).sum(), byState);
        unlogged.clear();
    }
}
