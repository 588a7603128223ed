package org.onosbfd.impl.core;

import java.util.EnumMap;
import java.util.Map;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdState;

/**
 * Packet and transition counts, kept once: each session counts what happened to it, and the
 * core counts only what no session took (and keeps removed sessions' totals), so the service's
 * totals are a sum, never a second count that could disagree.
 */
final class PacketCounters {
    private long rxPackets;
    private long txPackets;
    private long upTransitions;
    private long downTransitions;
    private final long[] drops = new long[BfdDropReason.values().length];

    void received() {
        rxPackets++;
    }

    void sent() {
        txPackets++;
    }

    void dropped(BfdDropReason reason) {
        drops[reason.ordinal()]++;
    }

    /** Counts Up, and Up to anything else (the flap count). */
    void stateChanged(BfdState oldState, BfdState newState) {
        if (newState == BfdState.UP) {
            upTransitions++;
        } else if (oldState == BfdState.UP) {
            downTransitions++;
        }
    }

    /** Back to zero: an operator's {@code clear bfd counters}. */
    void clear() {
        rxPackets = 0;
        txPackets = 0;
        upTransitions = 0;
        downTransitions = 0;
        java.util.Arrays.fill(drops, 0);
    }

    void add(PacketCounters other) {
        rxPackets += other.rxPackets;
        txPackets += other.txPackets;
        upTransitions += other.upTransitions;
        downTransitions += other.downTransitions;
        for (int i = 0; i < drops.length; i++) {
            drops[i] += other.drops[i];
        }
    }

    BfdCounters toApi() {
        Map<BfdDropReason, Long> dropMap = new EnumMap<>(BfdDropReason.class);
        for (BfdDropReason reason : BfdDropReason.values()) {
            dropMap.put(reason, drops[reason.ordinal()]);
        }
        return new BfdCounters(rxPackets, txPackets, upTransitions, downTransitions, dropMap);
    }
}
