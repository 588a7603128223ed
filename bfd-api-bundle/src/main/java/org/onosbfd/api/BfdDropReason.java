package org.onosbfd.api;

/**
 * Why a received packet was discarded. Each rule of RFC 5880 §6.8.6, RFC 5881 §5 and §6.7 has
 * its own reason, counted per session when the session is known and globally always.
 */
public enum BfdDropReason {
    /** Shorter than the 24-byte mandatory section, or than its own Length field. */
    TRUNCATED,
    /** Version is not 1. */
    BAD_VERSION,
    /** Length below 24 (26 with A bit), or Length disagrees with the Auth Len. */
    BAD_LENGTH,
    /** Detect Mult is zero. */
    ZERO_DETECT_MULTIPLIER,
    /** The Multipoint bit is set. */
    MULTIPOINT,
    /** My Discriminator is zero. */
    ZERO_MY_DISCRIMINATOR,
    /** Your Discriminator is zero while the state is not Down or AdminDown. */
    ZERO_YOUR_DISCRIMINATOR,
    /** No session has this Your Discriminator, or no session for the addresses. */
    NO_SESSION,
    /** The packet arrived from an address or interface other than the session's peer. */
    WRONG_PATH,
    /** TTL / hop limit below 255 single hop or the configured minimum multihop (GTSM). */
    TTL,
    /** The A bit does not match the session's configuration. */
    AUTH_MISMATCH,
    /** Auth section too short, of the wrong type or with a wrong Auth Len. */
    AUTH_BAD_SECTION,
    /** Auth Key ID is not the session's. */
    AUTH_BAD_KEY_ID,
    /** Password or digest does not verify. */
    AUTH_BAD_DIGEST,
    /** Sequence number outside the replay window (§6.7.3, §6.7.4). */
    AUTH_REPLAY,
    /**
     * The session is AdminDown: §6.8.6 discards the packet once the peer's variables are
     * noted (no state change, no Final, no echo).
     */
    ADMIN_DOWN,
    /**
     * Processing the packet failed unexpectedly (a fault of ours, logged at most once a
     * minute): the packet is dropped and everything else goes on.
     */
    MALFORMED
}
