package org.onosbfd.api;

import java.time.Instant;
import java.util.Objects;

/** Something that happened to a session (RFC 5882 §3: clients are told of state changes). */
public final class BfdEvent {
    /** What happened. */
    public enum Type {
        /** A session was created (by configuration or by a client's first request). */
        SESSION_ADDED,
        /** The local state changed; {@link #previousState()} tells from what. */
        STATE_CHANGED,
        /**
         * The state did not change, but the peer's diagnostic did (RFC 5880 §4.1): an Up peer
         * that signals Concatenated Path Down (6) or Reverse Concatenated Path Down (8), or
         * stops signalling; the session's {@code remoteDiagnostic()} tells which.
         */
        PEER_DIAGNOSTIC_CHANGED,
        /** A session was removed (by configuration or with its last client). */
        SESSION_REMOVED
    }

    private final Type type;
    private final BfdSession session;
    private final BfdState previousState;
    private final Instant time;
    private final int foldedChanges;

    public BfdEvent(Type type, BfdSession session, BfdState previousState, Instant time) {
        this(type, session, previousState, time, 0);
    }

    /**
     * @param foldedChanges state changes of this session that happened between
     *                      {@code previousState} and the session's state and were folded into
     *                      this event because listeners fell behind
     */
    public BfdEvent(Type type, BfdSession session, BfdState previousState, Instant time,
                    int foldedChanges) {
        this.type = Objects.requireNonNull(type, "type");
        this.session = Objects.requireNonNull(session, "session");
        this.previousState = previousState;
        this.time = Objects.requireNonNull(time, "time");
        this.foldedChanges = foldedChanges;
    }

    /**
     * This {@link Type#STATE_CHANGED} event folded into one with the next change of the same
     * session: from this event's previous state to the next one's state.
     */
    public BfdEvent foldedWith(BfdEvent next) {
        return new BfdEvent(type, next.session, previousState, next.time,
                foldedChanges + 1 + next.foldedChanges);
    }

    /**
     * How many intermediate state changes this event stands for besides its own (0 normally):
     * when a burst of changes outpaces the listeners, each session's pending changes are folded
     * into one event, from the first previous state to the latest state, so that listeners
     * always catch up with the present. A Down and back Up folded together shows as Up to Up
     * with a count of 1.
     */
    public int foldedChanges() {
        return foldedChanges;
    }

    public Type type() {
        return type;
    }

    /** The session as it is after the event. */
    public BfdSession session() {
        return session;
    }

    /** The state before a {@link Type#STATE_CHANGED}; the current state for other types. */
    public BfdState previousState() {
        return previousState;
    }

    /** The state after the event. */
    public BfdState state() {
        return session.state();
    }

    /** The local diagnostic after the event: why the session left Up, if it did. */
    public BfdDiagnostic diagnostic() {
        return session.localDiagnostic();
    }

    public Instant time() {
        return time;
    }

    @Override
    public String toString() {
        return time + " " + type + " " + session.config().path()
                + (type == Type.STATE_CHANGED ? " " + previousState + " -> " + state()
                + " (" + diagnostic().description() + ")"
                + (foldedChanges > 0 ? ", " + foldedChanges + " earlier changes folded" : "")
                : "");
    }
}
