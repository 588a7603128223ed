package org.onosbfd.impl.punt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.Predicate;
import org.onlab.packet.MacAddress;
import org.onosbfd.api.BfdSession;
import org.onosbfd.impl.manager.BfdManager;
import org.onosbfd.impl.manager.ManagerHarness;
import org.onosproject.TestApplicationId;
import org.onosproject.net.DeviceId;

/**
 * One controller's BFD service with the punted transport on an {@link EmulatedNetwork}, on a
 * fake clock that the test advances: deterministic, no threads. Test-only.
 */
public final class PuntedController {
    public static final long MS = 1_000_000;
    /** The wall time at which the fake monotonic clock reads {@link #START}. */
    public static final Instant WALL_START = Instant.parse("2026-11-22T10:00:00Z");
    public static final long START = 10_000 * MS;
    public static final MacAddress MAC = MacAddress.valueOf("02:bf:d0:00:00:01");

    /** A fake monotonic clock that several controllers of one emulated cluster share. */
    public static final class FakeClock {
        long now = START;
        /** Seeds each instance's random source differently, reproducibly. */
        int instances;
    }

    private final FakeClock clock;
    public final EmulatedNetwork network;
    public final BfdManager manager;
    public final PuntTransport transport;

    /** A controller that masters every device. */
    public PuntedController(EmulatedNetwork network) {
        this(network, new FakeClock(), device -> true);
    }

    /** One instance of an emulated cluster: {@code mastered} says which devices it masters. */
    public PuntedController(EmulatedNetwork network, FakeClock clock,
                            Predicate<DeviceId> mastered) {
        this.clock = clock;
        this.network = network;
        this.manager = ManagerHarness.create(() -> clock.now,
                Clock.fixed(WALL_START, ZoneOffset.UTC), new Random(5 + clock.instances++),
                Runnable::run);
        this.transport = new PuntTransport(network, new TestApplicationId("org.onosbfd.bfd"),
                MAC, () -> clock.now, mastered);
        manager.bindTransport(transport);
        ManagerHarness.startOnCallerThread(manager);
    }

    public long now() {
        return clock.now;
    }

    /** Runs every timer due in the next {@code nanos} and leaves the clock at the end. */
    public void runFor(long nanos) {
        runAll(nanos, this);
    }

    /** Runs the controllers (on one clock) in deadline order for {@code nanos}. */
    public static void runAll(long nanos, PuntedController... controllers) {
        FakeClock clock = controllers[0].clock;
        long end = clock.now + nanos;
        while (true) {
            PuntedController next = null;
            for (PuntedController controller : controllers) {
                if (next == null || ManagerHarness.loop(controller.manager).nextDeadline()
                        < ManagerHarness.loop(next.manager).nextDeadline()) {
                    next = controller;
                }
            }
            long deadline = ManagerHarness.loop(next.manager).nextDeadline();
            if (deadline > end) {
                break;
            }
            clock.now = Math.max(clock.now, deadline);
            ManagerHarness.loop(next.manager).runOnce();
        }
        clock.now = end;
    }

    /** When a session last changed state, on the fake monotonic clock. */
    public long lastStateChange(BfdSession session) {
        return (session.lastStateChange().toEpochMilli() - WALL_START.toEpochMilli()) * MS + START;
    }

    public BfdSession session(long id) {
        return manager.session(id).orElseThrow();
    }

    public static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
