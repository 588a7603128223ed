package org.onosbfd.impl.core;

import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdState;

/**
 * The state table of RFC 5880 §6.8.6 (§6.2's diagram): where a session goes when a packet
 * from its peer is accepted. AdminDown on our side never gets here (such packets are
 * discarded); timers' transitions (detection, echo) are the session's.
 */
final class StateTable {
    /** A transition: the new state and the diagnostic it sets. */
    static final class Transition {
        final BfdState state;
        final BfdDiagnostic diagnostic;

        private Transition(BfdState state, BfdDiagnostic diagnostic) {
            this.state = state;
            this.diagnostic = diagnostic;
        }
    }

    private static final Transition TO_INIT =
            new Transition(BfdState.INIT, BfdDiagnostic.NO_DIAGNOSTIC);
    private static final Transition TO_UP =
            new Transition(BfdState.UP, BfdDiagnostic.NO_DIAGNOSTIC);
    private static final Transition SIGNALLED_DOWN =
            new Transition(BfdState.DOWN, BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN);

    private StateTable() {
    }

    /** The transition for a packet with the peer's state {@code remote}; null: none. */
    static Transition next(BfdState local, BfdState remote) {
        if (remote == BfdState.ADMIN_DOWN) {
            return local != BfdState.DOWN ? SIGNALLED_DOWN : null;
        }
        switch (local) {
            case DOWN:
                return remote == BfdState.DOWN ? TO_INIT : remote == BfdState.INIT ? TO_UP : null;
            case INIT:
                return remote == BfdState.INIT || remote == BfdState.UP ? TO_UP : null;
            case UP:
                return remote == BfdState.DOWN ? SIGNALLED_DOWN : null;
            default:
                return null;
        }
    }
}
