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
}
