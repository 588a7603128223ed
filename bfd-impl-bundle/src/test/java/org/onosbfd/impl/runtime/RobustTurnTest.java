package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * A turn survives whatever one packet or one timer does: the failure is counted and the rest of
 * the turn runs. A stopped loop, or one that died of an Error, refuses calls at once. The loop
 * in direct mode on a fake clock: no threads, no sleeps (but the last test, which needs the
 * loop's own thread to die).
 */
class RobustTurnTest {
    private long now = 1_000_000_000L;
    private long deadline = Long.MAX_VALUE;
    private final List<String> trace = new ArrayList<>();
    private int failedPackets;
    private volatile Error fatal;

    private final EventLoop loop = new EventLoop("test-loop", () -> now, new DrivenAdapter() {
        @Override
        public void controlPacket(ByteBuffer packet, BfdRxMeta meta, long at) {
            if (packet.get(packet.position()) == 0x66) {
                throw new IndexOutOfBoundsException("a decoder bug");
            }
            trace.add("packet " + packet.get(packet.position()) + " arrived " + meta.arrival());
        }

        @Override
        public void packetFailed(RuntimeException failure) {
            failedPackets++;
        }

        @Override
        public RuntimeException advance(long at) {
            if (at >= deadline) {
                deadline = Long.MAX_VALUE;
                trace.add("timer");
            }
            return null;
        }

        @Override
        public long nextDeadline() {
            return deadline;
        }
    });

    private final BfdRxMeta meta = new BfdRxMeta().set(new byte[4], new byte[4], null, 255, false);

    @Test
    void aPacketThatThrowsIsCountedAndTheTurnGoesOn() {
        deadline = now;
        loop.controlPacket(ByteBuffer.wrap(new byte[] {0x66}), meta);
        loop.controlPacket(ByteBuffer.wrap(new byte[] {1}), meta.arrivedAt(now - 5));
        loop.runOnce();
        assertEquals(1, failedPackets);
        assertEquals(List.of("packet 1 arrived " + (now - 5), "timer"), trace);
    }

    @Test
    void aFloodOfBadPacketsNeverStopsTheTimers() {
        for (int i = 0; i < 100_000; i++) {
            loop.controlPacket(ByteBuffer.wrap(new byte[] {0x66}), meta);
        }
        deadline = now;
        loop.runOnce();
        assertEquals(100_000, failedPackets);
        assertEquals(List.of("timer"), trace);
    }

    @Test
    void aStoppedLoopRefusesCalls() {
        assertEquals(42, (int) loop.call(() -> 42));
        loop.stop();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> loop.call(() -> 42));
        assertEquals("the BFD service is stopped", refused.getMessage());
    }

    @Test
    void anErrorOnTheLoopFailsCallsFastInsteadOfHanging() {
        EventLoop real = new EventLoop("dying-loop", System::nanoTime, new DrivenAdapter() {
            @Override
            public RuntimeException advance(long at) {
                if (fatal != null) {
                    throw fatal;
                }
                return null;
            }
        });
        real.start();
        try {
            assertEquals(1, (int) real.call(() -> 1));
            fatal = new OutOfMemoryError("simulated");
            long limit = System.nanoTime() + 10_000_000_000L;
            IllegalStateException refused = null;
            while (refused == null && System.nanoTime() < limit) {
                try {
                    real.call(() -> 1);
                } catch (IllegalStateException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null && refused.getMessage().contains("fatal error"),
                    "calls fail once the loop died: " + refused);
        } finally {
            real.stop();
        }
    }
}
