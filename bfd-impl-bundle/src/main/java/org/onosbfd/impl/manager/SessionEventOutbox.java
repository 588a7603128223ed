package org.onosbfd.impl.manager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session events on their way from the event loop to listeners and the log. The loop only
 * {@link #publish}es: it never logs, never calls a listener and never waits. Delivery runs on
 * the events executor (one thread in production). The hand-off is bounded by the number of
 * sessions: while delivery lags, a session's pending state changes fold into one event (from
 * the first previous state to the latest state, with the count of what was folded), so a burst
 * of flaps costs listeners one event per session, not one per flap, and listeners always catch
 * up with the present. Each listener then has a mailbox of its own ({@link ListenerMailbox}), so
 * that one slow listener holds up no other.
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

    private final Executor executor;
    private final LongSupplier clock;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final FoldedEvents pending = new FoldedEvents();
    /** Guarded by {@link #lock}: whom each session's events go to, as of its latest event. */
    private Map<Long, List<ListenerMailbox>> targets = new HashMap<>();
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

    /** Queues an event for {@code to}; on the event loop, never blocks. */
    void publish(BfdEvent event, List<ListenerMailbox> to) {
        boolean queue;
        synchronized (lock) {
            pending.add(event);
            targets.put(event.session().id(), to);
            queue = !deliveryQueued;
            deliveryQueued = true;
        }
        if (queue) {
            executor.execute(this::deliver);
        }
    }

    /** Logs the batch and hands it to each listener's mailbox, which never waits. */
    private void deliver() {
        List<BfdEvent> batch;
        Map<Long, List<ListenerMailbox>> to;
        synchronized (lock) {
            batch = pending.takeAll();
            to = targets;
            targets = new HashMap<>();
            deliveryQueued = false;
        }
        for (BfdEvent event : batch) {
            if (event.type() == BfdEvent.Type.STATE_CHANGED
                    || event.type() == BfdEvent.Type.PEER_DIAGNOSTIC_CHANGED) {
                logChange(event);
            }
            to.get(event.session().id()).forEach(mailbox -> mailbox.offer(event));
        }
    }

    private void logChange(BfdEvent event) {
        long now = clock.getAsLong();
        if (now - windowStart >= SECOND) {
            logSummary();
            windowStart = now;
            linesInWindow = 0;
        }
        if (linesInWindow < LOG_LINES_PER_SECOND
                && event.type() == BfdEvent.Type.PEER_DIAGNOSTIC_CHANGED) {
            linesInWindow++;
            log.info("BFD session {} {}: still {}, the peer now signals {}",
                    event.session().id(), event.session().config().path(), event.state(),
                    event.session().remoteDiagnostic().description());
            return;
        }
        if (linesInWindow < LOG_LINES_PER_SECOND) {
            linesInWindow++;
            log.info("BFD session {} {}: {} -> {} ({}){}", event.session().id(),
                    event.session().config().path(), event.previousState(), event.state(),
                    event.diagnostic().description(), event.foldedChanges() > 0
                            ? ", " + event.foldedChanges() + " earlier changes folded" : "");
            return;
        }
        unlogged.merge(event.type() == BfdEvent.Type.PEER_DIAGNOSTIC_CHANGED
                ? "a peer signalling " + event.session().remoteDiagnostic().description()
                : event.state() + " (" + event.diagnostic().description() + ")", 1,
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
