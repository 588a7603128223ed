package org.onosbfd.impl.core;

import java.util.EnumMap;
import java.util.Map;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdState;

/**
 * Packet and transition counts. Each event is counted once, by one call, on the session it
 * concerns; that call also counts it in the service's totals (the session's {@code totals}), so
 * the two can never disagree, and reading the totals costs nothing however many sessions there
 * are (a reader must not hold the event loop for a walk over every session). What no session
 * took (undecodable packets, unknown discriminators) is counted in the totals alone.
 */
final class PacketCounters {
    /** The service's totals this one adds to; null: these are the totals. */
    private final PacketCounters totals;
    private long rxPackets;
    private long txPackets;
    private long upTransitions;
    private long downTransitions;
    private final long[] drops = new long[BfdDropReason.values().length];

    PacketCounters(PacketCounters totals) {
        this.totals = totals;
    }

    void received() {
        rxPackets++;
        if (totals != null) {
            totals.received();
        }
    }

    /** A read ahead of a packet (BfdCore.warm); the value means nothing. */
    long warm() {
        return txPackets;
    }

    void sent() {
        txPackets++;
        if (totals != null) {
            totals.sent();
        }
    }

    void dropped(BfdDropReason reason) {
        drops[reason.ordinal()]++;
        if (totals != null) {
            totals.dropped(reason);
        }
    }

    /** Counts Up, and Up to anything else (the flap count). */
    void stateChanged(BfdState oldState, BfdState newState) {
        if (newState == BfdState.UP) {
            upTransitions++;
        } else if (oldState == BfdState.UP) {
            downTransitions++;
        }
        if (totals != null) {
            totals.stateChanged(oldState, newState);
        }
    }

    /** Back to zero (an operator's {@code clear bfd counters}); the totals keep theirs. */
    void clear() {
        rxPackets = 0;
        txPackets = 0;
        upTransitions = 0;
        downTransitions = 0;
        java.util.Arrays.fill(drops, 0);
    }

    BfdCounters toApi() {
        Map<BfdDropReason, Long> dropMap = new EnumMap<>(BfdDropReason.class);
        for (BfdDropReason reason : BfdDropReason.values()) {
            dropMap.put(reason, drops[reason.ordinal()]);
        }
        return new BfdCounters(rxPackets, txPackets, upTransitions, downTransitions, dropMap);
    }
}
