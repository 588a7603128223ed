package org.onosbfd.impl.udp;

import org.onosbfd.api.spi.BfdRxMeta;

/**
 * Turns the kernel's arrival timestamps, taken on the wall clock (SO_TIMESTAMPNS and the packet
 * ring both stamp CLOCK_REALTIME), into the event loop's monotonic clock, by which the core
 * judges detection (RFC 5880 §6.8.4). The two clocks are paired once per batch read. An arrival
 * judged later than it was fails a healthy session, so the pairing errs only early:
 * <ul>
 *   <li>each reading brackets the wall clock between two monotonic ones, counts it as read at
 *       the first, and is retried when the thread was preempted in between (a preemption there
 *       would shift every arrival of the batch later by as long as it lasted);</li>
 *   <li>when the wall clock moved against the monotonic one since the last reading (stepped,
 *       or slewed by a time daemon), a batch may hold packets stamped on either side of the
 *       move: each counts from the earlier of the two readings' interpretations. At worst a
 *       session then credits one packet from the previous one's arrival, as if it were lost.</li>
 * </ul>
 * One thread uses an instance.
 */
final class ArrivalClock {
    /** The two clocks, ns. */
    interface Clocks {
        long monotonic();

        long wall();
    }

    /** A reading whose two monotonic brackets lie further apart than this is retried. */
    static final long MAX_BRACKET_NANOS = 20_000;
    static final int READ_ATTEMPTS = 4;
    /**
     * A kernel timestamp older than this is not believed (the wall clock was stepped far between
     * the packet's arrival and now): the packet counts as arrived now.
     */
    static final long MAX_BELIEVED_AGE_NANOS = 10_000_000_000L;

    private final Clocks clocks;
    /** Wall minus monotonic clock at the last reading. */
    private long offset;
    /** The larger of the last two readings' offsets: arrivals computed with it err early. */
    private long believedOffset;
    /** When the last reading was taken, monotonic ns. */
    private long readAt;
    private boolean paired;

    ArrivalClock(Clocks clocks) {
        this.clocks = clocks;
    }

    /**
     * Pairs the clocks anew, before a batch's timestamps are converted.
     *
     * @return how far the wall clock moved against the monotonic one since the last reading, ns
     */
    long read() {
        long bestBracket = Long.MAX_VALUE;
        long monotonic = 0;
        long wall = 0;
        for (int attempt = 0; attempt < READ_ATTEMPTS && bestBracket > MAX_BRACKET_NANOS;
                attempt++) {
            long before = clocks.monotonic();
            long wallNow = clocks.wall();
            long bracket = clocks.monotonic() - before;
            if (bracket < bestBracket) {
                // The wall clock was read at some moment of the bracket: taking its start makes
                // arrivals err early, by the bracket at most.
                bestBracket = bracket;
                monotonic = before;
                wall = wallNow;
            }
        }
        long newOffset = wall - monotonic;
        long moved = paired ? newOffset - offset : 0;
        believedOffset = paired ? Math.max(offset, newOffset) : newOffset;
        offset = newOffset;
        readAt = monotonic;
        paired = true;
        return moved;
    }

    /**
     * A kernel timestamp on the monotonic clock, or {@link BfdRxMeta#ARRIVAL_UNKNOWN} when it
     * cannot be believed.
     */
    long arrival(long wallNanos) {
        long arrival = wallNanos - believedOffset;
        return readAt - arrival > MAX_BELIEVED_AGE_NANOS ? BfdRxMeta.ARRIVAL_UNKNOWN : arrival;
    }
}
