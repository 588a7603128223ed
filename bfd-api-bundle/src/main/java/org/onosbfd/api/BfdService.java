package org.onosbfd.api;

import java.util.List;
import java.util.Optional;

/**
 * Bidirectional Forwarding Detection (RFC 5880) for this system: sessions configured by an
 * operator, sessions requested by clients (RFC 5882), authentication keys, listeners.
 *
 * <p>Every mutating call either succeeds completely or throws {@link BfdException} and changes
 * nothing. Operator-configured sessions survive restarts; client requests live as long as the
 * client holds them.
 */
public interface BfdService {

    /**
     * Configures a session. Its path must be new; its authentication key, if any, must exist and
     * suit the type.
     *
     * @return the session as created
     * @throws BfdException CONFLICT for a path already configured, NOT_FOUND for a missing key
     */
    BfdSession addSession(BfdSessionConfig config);

    /**
     * Configures many sessions at once, all or none: every one is checked first (a path twice
     * in the list or already configured, a missing key: {@link BfdException} with the field
     * {@code sessions[i].…}), then they are created and the configuration is saved once.
     * Implementations may create them a few at a time so that running sessions keep their
     * timing; this default adds them one by one.
     *
     * @return the sessions as created, in the order given
     */
    default List<BfdSession> addSessions(List<BfdSessionConfig> configs) {
        List<BfdSession> added = new java.util.ArrayList<>();
        for (BfdSessionConfig config : configs) {
            added.add(addSession(config));
        }
        return added;
    }

    /**
     * Changes a session's parameters. A live session changes without flapping: new intervals go
     * through a Poll Sequence (RFC 5880 §6.8.3). The path cannot change.
     */
    BfdSession modifySession(long id, BfdSessionConfig config);

    /** Removes the operator's claim on a session; it goes when no client holds it either. */
    void removeSession(long id);

    /**
     * Changes a session's authentication (null: none), as VPP's {@code bfd udp session auth}.
     * At once, or {@code delayed}: the session keeps sending with its current method and
     * switches when it sees the peer use the new one, so that both ends can be rekeyed one
     * after the other without a flap.
     */
    BfdSession setAuthentication(long id, BfdAuthentication authentication, boolean delayed);

    /** Takes a session administratively down (§6.8.16) or back up. */
    BfdSession setAdminDown(long id, boolean adminDown);

    Optional<BfdSession> session(long id);

    Optional<BfdSession> session(BfdPath path);

    /** Every session, in id order. */
    List<BfdSession> sessions();

    /**
     * Claims a session for a client (RFC 5882 §3): the session for the config's path is created
     * if none exists, else shared as it is. The listener hears that session's events until the
     * request is closed.
     */
    BfdRequest requestSession(BfdSessionConfig config, BfdListener listener);

    /** Hears every session's events. */
    void addListener(BfdListener listener);

    void removeListener(BfdListener listener);

    /** Adds a key or replaces an unused one; a key in use may only be set to what it already is. */
    void setKey(BfdAuthKey key);

    /** Deletes an unused key. */
    void removeKey(long keyId);

    /** Every key, without secrets, in id order. */
    List<BfdKeyInfo> keys();

    BfdStatistics statistics();

    /**
     * Clears the BFD counters, as {@code clear bfd counters} does on routers: every session's
     * packets, transitions, drops and timing figures, and the totals. The transports' and the
     * event loop's own counters count since start, as interface counters do.
     */
    void clearCounters();

    /** Clears one session's counters and timing figures; the totals keep counting. */
    void clearCounters(long id);
}
