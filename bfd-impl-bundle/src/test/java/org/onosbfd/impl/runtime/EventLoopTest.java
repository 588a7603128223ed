package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.spi.BfdRxMeta;

/** The real loop thread: commands, packets from other threads and timers all run on it. */
class EventLoopTest {
    private final AtomicInteger packets = new AtomicInteger();
    private final AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger timerRuns = new AtomicInteger();
    private volatile Thread drivenOn;

    private final EventLoop loop = new EventLoop("test-loop", System::nanoTime,
            new DrivenAdapter() {
                @Override
                public void controlPacket(ByteBuffer packet, BfdRxMeta meta, long now) {
                    drivenOn = Thread.currentThread();
                    packets.incrementAndGet();
                }

                @Override
                public RuntimeException advance(long now) {
                    if (now >= deadline.get()) {
                        deadline.set(Long.MAX_VALUE);
                        timerRuns.incrementAndGet();
                    }
                    return null;
                }

                @Override
                public long nextDeadline() {
                    return deadline.get();
                }
            });

    @Test
    void runsCommandsPacketsAndTimersOnItsOwnThread() throws InterruptedException {
        loop.start();
        try {
            Thread loopThread = loop.call(Thread::currentThread);
            assertEquals("test-loop", loopThread.getName());
            assertEquals("boom", assertThrows(IllegalArgumentException.class,
                    () -> loop.call(() -> {
                        throw new IllegalArgumentException("boom");
                    })).getMessage(), "exceptions reach the caller unchanged");
            BfdRxMeta meta = new BfdRxMeta().set(new byte[4], new byte[4], null, 255, false);
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    loop.controlPacket(ByteBuffer.wrap(new byte[24]), meta);
                }
            });
            sender.start();
            sender.join();
            loop.run(() -> deadline.set(System.nanoTime() + 20_000_000));
            long limit = System.nanoTime() + 5_000_000_000L;
            while ((packets.get() < 1000 || timerRuns.get() == 0) && System.nanoTime() < limit) {
                Thread.onSpinWait();
            }
            assertEquals(1000, packets.get());
            assertEquals(1, timerRuns.get(), "the timer ran once, without a wake-up from outside");
            assertEquals(loopThread, drivenOn);
            assertTrue(loop.overflows() == 0);
        } finally {
            loop.stop();
        }
    }
}
