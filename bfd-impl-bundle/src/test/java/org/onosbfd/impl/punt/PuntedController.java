package org.onosbfd.impl.punt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.onlab.packet.MacAddress;
import org.onosbfd.api.BfdSession;
import org.onosbfd.impl.manager.BfdManager;
import org.onosproject.TestApplicationId;

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

    private long now = START;
    public final EmulatedNetwork network;
    public final BfdManager manager;
    public final PuntTransport transport;

    public PuntedController(EmulatedNetwork network) {
        this.network = network;
        this.manager = new BfdManager(() -> now, Clock.fixed(WALL_START, ZoneOffset.UTC),
                new Random(5), Runnable::run);
        this.transport = new PuntTransport(network, new TestApplicationId("org.onosbfd.bfd"),
                MAC, () -> now);
        manager.bindTransport(transport);
        manager.activateWithoutThread();
    }

    public long now() {
        return now;
    }

    /** Runs every timer due in the next {@code nanos} and leaves the clock at the end. */
    public void runFor(long nanos) {
        long end = now + nanos;
        while (manager.eventLoop().nextDeadline() <= end) {
            now = Math.max(now, manager.eventLoop().nextDeadline());
            manager.eventLoop().runOnce();
        }
        now = end;
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
