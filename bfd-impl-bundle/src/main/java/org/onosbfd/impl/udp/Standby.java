package org.onosbfd.impl.udp;

import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Sends Up sessions' periodic packets while the event loop cannot: when the loop is more than
 * {@link #LOOP_LATE_NANOS} behind (its CPU taken away by the host, a stall of the JVM's
 * thread), each Up session whose next packet is due gets its last periodic packet again, as
 * the loop sent it, at the rate it was sending, for at most {@link #LONGEST_COVER_NANOS}
 * (a loop that has not run for longer is hung, and its peers must see it). The peer then
 * keeps hearing from a session whose state has not changed, instead of declaring it Down for
 * our lateness. Measured on the project's virtual machine, the host takes one vCPU away for
 * about 100 ms at a time when both are busy (BENCHMARKS.md); a 50 ms × 3 session forgives
 * 100-112 ms of silence. Runs on
 * {@code PinnedThreads}, one per CPU: one of them is on a CPU that still runs.
 *
 * <p>What it sends is exactly a packet the loop sent: RFC 5880 §6.8.7 allows a repeated
 * periodic packet (its contents are the session's current state), and the rate never exceeds
 * the one the loop kept ({@link Copy#repeatInterval}). Never kept: packets of sessions not Up (a
 * change of state is the loop's to tell), Final replies (§6.5: one per Poll), and packets with
 * meticulous authentication (§6.7.3: each sequence number once). A session that stopped sending
 * (Demand mode, §6.6) is not sent for: only those that sent within two intervals of the stall.
 *
 * <p>Threads: {@link Copy#keep} and {@link Copy#drop} on the event loop; {@link #sendDue} on
 * the pinned threads, each with its own {@link Sender}. A copy is read under a sequence lock,
 * so a packet the loop rewrites meanwhile is skipped, never sent torn.
 */
final class Standby {
    /**
     * How far behind the loop must be: beyond its usual turns under load, and well within the
     * 20 ms of silence that a 10 ms × 3 session forgives.
     */
    static final long LOOP_LATE_NANOS = 10_000_000L;
    /**
     * The longest lateness of the loop covered: a host's freeze lasts about 100 ms; a loop
     * that has not run for a second is hung or dead, and its peers must be let see it.
     */
    static final long LONGEST_COVER_NANOS = 1_000_000_000L;
    private static final long NEVER = Long.MIN_VALUE;
    /** RFC 5880 §4.1: the second byte's State (top two bits) and Final bit, Up. */
    private static final int STATE_UP = 3;
    private static final int FLAG_FINAL = 0x10;
    private static final int FLAG_AUTH = 0x04;
    private static final int HEADER = 24;
    /** RFC 5880 §4.1: Auth Types 3 and 5 are meticulous keyed MD5 and SHA1. */
    private static final int METICULOUS_MD5 = 3;
    private static final int METICULOUS_SHA1 = 5;

    private final Set<Copy> copies = ConcurrentHashMap.newKeySet();
    /** When the loop was due back: the end of its wait, or the start of the turn it runs. */
    private final LongSupplier loopDueBy;
    private final LongSupplier clock;
    private final ThreadLocal<Sender> senders = ThreadLocal.withInitial(Sender::new);
    // Counted by the pinned threads, read by displays.
    private final LongAdder sent = new LongAdder();
    private final LongAdder errors = new LongAdder();

    Standby(LongSupplier loopDueBy, LongSupplier clock) {
        this.loopDueBy = loopDueBy;
        this.clock = clock;
    }

    /** A session's copy, kept until {@link #forget}. */
    Copy copy() {
        Copy copy = new Copy();
        copies.add(copy);
        return copy;
    }

    void forget(Copy copy) {
        copies.remove(copy);
        copy.drop();
    }

    /** Packets sent for the loop. */
    long sent() {
        return sent.sum();
    }

    long errors() {
        return errors.sum();
    }

    /**
     * Whether the loop keeps a copy of this packet (position to limit: the BFD payload): an Up
     * periodic packet without meticulous authentication.
     */
    static boolean keeps(ByteBuffer packet) {
        if (!reportsUp(packet) || packet.remaining() < HEADER) {
            return false;
        }
        int at = packet.position();
        int flags = packet.get(at + 1);
        if ((flags & FLAG_FINAL) != 0) {
            return false;
        }
        if ((flags & FLAG_AUTH) != 0) {
            int type = packet.remaining() > HEADER ? packet.get(at + HEADER) : -1;
            return type != METICULOUS_MD5 && type != METICULOUS_SHA1;
        }
        return true;
    }

    /** RFC 5880 §4.1: the State (Sta) field, the top two bits of the second byte, is Up. */
    static boolean reportsUp(ByteBuffer packet) {
        return packet.remaining() > 1
                && (packet.get(packet.position() + 1) >>> 6 & 0x3) == STATE_UP;
    }

    /**
     * Whether a session's copy is to be sent {@code now}: the loop is late (but not hung), the
     * session sent within two intervals of when the loop was due back, and an interval has
     * passed since the last packet, the loop's or ours.
     */
    static boolean due(long now, long loopDueBy, long sentAt, long interval, long standbySentAt) {
        long late = now - loopDueBy;
        return late >= LOOP_LATE_NANOS && late <= LONGEST_COVER_NANOS && interval > 0
                && sentAt != NEVER
                && sentAt + 2 * interval >= loopDueBy
                && now - Math.max(sentAt, standbySentAt) >= interval;
    }

    /** Sends every copy that is due; on a pinned thread. */
    void sendDue() {
        long dueBy = loopDueBy.getAsLong();
        long now = clock.getAsLong();
        if (now - dueBy < LOOP_LATE_NANOS || now - dueBy > LONGEST_COVER_NANOS) {
            return; // the usual case: one volatile read and a clock
        }
        Sender sender = senders.get();
        for (Copy copy : copies) {
            copy.sendIfDue(sender, now, dueBy);
        }
        sender.flush();
    }

    /**
     * One session's last periodic packet with its headers, where it went, and when. The event
     * loop writes it as it sends ({@link BatchSender} sends from this memory), the pinned
     * threads read it.
     */
    static final class Copy {
        private final ByteBuffer packet = NativeBuffers.allocate(BatchSender.SLOT);
        final long packetAddress = NativeBuffers.address(packet);
        // Written by the loop between two increments of version (odd while writing).
        private int version;
        private int length;
        private int fd;
        private long destinationAddress;
        private int destinationLength;
        private long controlAddress;
        private long controlLength;
        private long sentAt = NEVER;
        /** The interval the loop sends at, ns; 0: not to be sent by the standby. */
        private long interval;
        /** Queued in a batch of the loop's, not sent yet; the loop's only. */
        boolean queued;
        /** When a pinned thread last sent it; claimed by compare-and-set. */
        private long standbySentAt = NEVER;

        private Copy() {
        }

        /**
         * This copy when the loop keeps the packet it sends ({@link #keeps}), else null; a
         * packet of a session no longer Up also forgets the last one kept.
         */
        Copy keeping(ByteBuffer packet) {
            if (keeps(packet)) {
                return this;
            }
            if (sentAt != NEVER && !reportsUp(packet)) {
                drop();
            }
            return null;
        }

        /**
         * Keeps the packet the loop is about to send from this memory (its IP and UDP headers
         * and the BFD packet), and returns its address. It is repeated at the interval it
         * followed the last one at, and never faster than the Desired Min TX Interval it
         * advertises.
         */
        long keep(byte[] bytes, int total, int socket, BatchSender.Path path, long now) {
            int bfd = path.headers.length();
            long desiredTxNanos = ((bytes[bfd + 12] & 0xFFL) << 24 | (bytes[bfd + 13] & 0xFF) << 16
                    | (bytes[bfd + 14] & 0xFF) << 8 | bytes[bfd + 15] & 0xFF) * 1000;
            int v = version;
            VERSION.setOpaque(this, v + 1);
            VarHandle.storeStoreFence();
            packet.clear();
            packet.put(bytes, 0, total);
            length = total;
            fd = socket;
            destinationAddress = path.destinationAddress;
            destinationLength = path.destinationLength;
            controlAddress = path.controlAddress;
            controlLength = path.controlLength;
            interval = sentAt == NEVER ? 0 : Math.max(now - sentAt, desiredTxNanos);
            sentAt = now;
            VERSION.setRelease(this, v + 2);
            return packetAddress;
        }

        /** The interval it is repeated at, ns; 0: not repeated. The loop's (and tests'). */
        long repeatInterval() {
            return interval;
        }

        /** A byte of the packet kept; the loop's (and tests'). */
        byte packetByte(int index) {
            return packet.get(index);
        }

        /** The session is not Up, or gone: nothing of it is sent until kept again. */
        void drop() {
            int v = version;
            VERSION.setOpaque(this, v + 1);
            VarHandle.storeStoreFence();
            interval = 0;
            sentAt = NEVER;
            VERSION.setRelease(this, v + 2);
        }

        private void sendIfDue(Sender sender, long now, long dueBy) {
            int before = (int) VERSION.getAcquire(this);
            if ((before & 1) != 0) {
                return; // the loop is writing it: it runs, and sends it itself
            }
            long claimed = (long) STANDBY_SENT_AT.getAcquire(this);
            if (!due(now, dueBy, sentAt, interval, claimed)) {
                return;
            }
            int slot = sender.copyIn(fd, packet, length);
            long to = destinationAddress;
            int toLength = destinationLength;
            long control = controlAddress;
            long controlBytes = controlLength;
            VarHandle.loadLoadFence();
            if ((int) VERSION.getAcquire(this) != before
                    || !STANDBY_SENT_AT.compareAndSet(this, claimed, now)) {
                return; // rewritten meanwhile, or another pinned thread took it
            }
            sender.queue(slot, to, toLength, control, controlBytes);
        }
    }

    /** One pinned thread's batch: its own native messages and packet slots. */
    private final class Sender {
        private final ByteBuffer messages =
                NativeBuffers.allocate(BatchSender.BATCH * Libc.MMSGHDR_SIZE);
        private final ByteBuffer iovecs =
                NativeBuffers.allocate(BatchSender.BATCH * Libc.IOVEC_SIZE);
        private final ByteBuffer slots =
                NativeBuffers.allocate(BatchSender.BATCH * BatchSender.SLOT);
        private final Pointer messagesPointer = NativeBuffers.pointer(messages);
        private final long slotBase = NativeBuffers.address(slots);
        private int queued;
        private int socket = -1;

        Sender() {
            long iovecBase = NativeBuffers.address(iovecs);
            for (int i = 0; i < BatchSender.BATCH; i++) {
                iovecs.putLong(i * Libc.IOVEC_SIZE, slotBase + (long) i * BatchSender.SLOT);
                messages.putLong(i * Libc.MMSGHDR_SIZE + 16, iovecBase + i * Libc.IOVEC_SIZE);
                messages.putLong(i * Libc.MMSGHDR_SIZE + 24, 1);
            }
        }

        /**
         * Copies a packet into the next slot, after sending what was queued for another
         * socket (one sendmmsg is one socket's); it goes out only if then queued.
         */
        int copyIn(int fd, ByteBuffer packet, int length) {
            if (fd != socket) {
                flush();
                socket = fd;
            }
            int slot = queued;
            int base = slot * BatchSender.SLOT;
            for (int i = 0; i < BatchSender.SLOT; i += 8) {
                slots.putLong(base + i, packet.getLong(i));
            }
            iovecs.putLong(slot * Libc.IOVEC_SIZE + 8, Math.min(length, BatchSender.SLOT));
            return slot;
        }

        void queue(int slot, long destination, int destinationLength, long control,
                   long controlLength) {
            int msg = slot * Libc.MMSGHDR_SIZE;
            messages.putLong(msg, destination);
            messages.putInt(msg + 8, destinationLength);
            messages.putLong(msg + 32, control);
            messages.putLong(msg + 40, controlLength);
            queued = slot + 1;
            if (queued == BatchSender.BATCH) {
                flush();
            }
        }

        void flush() {
            if (queued > 0) {
                int count = Libc.sendmmsg(socket, messagesPointer, queued, Libc.MSG_DONTWAIT);
                if (count > 0) {
                    sent.add(count);
                }
                if (count < queued) {
                    errors.add(queued - Math.max(count, 0));
                }
            }
            queued = 0;
        }
    }

    private static final VarHandle VERSION;
    private static final VarHandle STANDBY_SENT_AT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VERSION = lookup.findVarHandle(Copy.class, "version", int.class);
            STANDBY_SENT_AT = lookup.findVarHandle(Copy.class, "standbySentAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
