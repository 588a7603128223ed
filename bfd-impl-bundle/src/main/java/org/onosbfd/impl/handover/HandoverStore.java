package org.onosbfd.impl.handover;

import org.onosbfd.api.BfdPath;
import org.onosbfd.impl.core.SessionHandover;

/**
 * Where a session's {@link SessionHandover} record is kept for the other controller instances:
 * ONOS's distributed store inside ONOS, nothing standalone. Called on the BFD event loop:
 * implementations must not block (an eventually consistent map does not).
 */
public interface HandoverStore {
    /** The path's record, or null when there is none or it cannot be read (logged). */
    SessionHandover get(BfdPath path);

    void put(BfdPath path, SessionHandover record);

    void remove(BfdPath path);
}
