package org.onosbfd.impl.udp;

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

    /** A session's copy in {@code record}'s packet room, kept until {@link #forget}. */
    Copy copy(NativeRecords.Record record) {
        Copy copy = new Copy(record);
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
     * Whether the loop keeps a copy of an Up packet (position to limit: the BFD payload): a
     * periodic one, without meticulous authentication.
     */
    static boolean repeatable(ByteBuffer packet) {
        if (packet.remaining() < HEADER) {
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
        return coversLoop(now, loopDueBy) && interval > 0
                && sentAt != NEVER
                && sentAt + 2 * interval >= loopDueBy
                && now - Math.max(sentAt, standbySentAt) >= interval;
    }

    /** Whether the loop, due back at {@code loopDueBy}, is late but not hung. */
    private static boolean coversLoop(long now, long loopDueBy) {
        long late = now - loopDueBy;
        return late >= LOOP_LATE_NANOS && late <= LONGEST_COVER_NANOS;
    }

    /** Sends every copy that is due; on a pinned thread. */
    void sendDue() {
        long dueBy = loopDueBy.getAsLong();
        long now = clock.getAsLong();
        if (!coversLoop(now, dueBy)) {
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
        /** The session's record: the packet from its start, {@link MessageBatch#SLOT} read. */
        private final ByteBuffer packet;
        final long packetAddress;
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

        private Copy(NativeRecords.Record record) {
            this.packet = record.memory;
            this.packetAddress = record.address;
        }

        /** Reads ahead of a send ({@code BfdTransmitter.warm}): both lines of the record. */
        long warm() {
            return version + packet.get(0) + packet.get(NativeRecords.ADDRESS_AT);
        }

        /**
         * This copy when the loop keeps the packet it sends ({@link #repeatable}), else null; a
         * packet of a session no longer Up also forgets the last one kept.
         *
         * @param up whether the packet {@link #reportsUp}, read once by the sender
         */
        Copy keeping(ByteBuffer packet, boolean up) {
            if (up) {
                return repeatable(packet) ? this : null;
            }
            if (sentAt != NEVER) {
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
            if (total > NativeRecords.ADDRESS_AT) { // past it: the link-layer destination
                throw new IllegalArgumentException(total + "-byte packet: room for "
                        + NativeRecords.ADDRESS_AT);
            }
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
            long from = sender.copyIn(fd, packet);
            long to = destinationAddress;
            int toLength = destinationLength;
            long control = controlAddress;
            long controlBytes = controlLength;
            VarHandle.loadLoadFence();
            if ((int) VERSION.getAcquire(this) != before
                    || !STANDBY_SENT_AT.compareAndSet(this, claimed, now)) {
                return; // rewritten meanwhile, or another pinned thread took it
            }
            sender.queue(from, Math.min(length, MessageBatch.SLOT), to, toLength, control,
                    controlBytes);
        }
    }

    /** One pinned thread's batch, sent on one socket at a time. */
    private final class Sender {
        private final MessageBatch batch = new MessageBatch();
        private int socket = -1;

        /**
         * Copies a packet into the batch's next slot, after sending what was queued for
         * another socket (one sendmmsg is one socket's); it goes out only if then queued.
         */
        long copyIn(int fd, ByteBuffer packet) {
            if (fd != socket) {
                flush();
                socket = fd;
            }
            return batch.copyToSlot(packet);
        }

        void queue(long from, int length, long destination, int destinationLength,
                   long control, long controlLength) {
            if (batch.add(from, length, destination, destinationLength, control,
                    controlLength)) {
                flush();
            }
        }

        void flush() {
            int queued = batch.size();
            if (queued > 0) {
                int refused = batch.sendOn(socket);
                sent.add(queued - refused);
                if (refused > 0) {
                    errors.add(refused);
                }
            }
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
