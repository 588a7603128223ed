package org.onosbfd.api;

import java.util.Objects;

/**
 * Dampening of a flapping session, as routers back off (IOS-XR's {@code bfd dampening}): after
 * a session falls from Up, it may not come Up again for a hold-down time, the initial hold after
 * a first flap, doubled with every further flap up to the maximum. A session that stays Up for
 * the maximum hold is forgiven: its next flap is held for the initial time again. While held
 * down, the session stays Down (and says so to its peer), so link liveness keeps the link
 * withdrawn instead of putting it back, and rerouting every intent over it, on every flap.
 */
public final class BfdDampening {
    /** For auto-mode links (IOS-XR's defaults): 2 s first, at most 2 minutes. */
    public static final BfdDampening LINK_DEFAULT = new BfdDampening(2_000_000, 120_000_000);
    /** An hour: the longest hold accepted, µs. */
    private static final long MAX_HOLD_US = 3_600_000_000L;

    private final long initialHold;
    private final long maximumHold;

    /**
     * @param initialHold the hold after a first flap, µs (1 ms to an hour)
     * @param maximumHold the longest hold, µs: at least the initial one, at most an hour
     * @throws BfdException INVALID naming the bad value
     */
    public BfdDampening(long initialHold, long maximumHold) {
        if (initialHold < 1_000 || initialHold > MAX_HOLD_US) {
            throw BfdException.invalid("dampening.initialHold", initialHold,
                    "microseconds from 1000 to " + MAX_HOLD_US);
        }
        if (maximumHold < initialHold || maximumHold > MAX_HOLD_US) {
            throw BfdException.invalid("dampening.maximumHold", maximumHold,
                    "microseconds from initialHold (" + initialHold + ") to " + MAX_HOLD_US);
        }
        this.initialHold = initialHold;
        this.maximumHold = maximumHold;
    }

    /** The hold-down after a first flap, µs. */
    public long initialHold() {
        return initialHold;
    }

    /** The longest hold-down, and how long a session must stay Up to be forgiven, µs. */
    public long maximumHold() {
        return maximumHold;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BfdDampening && ((BfdDampening) o).initialHold == initialHold
                && ((BfdDampening) o).maximumHold == maximumHold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialHold, maximumHold);
    }

    @Override
    public String toString() {
        return "dampening " + initialHold + "us-" + maximumHold + "us";
    }
}
