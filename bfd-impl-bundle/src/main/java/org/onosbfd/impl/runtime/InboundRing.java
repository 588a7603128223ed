package org.onosbfd.impl.runtime;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * Received packets on their way from transport threads to the event loop: a bounded
 * multi-producer single-consumer ring of preallocated slots (after Dmitry Vyukov's bounded
 * queue), so handing over a packet takes no lock and allocates nothing. When the loop falls
 * behind and the ring is full, packets are dropped and counted: BFD treats a late packet as a
 * lost one anyway, and back-pressure onto a socket would only delay fresher packets.
 */
final class InboundRing {
    /** The largest Length a control packet can declare (one octet). */
    static final int SLOT_BYTES = 255;

    /** One received packet. */
    static final class Slot {
        final ByteBuffer packet = ByteBuffer.allocate(SLOT_BYTES);
        final BfdRxMeta meta = new BfdRxMeta();
        boolean echo;
    }

    private final Slot[] slots;
    private final AtomicLongArray sequences;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private long head;
    private final AtomicLong overflows = new AtomicLong();

    InboundRing(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        slots = new Slot[capacityPowerOfTwo];
        sequences = new AtomicLongArray(capacityPowerOfTwo);
        for (int i = 0; i < capacityPowerOfTwo; i++) {
            slots[i] = new Slot();
            sequences.set(i, i);
        }
        mask = capacityPowerOfTwo - 1;
    }

    /**
     * Copies a packet in; any thread. A packet whose arrival the transport did not record is
     * stamped with {@code clock} now, the time it was handed over. False (and counted) when the
     * ring is full.
     */
    boolean offer(ByteBuffer packet, BfdRxMeta meta, boolean echo, LongSupplier clock) {
        while (true) {
            long position = tail.get();
            int index = (int) position & mask;
            long available = sequences.get(index) - position;
            if (available == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    Slot slot = slots[index];
                    // Absolute gets: no view buffer allocated, the caller's position untouched.
                    int length = Math.min(packet.remaining(), SLOT_BYTES);
                    byte[] into = slot.packet.array();
                    for (int i = 0, from = packet.position(); i < length; i++) {
                        into[i] = packet.get(from + i);
                    }
                    slot.packet.clear().limit(length);
                    slot.meta.copyFrom(meta);
                    if (meta.arrival() == BfdRxMeta.ARRIVAL_UNKNOWN) {
                        slot.meta.arrivedAt(clock.getAsLong());
                    }
                    slot.echo = echo;
                    sequences.set(index, position + 1);
                    return true;
                }
            } else if (available < 0) {
                overflows.incrementAndGet();
                return false;
            }
        }
    }

    /** The next filled slot, or null; the event loop only. Call {@link #release} when done. */
    Slot peek() {
        int index = (int) head & mask;
        return sequences.get(index) == head + 1 ? slots[index] : null;
    }

    void release() {
        int index = (int) head & mask;
        sequences.set(index, head + mask + 1);
        head++;
    }

    boolean isEmpty() {
        return peek() == null;
    }

    long overflows() {
        return overflows.get();
    }
}
