package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * After a stall, the packets read on waking are judged against detection timers that already
 * excuse the stall: a packet the host held back while our CPU was away is stamped late, and
 * judged before the excuse it would fail its session.
 */
class StallExcuseOrderTest {
    private static final long STALL_NANOS = 200_000_000L;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final EventLoop loop = new EventLoop("test-loop", System::nanoTime,
            new DrivenAdapter() {
                @Override
                public void controlPacket(ByteBuffer packet, BfdRxMeta meta, long now) {
                    events.add("packet");
                }

                @Override
                public void excuseStall(long nanos) {
                    events.add("excuse " + (nanos >= STALL_NANOS));
                }
            });

    /** Wakes once 200 ms past its timeout, then reads one packet, as the socket waiter does. */
    private final class StalledSocketWaiter implements Waiter {
        private boolean stalled;
        private long lastWake;

        @Override
        public void await(long timeoutNanos, Runnable woke) {
            if (stalled || timeoutNanos == 0) {
                LockSupport.parkNanos(Math.min(timeoutNanos, 1_000_000L));
                lastWake = System.nanoTime();
                woke.run();
                return;
            }
            stalled = true;
            lastWake = System.nanoTime() + timeoutNanos + STALL_NANOS;
            woke.run();
            loop.controlPacket(ByteBuffer.wrap(new byte[24]),
                    new BfdRxMeta().set(new byte[4], new byte[4], null, 255, false));
        }

        @Override
        public void wakeup() {
        }

        @Override
        public long lastWake() {
            return lastWake;
        }
    }

    @Test
    void excusesTheStallBeforeAnyPacketReadOnWakingIsJudged() {
        loop.start();
        try {
            loop.run(() -> loop.useWaiter(new StalledSocketWaiter()));
            long limit = System.nanoTime() + 5_000_000_000L;
            while (!events.contains("packet") && System.nanoTime() < limit) {
                Thread.onSpinWait();
            }
            assertTrue(events.contains("packet"), "the packet was read: " + events);
            assertEquals(List.of("excuse true", "packet"), events.subList(0, 2));
        } finally {
            loop.stop();
        }
    }
}
