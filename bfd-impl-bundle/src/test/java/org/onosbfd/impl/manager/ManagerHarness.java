package org.onosbfd.impl.manager;

import java.time.Clock;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.onosbfd.impl.runtime.EventLoop;

/** How tests in other packages build and drive a {@link BfdManager} by hand. */
public final class ManagerHarness {
    private ManagerHarness() {
    }

    /**
     * A service on these clocks and random source, delivering events through {@code events}
     * (a direct executor makes it deterministic).
     */
    public static BfdManager create(LongSupplier clock, Clock wallClock, Random random,
                                    Executor events) {
        return new BfdManager(clock, wallClock, random, events);
    }

    /** Starts the bound transports with the caller's thread as the event loop. */
    public static void startOnCallerThread(BfdManager manager) {
        manager.startOnCallerThread();
    }

    /** The manager's loop, to drive with {@link EventLoop#runOnce()} on a fake clock. */
    public static EventLoop loop(BfdManager manager) {
        return manager.loop();
    }
}
