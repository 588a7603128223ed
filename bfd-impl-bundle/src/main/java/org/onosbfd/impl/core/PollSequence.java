package org.onosbfd.impl.core;

/**
 * A session's own interval parameters and the Poll Sequences that change them (RFC 5880 §6.5,
 * §6.8.3). The advertised values are what our packets carry; the acknowledged ones what the
 * peer confirmed with a Final. While Up, a larger TX interval and a smaller RX interval take
 * effect only once acknowledged: the used TX is the smaller and the used RX the larger of the
 * two.
 */
final class PollSequence {
    long advertisedTx;
    long advertisedRx;
    long acknowledgedTx;
    long acknowledgedRx;
    /** A Poll is under way: our packets carry P until a Final arrives. */
    boolean active;
    /** New values arrived during the poll under way: another follows it. */
    private boolean pending;
    private long polledTx;
    private long polledRx;

    PollSequence(long tx, long rx) {
        advertisedTx = acknowledgedTx = tx;
        advertisedRx = acknowledgedRx = rx;
    }

    /**
     * Sets the values our packets carry; while not Up they apply at once (§6.8.3 restricts only
     * a session that is Up).
     *
     * @return true when they changed
     */
    boolean advertise(long tx, long rx, boolean up) {
        if (tx == advertisedTx && rx == advertisedRx) {
            return false;
        }
        advertisedTx = tx;
        advertisedRx = rx;
        if (!up) {
            acknowledgedTx = tx;
            acknowledgedRx = rx;
        }
        return true;
    }

    /**
     * Starts a poll of the advertised values.
     *
     * @return false when one is under way: §6.5 forbids a second, since the current one's Final
     *         would not acknowledge the newest values; it follows when that one ends
     */
    boolean start() {
        if (active) {
            pending = true;
            return false;
        }
        active = true;
        pending = false;
        polledTx = advertisedTx;
        polledRx = advertisedRx;
        return true;
    }

    /**
     * A Final arrived: the polled values are acknowledged.
     *
     * @return true when another poll must follow (the values changed meanwhile)
     */
    boolean finish() {
        acknowledgedTx = polledTx;
        acknowledgedRx = polledRx;
        active = false;
        return pending || advertisedTx != polledTx || advertisedRx != polledRx;
    }

    /** Ends any poll unanswered (the peer is gone, or another instance's values are taken). */
    void cancel() {
        active = false;
        pending = false;
    }

    /** Makes the advertised values the acknowledged ones (no peer holds us to the old). */
    void acknowledgeAll() {
        acknowledgedTx = advertisedTx;
        acknowledgedRx = advertisedRx;
    }

    /** Continues with values another instance had agreed with the peer (a handover). */
    void adopt(long tx, long rx) {
        advertisedTx = acknowledgedTx = tx;
        advertisedRx = acknowledgedRx = rx;
        cancel();
    }

    /** The TX interval in use: a larger one waits for the peer's Final. */
    long usedTx() {
        return Math.min(advertisedTx, acknowledgedTx);
    }

    /** The RX interval in use: a smaller one waits for the peer's Final. */
    long usedRx() {
        return Math.max(advertisedRx, acknowledgedRx);
    }
}
