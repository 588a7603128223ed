package org.onosbfd.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Service-wide numbers: sessions by state and counters over all packets, known session or not. */
public final class BfdStatistics {
    private final Map<BfdState, Integer> sessionsByState;
    private final BfdCounters counters;

    public BfdStatistics(Map<BfdState, Integer> sessionsByState, BfdCounters counters) {
        EnumMap<BfdState, Integer> copy = new EnumMap<>(BfdState.class);
        for (BfdState state : BfdState.values()) {
            copy.put(state, sessionsByState.getOrDefault(state, 0));
        }
        this.sessionsByState = Collections.unmodifiableMap(copy);
        this.counters = counters;
    }

    /** Every state with the number of sessions in it (zero included). */
    public Map<BfdState, Integer> sessionsByState() {
        return sessionsByState;
    }

    public int sessionCount() {
        return sessionsByState.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Global counters; drops include packets that matched no session. */
    public BfdCounters counters() {
        return counters;
    }
}
