package org.onosbfd.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** A snapshot of packet and event counters, per session or for the whole service. */
public final class BfdCounters {
    private final long rxPackets;
    private final long txPackets;
    private final long upTransitions;
    private final long downTransitions;
    private final Map<BfdDropReason, Long> drops;

    public BfdCounters(long rxPackets, long txPackets, long upTransitions, long downTransitions,
                       Map<BfdDropReason, Long> drops) {
        this.rxPackets = rxPackets;
        this.txPackets = txPackets;
        this.upTransitions = upTransitions;
        this.downTransitions = downTransitions;
        EnumMap<BfdDropReason, Long> copy = new EnumMap<>(BfdDropReason.class);
        drops.forEach((reason, count) -> {
            if (count != 0) {
                copy.put(reason, count);
            }
        });
        this.drops = Collections.unmodifiableMap(copy);
    }

    /** Control packets accepted. */
    public long rxPackets() {
        return rxPackets;
    }

    /** Control packets sent. */
    public long txPackets() {
        return txPackets;
    }

    /** Times a session came Up. */
    public long upTransitions() {
        return upTransitions;
    }

    /** Times a session went from Up to anything else: the flap count. */
    public long downTransitions() {
        return downTransitions;
    }

    /** Packets discarded, by reason; reasons never seen are absent. */
    public Map<BfdDropReason, Long> drops() {
        return drops;
    }

    /** Packets discarded for any reason. */
    public long droppedPackets() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The count for one reason. */
    public long drops(BfdDropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    @Override
    public String toString() {
        return "rx " + rxPackets + " tx " + txPackets + " up " + upTransitions + " down "
                + downTransitions + " dropped " + drops;
    }
}
