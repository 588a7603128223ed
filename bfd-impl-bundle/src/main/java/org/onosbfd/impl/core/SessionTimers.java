package org.onosbfd.impl.core;

import java.time.Instant;
import java.util.function.LongFunction;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * One session's timers, as absolute monotonic nanoseconds ({@link #NEVER} when disarmed), and
 * how punctually they ran: the lateness of transmissions and the margin each packet left
 * before detection would have expired. The rules that arm them are {@link CoreSession}'s.
 */
final class SessionTimers {
    static final long NEVER = Long.MAX_VALUE;

    /** The next periodic control packet (§6.8.7). */
    long transmit = NEVER;
    /** Detection Time expiry (§6.8.4). */
    long detect = NEVER;
    /** When bfd.AuthSeqKnown is forgotten (§6.8.1). */
    long sequenceReset = NEVER;
    /** The next Poll that verifies the path in Demand mode (§6.6). */
    long demandPoll = NEVER;
    long echoTransmit = NEVER;
    long echoDetect = NEVER;
    /** When a session settling after Up may next go to its configured rate. */
    long settle = NEVER;
    long lastTransmission = NEVER;
    /** When the newest accepted packet arrived: detection counts from here (§6.8.4). */
    long lastArrival = Long.MIN_VALUE;

    private long maxTxLateness;
    private long lastTxLateness;
    /** The smallest and the last margin, µs, between a packet's arrival and detection expiry. */
    private long minDetectionSlack = NEVER;
    private long lastDetectionSlack = NEVER;

    /** Forgets the lateness and slack figures (counters cleared); the timers run on. */
    void clearFigures() {
        maxTxLateness = 0;
        lastTxLateness = 0;
        minDetectionSlack = NEVER;
        lastDetectionSlack = NEVER;
    }

    /** The earliest armed timer: the session's key in the scheduler's heap. */
    long earliest() {
        return Math.min(Math.min(Math.min(transmit, detect), settle),
                Math.min(Math.min(sequenceReset, demandPoll), Math.min(echoTransmit, echoDetect)));
    }

    void disarm() {
        transmit = NEVER;
        detect = NEVER;
        sequenceReset = NEVER;
        demandPoll = NEVER;
        settle = NEVER;
        stopEcho();
    }

    void stopEcho() {
        echoTransmit = NEVER;
        echoDetect = NEVER;
    }

    /**
     * Restarts detection from {@code now} (§6.8.4): none in AdminDown or before the peer is
     * known ({@code detection} 0); in Demand mode (§6.6) only during a Poll Sequence, the path
     * verified by a poll once per detection time; and bfd.AuthSeqKnown forgotten after twice
     * the Detection Time without packets (§6.8.1).
     *
     * @param detection the Detection Time, ns
     */
    void restartDetection(long now, long detection, boolean adminDown, boolean localDemand,
                          boolean polling, boolean sequenceKnown) {
        if (adminDown || detection == 0) {
            detect = NEVER;
        } else if (localDemand && !polling) {
            detect = NEVER;
            if (demandPoll == NEVER) {
                demandPoll = now + detection;
            }
        } else {
            detect = now + detection;
        }
        if (!localDemand) {
            demandPoll = NEVER;
        }
        sequenceReset = sequenceKnown && detection != 0 ? now + 2 * detection : NEVER;
    }

    /** Pushes detection back by a stall of ours (see {@link BfdCore#excuseStall}). */
    void excuse(long nanos) {
        if (detect != NEVER) {
            detect += nanos;
        }
        if (echoDetect != NEVER) {
            echoDetect += nanos;
        }
    }

    /**
     * The periodic transmission due at {@link #transmit} runs {@code now}.
     *
     * @return how late it is, ns (0 when it goes early)
     */
    long transmitting(long now) {
        long lateness = Math.max(0, now - transmit);
        lastTxLateness = lateness / 1000;
        maxTxLateness = Math.max(maxTxLateness, lastTxLateness);
        return lateness;
    }

    /**
     * A packet is being accepted; the time it counts from is its arrival as the transport
     * recorded it (a kernel timestamp), never later than now, and never before a packet already
     * accepted, so that packets read out of order never shorten the peer's detection time.
     *
     * @return the arrival detection counts from
     */
    long arrived(BfdRxMeta meta, long now) {
        long arrival = meta.arrival() == BfdRxMeta.ARRIVAL_UNKNOWN
                ? now : Math.min(meta.arrival(), now);
        lastArrival = Math.max(lastArrival, arrival);
        return lastArrival;
    }

    /** How close a packet that arrived at {@code arrival} came to a Down (slowing peers). */
    void noteSlack(long arrival) {
        if (detect != NEVER) {
            lastDetectionSlack = (detect - arrival) / 1000;
            minDetectionSlack = Math.min(minDetectionSlack, lastDetectionSlack);
        }
    }

    /** Sets the timing fields of a session snapshot. */
    BfdSession.Builder describe(BfdSession.Builder snapshot, LongFunction<Instant> wallClock) {
        return snapshot.txLateness(maxTxLateness, lastTxLateness)
                .detectionSlack(minDetectionSlack == NEVER ? -1 : minDetectionSlack,
                        lastDetectionSlack == NEVER ? -1 : lastDetectionSlack)
                .lastPacketArrival(lastArrival == Long.MIN_VALUE ? null
                        : wallClock.apply(lastArrival));
    }
}
