package org.onosbfd.impl.manager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onosbfd.api.BfdEvent;

/**
 * Undelivered session events, at most four per session whatever their number: its addition,
 * its state changes folded into one (from the first previous state to the latest, with the
 * count of what was folded: {@link BfdEvent#foldedWith}), the latest change of the peer's
 * diagnostic, and its removal. Sessions keep the
 * order in which they first had an event. Not thread-safe: its owner locks.
 */
final class FoldedEvents {
    /** One session's events, in the order they must be delivered. */
    private static final class Pending {
        BfdEvent added;
        BfdEvent changed;
        BfdEvent peerDiagnostic;
        BfdEvent removed;
    }

    private Map<Long, Pending> pending = new LinkedHashMap<>();

    void add(BfdEvent event) {
        Pending p = pending.computeIfAbsent(event.session().id(), id -> new Pending());
        switch (event.type()) {
            case SESSION_ADDED:
                p.added = event;
                break;
            case STATE_CHANGED:
                p.changed = p.changed == null ? event : p.changed.foldedWith(event);
                break;
            case PEER_DIAGNOSTIC_CHANGED:
                p.peerDiagnostic = event;
                break;
            default:
                p.removed = event;
                break;
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Everything held, in delivery order, leaving this empty. */
    List<BfdEvent> takeAll() {
        List<BfdEvent> events = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            for (BfdEvent event : new BfdEvent[] {p.added, p.changed, p.peerDiagnostic,
                    p.removed}) {
                if (event != null) {
                    events.add(event);
                }
            }
        }
        pending = new LinkedHashMap<>();
        return events;
    }
}
