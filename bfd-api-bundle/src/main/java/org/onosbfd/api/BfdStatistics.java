package org.onosbfd.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Service-wide numbers: sessions by state, counters over all packets (known session or not), and
 * each transport's own counters (what happens below BFD: datagrams, frames, send errors).
 */
public final class BfdStatistics {
    private final Map<BfdState, Integer> sessionsByState;
    private final int sessionsSettling;
    private final BfdCounters counters;
    private final Map<String, Map<String, Long>> transports;

    /**
     * @param sessionsSettling how many of the Up sessions still send at the slow rate after
     *                         coming Up ({@link BfdSession#settlingUntil()})
     * @param transports by transport name ({@link org.onosbfd.api.spi.BfdTransport#name()}), its
     *                   counters by name
     */
    public BfdStatistics(Map<BfdState, Integer> sessionsByState, int sessionsSettling,
                         BfdCounters counters, Map<String, Map<String, Long>> transports) {
        EnumMap<BfdState, Integer> copy = new EnumMap<>(BfdState.class);
        for (BfdState state : BfdState.values()) {
            copy.put(state, sessionsByState.getOrDefault(state, 0));
        }
        this.sessionsByState = Collections.unmodifiableMap(copy);
        this.sessionsSettling = sessionsSettling;
        this.counters = counters;
        Map<String, Map<String, Long>> byName = new TreeMap<>();
        transports.forEach((name, values) -> byName.put(name,
                Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        this.transports = Collections.unmodifiableMap(byName);
    }

    /** Every state with the number of sessions in it (zero included). */
    public Map<BfdState, Integer> sessionsByState() {
        return sessionsByState;
    }

    /** Up sessions still at the slow rate after coming Up ({@link BfdSession#settlingUntil()}). */
    public int sessionsSettling() {
        return sessionsSettling;
    }

    public int sessionCount() {
        return sessionsByState.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Global counters; drops include packets that matched no session. */
    public BfdCounters counters() {
        return counters;
    }

    /** Each transport's counters, by transport name then counter name. */
    public Map<String, Map<String, Long>> transports() {
        return transports;
    }
}
