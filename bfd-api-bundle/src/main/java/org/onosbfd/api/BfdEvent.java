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
        /** A session was removed (by configuration or with its last client). */
        SESSION_REMOVED
    }

    private final Type type;
    private final BfdSession session;
    private final BfdState previousState;
    private final Instant time;

    public BfdEvent(Type type, BfdSession session, BfdState previousState, Instant time) {
        this.type = Objects.requireNonNull(type, "type");
        this.session = Objects.requireNonNull(session, "session");
        this.previousState = previousState;
        this.time = Objects.requireNonNull(time, "time");
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
                + " (" + diagnostic().description() + ")" : "");
    }
}
