package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.spi.BfdRxMeta;

class InboundRingTest {
    private static final byte[] SOURCE = {10, 0, 0, 1};
    private static final byte[] DESTINATION = {10, 0, 0, 2};

    @Test
    void keepsOrderCopiesMetaAndRefusesWhenFull() {
        InboundRing ring = new InboundRing(4);
        BfdRxMeta meta = new BfdRxMeta().set(SOURCE, DESTINATION, "eth0", 255, false);
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(ByteBuffer.wrap(new byte[] {(byte) i, 1, 2}), meta, i == 3, () -> 0L));
        }
        assertFalse(ring.offer(ByteBuffer.wrap(new byte[] {9}), meta, false, () -> 0L));
        assertEquals(1, ring.overflows());
        for (int i = 0; i < 4; i++) {
            InboundRing.Slot slot = ring.peek();
            assertEquals(i, slot.packet.get(0));
            assertEquals(3, slot.packet.remaining());
            assertTrue(slot.meta.sourceEquals(SOURCE));
            assertEquals("eth0", slot.meta.interfaceName());
            assertEquals(i == 3, slot.echo);
            ring.release();
        }
        assertNull(ring.peek());
        assertTrue(ring.offer(ByteBuffer.wrap(new byte[] {7}), meta, false, () -> 0L), "slots are reused");
    }

    @Test
    void manyProducersOneConsumerLoseNothing() throws InterruptedException {
        InboundRing ring = new InboundRing(1024);
        int producers = 4;
        int perProducer = 50_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                BfdRxMeta meta = new BfdRxMeta().set(SOURCE, DESTINATION, null, 255, false);
                ByteBuffer packet = ByteBuffer.allocate(8);
                for (int i = 0; i < perProducer; i++) {
                    packet.clear();
                    packet.putInt(id).putInt(i).flip();
                    while (!ring.offer(packet, meta, false, () -> 0L)) {
                        Thread.onSpinWait();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        int[] next = new int[producers];
        int received = 0;
        while (received < producers * perProducer) {
            InboundRing.Slot slot = ring.peek();
            if (slot == null) {
                Thread.onSpinWait();
                continue;
            }
            int id = slot.packet.getInt(0);
            assertEquals(next[id]++, slot.packet.getInt(4), "per-producer order kept");
            ring.release();
            received++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(ring.peek());
    }
}
