package org.onosbfd.impl.core;

import org.onosbfd.api.BfdDampening;

/**
 * One session's hold-downs after flaps ({@link BfdDampening}): exponential back-off, the
 * initial hold after a first flap, doubled with each flap up to the maximum, forgiven after the
 * session stayed Up for the maximum. Times are monotonic nanoseconds.
 */
final class FlapDampening {
    /** The hold given after the last flap, ns; 0: none yet, or forgiven. */
    private long lastHold;
    /** Until when the session may not come Up; MIN_VALUE: not held. */
    private long heldUntil = Long.MIN_VALUE;
    private long upSince;

    void wentUp(long now) {
        upSince = now;
    }

    /** The session fell from Up at {@code now}: hold it down, for longer if it flapped before. */
    void flapped(BfdDampening config, long now) {
        if (config == null) {
            return;
        }
        long initial = config.initialHold() * 1000;
        long maximum = config.maximumHold() * 1000;
        if (lastHold == 0 || now - upSince >= maximum) {
            lastHold = initial; // a first flap, or the first after a stable period
        } else {
            lastHold = Math.min(2 * lastHold, maximum);
        }
        heldUntil = now + lastHold;
    }

    /** True while the session may not leave Down for Init or Up. */
    boolean holds(long now) {
        return now < heldUntil;
    }

    /** When the last hold-down ends or ended, as a wall-clock instant; null: never held. */
    java.time.Instant heldUntil(java.util.function.LongFunction<java.time.Instant> wallClock) {
        return heldUntil == Long.MIN_VALUE ? null : wallClock.apply(heldUntil);
    }

    /** Dampening turned off: nothing held any more, nothing remembered. */
    void off() {
        lastHold = 0;
        heldUntil = Long.MIN_VALUE;
    }
}
