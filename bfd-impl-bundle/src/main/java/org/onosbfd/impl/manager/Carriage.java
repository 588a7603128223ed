package org.onosbfd.impl.manager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.spi.BfdTransport;
import org.onosbfd.impl.core.BfdCore;
import org.onosbfd.impl.core.CoreSession;
import org.onosbfd.impl.core.SessionHandover;
import org.onosbfd.impl.handover.HandoverStore;
import org.onosbfd.impl.runtime.EventLoop;
import org.onosbfd.impl.runtime.LoopPolledTransport;
import org.onosbfd.impl.runtime.OnLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which transport carries each session: transports come and go (OSGi binds them), each session
 * gets the first started one that can carry its path, and a session none carries is suspended.
 * With a {@link HandoverStore} (inside ONOS), a session continues the record another controller
 * instance left, and leaves its own when it stops being carried here.
 */
@OnLoop
final class Carriage {
    private static final Logger log = LoggerFactory.getLogger(BfdManager.class);

    private final EventLoop loop;
    private final BfdCore core;
    /** The registry's sessions, a live view. */
    private final Collection<SessionRecord> sessions;
    /** Bound transports, each once. */
    private final List<BfdTransport> transports = new ArrayList<>();
    private final List<BfdTransport> started = new ArrayList<>();
    /** The transport whose sockets the event loop waits on, if any. */
    private BfdTransport polledByLoop;
    private boolean active;
    /** Where sessions are handed over between controller instances; null: standalone. */
    private volatile HandoverStore handoverStore;

    Carriage(EventLoop loop, BfdCore core, Collection<SessionRecord> sessions) {
        this.loop = loop;
        this.core = core;
        this.sessions = sessions;
    }

    /** Starts every bound transport, and each one bound from now on. */
    void start() {
        active = true;
        transports.forEach(this::startTransport);
    }

    /** Suspends every session, leaving its record for another instance, and stops transports. */
    void stop() {
        active = false;
        for (SessionRecord record : sessions) {
            suspend(record); // the last word for another instance that carries it on
        }
        loop.useWaiter(null);
        polledByLoop = null;
        started.forEach(BfdTransport::stop);
        started.clear();
    }

    void bind(BfdTransport transport) {
        if (!transports.contains(transport)) {
            transports.add(transport);
            if (active) {
                startTransport(transport);
            }
        }
    }

    void unbind(BfdTransport transport) {
        transports.remove(transport);
        if (started.remove(transport)) {
            for (SessionRecord record : sessions) {
                if (record.transport == transport) {
                    suspend(record);
                }
            }
            if (polledByLoop == transport) {
                loop.useWaiter(null);
                polledByLoop = null;
            }
            transport.stop();
            // Another transport may carry what this one did.
            sessions.forEach(this::attach);
        }
    }

    /** Called by OSGi from any thread. */
    void handoverStore(HandoverStore store) {
        handoverStore = store;
    }

    HandoverStore handoverStore() {
        return handoverStore;
    }

    private void startTransport(BfdTransport transport) {
        if (started.contains(transport)) {
            return;
        }
        try {
            if (transport instanceof LoopPolledTransport && polledByLoop == null) {
                // The loop thread reads this transport's sockets itself: no hand-off per packet.
                loop.useWaiter(((LoopPolledTransport) transport).startOnLoop(loop));
                polledByLoop = transport;
            } else {
                transport.start(loop);
            }
        } catch (IOException | RuntimeException e) {
            log.error("BFD transport {} failed to start", transport.name(), e);
            return;
        }
        started.add(transport);
        sessions.forEach(this::attach);
    }

    /**
     * Gives a session without a transport the first one that can carry its path, and runs it,
     * continuing another instance's record of it if the store has one; a session no transport
     * carries is suspended, with each transport's reason for operators to see.
     */
    void attach(SessionRecord record) {
        if (record.core.transmitter() != null) {
            return;
        }
        BfdPath path = record.config().path();
        List<String> reasons = new ArrayList<>();
        for (BfdTransport transport : started) {
            if (!transport.canCarry(path)) {
                reasons.add(transport.name() + ": " + transport.whyNotCarried(path));
                continue;
            }
            try {
                record.core.carryThrough(transport.open(path));
                record.transport = transport;
                record.notCarried = null;
                resume(record);
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("BFD transport {} cannot open {}: {}", transport.name(), path,
                        e.getMessage());
                reasons.add(transport.name() + ": cannot open the session's socket: "
                        + e.getMessage());
            }
        }
        record.notCarried = reasons.isEmpty() ? "no transport is running"
                : String.join("; ", reasons);
        core.suspend(record.core);
    }

    private void resume(SessionRecord record) {
        HandoverStore store = handoverStore;
        SessionHandover from = store != null ? store.get(record.config().path()) : null;
        if (core.resume(record.core, from, loop.now())) {
            log.info("BFD session {} {} continued from another instance ({}, discriminator {})",
                    record.id, record.config().path(), from.state(), from.localDiscriminator());
        }
    }

    /** Stops carrying a session, leaving its record for whoever carries it next. */
    private void suspend(SessionRecord record) {
        HandoverStore store = handoverStore;
        if (store != null && record.core.transmitter() != null) {
            store.put(record.config().path(), record.core.handover());
        }
        detach(record);
        core.suspend(record.core);
    }

    /** The session is gone for good: no transport carries it, and no other instance will. */
    void release(SessionRecord record) {
        HandoverStore store = handoverStore;
        if (store != null && record.transport != null
                && record.transport.canCarry(record.config().path())) {
            // A session this instance no longer carries (its device's mastership moved) is the
            // new master's now: its record stays.
            store.remove(record.config().path());
        }
        detach(record);
    }

    /** Keeps the session's handover record current after a state change. */
    void recordHandover(CoreSession session) {
        HandoverStore store = handoverStore;
        if (store != null) {
            store.put(session.config().path(), session.handover());
        }
    }

    /** Re-checks which transport carries each session after a transport's set changed. */
    void carriageChanged() {
        for (SessionRecord record : sessions) {
            if (record.transport != null
                    && !record.transport.canCarry(record.config().path())) {
                log.info("BFD session {} {}: no longer carried here ({}), suspended", record.id,
                        record.config().path(), record.transport.name());
                suspend(record);
            }
        }
        sessions.forEach(this::attach);
    }

    private static void detach(SessionRecord record) {
        if (record.core.transmitter() != null) {
            record.core.transmitter().close();
        }
        record.core.carryThrough(null);
        record.transport = null;
    }

    /** Each started transport's counters, by its name. */
    Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> counters = new TreeMap<>();
        for (BfdTransport transport : started) {
            counters.put(transport.name(), transport.counters());
        }
        return counters;
    }
}
