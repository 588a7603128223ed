package org.onosbfd.impl.udp;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * Datagrams for one sendmmsg(): the native mmsghdr and iovec arrays, and a slot of packet
 * memory per message for packets not held elsewhere. Each message names its destination and
 * control message by native address; whoever queues it keeps those allocated until sent.
 * Shared by {@link BatchSender} (the event loop's batches) and {@link Standby} (each pinned
 * thread's). Thread: its owner's only.
 */
final class MessageBatch {
    /** Messages per sendmmsg(). */
    static final int SIZE = 64;
    /** Bytes per packet slot: IPv6 and UDP headers and the longest BFD packet fit. */
    static final int SLOT = 128;
    /** struct mmsghdr (x86-64): msg_name, msg_namelen, msg_iov, msg_iovlen, control, ... */
    private static final int NAME = 0;
    private static final int NAME_LENGTH = 8;
    private static final int IOV = 16;
    private static final int IOV_LENGTH = 24;
    private static final int CONTROL = 32;
    private static final int CONTROL_LENGTH = 40;

    // Native memory as direct buffers: no JNA call per packet (NativeBuffers).
    private final ByteBuffer messages = NativeBuffers.allocate(SIZE * Libc.MMSGHDR_SIZE);
    private final ByteBuffer iovecs = NativeBuffers.allocate(SIZE * Libc.IOVEC_SIZE);
    private final ByteBuffer slots = NativeBuffers.allocate(SIZE * SLOT);
    private final long slotBase = NativeBuffers.address(slots);
    private final Pointer messagesPointer = NativeBuffers.pointer(messages);
    private int size;

    MessageBatch() {
        long iovecBase = NativeBuffers.address(iovecs);
        for (int i = 0; i < SIZE; i++) {
            messages.putLong(i * Libc.MMSGHDR_SIZE + IOV, iovecBase + (long) i * Libc.IOVEC_SIZE);
            messages.putLong(i * Libc.MMSGHDR_SIZE + IOV_LENGTH, 1);
        }
    }

    /** Messages queued. */
    int size() {
        return size;
    }

    /** Copies bytes into the next message's slot and returns the slot's address. */
    long copyToSlot(byte[] bytes, int length) {
        slots.position(size * SLOT);
        slots.put(bytes, 0, length);
        return slotBase + (long) size * SLOT;
    }

    /**
     * Copies a whole slot's worth of native memory (absolute positions from 0) into the next
     * message's slot, and returns the slot's address. It is sent only if then {@link #add}ed.
     */
    long copyToSlot(ByteBuffer packet) {
        int base = size * SLOT;
        for (int i = 0; i < SLOT; i += 8) {
            slots.putLong(base + i, packet.getLong(i));
        }
        return slotBase + base;
    }

    /**
     * Queues a message.
     *
     * @param from          the packet's native address: a slot of this batch, or memory the
     *                      caller keeps until sent
     * @param control       a control message's native address, or 0
     * @return whether the batch is now full
     */
    boolean add(long from, int length, long destination, int destinationLength, long control,
                long controlLength) {
        int iov = size * Libc.IOVEC_SIZE;
        iovecs.putLong(iov, from);
        iovecs.putLong(iov + 8, length);
        int msg = size * Libc.MMSGHDR_SIZE;
        messages.putLong(msg + NAME, destination);
        messages.putInt(msg + NAME_LENGTH, destinationLength);
        messages.putLong(msg + CONTROL, control);
        messages.putLong(msg + CONTROL_LENGTH, controlLength);
        return ++size == SIZE;
    }

    /**
     * Sends everything queued on a socket and empties the batch; returns how many datagrams
     * the kernel refused. One refused datagram (no route, a full buffer) is a lost packet:
     * it is skipped and the rest sent, as one sendto() per packet would.
     */
    int sendOn(int fd) {
        int refused = 0;
        int offset = 0;
        while (offset < size) {
            // share() allocates: only after a refused datagram, never in the usual case.
            int count = Libc.sendmmsg(fd, offset == 0 ? messagesPointer
                    : messagesPointer.share((long) offset * Libc.MMSGHDR_SIZE), size - offset,
                    Libc.MSG_DONTWAIT);
            if (count <= 0) {
                refused++;
                count = 1;
            }
            offset += count;
        }
        size = 0;
        return refused;
    }
}
