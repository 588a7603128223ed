package org.onosbfd.impl.core;

import java.nio.ByteBuffer;
import org.onosbfd.api.BfdState;

/** What the protocol core asks of its surroundings: send packets, hear state changes. */
public interface CoreOutput {

    /** Sends a control packet (position to limit) for the session; the buffer is reused after. */
    void transmit(CoreSession session, ByteBuffer packet);

    /** Sends an echo packet; false when the session's transport cannot carry echo. */
    boolean transmitEcho(CoreSession session, ByteBuffer packet);

    /** The session's state changed from {@code oldState} to {@code session.state()}. */
    void stateChanged(CoreSession session, BfdState oldState, long now);

    /**
     * The peer's diagnostic changed while the session stayed Up (a state change reports the
     * diagnostic with it): Concatenated Path Down and the like (RFC 5880 §4.1, §6.8.17).
     */
    default void peerDiagnosticChanged(CoreSession session, long now) {
    }

    /**
     * The session is failing on a packet that arrived {@code late} ns after its Detection Time
     * had passed, {@code silence} ns after the peer's packet before it (-1: there was none)
     * (§6.8.4): a Down judged on arrival, not by the timer, which our lateness kept from firing.
     * Reported before the state change, so that a Down nobody expected can be traced to the
     * times it was judged on.
     */
    default void expiredOnArrival(CoreSession session, long late, long silence) {
    }
}
