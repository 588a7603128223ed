package org.onosbfd.impl.manager;

import org.onosbfd.api.BfdPath;

/**
 * Where a session's {@link org.onosbfd.impl.core.SessionHandover} record is kept for the other
 * controller instances: ONOS's distributed store inside ONOS, nothing standalone. Called on the
 * BFD event loop: implementations must not block (an eventually consistent map does not).
 */
public interface HandoverStore {
    /** The record's text, or null. */
    String get(BfdPath path);

    void put(BfdPath path, String record);

    void remove(BfdPath path);
}
