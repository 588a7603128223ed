package org.onosbfd.impl.udp;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onosbfd.api.spi.BfdPacketReceiver;
import org.onosbfd.api.spi.BfdRxMeta;
import org.onosbfd.impl.runtime.RateLimitedLog;
import org.onosbfd.impl.runtime.Waiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of the host-socket transport: waits in ppoll() on every receive socket
 * and an eventfd, then drains each ready socket with recvmmsg() in batches of {@value #BATCH},
 * reading TTL, destination address and interface from the control messages (IP_RECVTTL /
 * IP_PKTINFO, IPV6_RECVHOPLIMIT / IPV6_RECVPKTINFO), the kernel's arrival timestamp
 * (SO_TIMESTAMPNS) by which the core judges liveness, and the socket's count of datagrams
 * dropped for want of buffer (SO_RXQ_OVFL). IPv4 single-hop datagrams may come from a packet
 * ring instead of their socket ({@link ReceiveRing}), read in place. All native memory is
 * allocated once, as direct buffers read and written with the JIT's intrinsics
 * ({@link NativeBuffers}): a packet costs no allocation and no call through JNA on its way to
 * the receiver but the batch's one recvmmsg().
 *
 * <p>It is the BFD event loop's {@link Waiter} when the service integrates it (the loop thread
 * then sleeps here until its next timer, a wake-up through the eventfd, or a packet, and reads
 * the packet itself), or runs on a thread of its own otherwise.
 */
final class ReceiveLoop implements Runnable, Waiter {
    /** One receive socket. */
    static final class Endpoint {
        final int fd;
        final boolean ipv4;
        final boolean multihop;
        /** Our echo packets coming back (UDP 3785), not control packets. */
        final boolean echo;

        /** Where this socket's datagrams are read instead, or null: the socket itself. */
        final ReceiveRing ring;

        Endpoint(int fd, boolean ipv4, boolean multihop, boolean echo) {
            this(fd, ipv4, multihop, echo, null);
        }

        private Endpoint(int fd, boolean ipv4, boolean multihop, boolean echo,
                         ReceiveRing ring) {
            this.fd = fd;
            this.ipv4 = ipv4;
            this.multihop = multihop;
            this.echo = echo;
            this.ring = ring;
        }

        /** This IPv4 single-hop socket, its datagrams read from {@code ring}. */
        Endpoint through(ReceiveRing ring) {
            return new Endpoint(fd, ipv4, multihop, echo, ring);
        }

        /** What ppoll() waits on. */
        int readableFd() {
            return ring != null ? ring.fd() : fd;
        }
    }

    static final int BATCH = 64;
    private static final int PACKET_SIZE = 256;
    private static final int CONTROL_SIZE = 192;
    private static final long THREAD_POLL_NANOS = 250_000_000L;
    /** A move of the wall clock against the monotonic one this large is logged. */
    private static final long REPORTED_CLOCK_MOVE_NANOS = 1_000_000L;
    /** Ring frames whose sessions are fetched at once, ahead of their packets. */
    private static final int WARM_AHEAD = 32;
    private static final Logger log = LoggerFactory.getLogger(ReceiveLoop.class);

    private final Endpoint[] endpoints;
    private final BfdPacketReceiver receiver;
    /** Runs before each wait: sends what the last turn queued. */
    private final Runnable beforeWait;
    /** Written by {@link #wakeup()} from any thread; polled with the sockets. */
    private final int wakeFd;
    private final ByteBuffer one = NativeBuffers.allocate(8);
    private final ByteBuffer drained = NativeBuffers.allocate(8);
    private final ByteBuffer timeout = NativeBuffers.allocate(16);
    private final ByteBuffer wallClock = NativeBuffers.allocate(16);
    /** Paired once per batch, for the kernel's timestamps. */
    private final ArrivalClock arrivalClock = new ArrivalClock(new ArrivalClock.Clocks() {
        @Override
        public long monotonic() {
            return System.nanoTime();
        }

        @Override
        public long wall() {
            Libc.clock_gettime(Libc.CLOCK_REALTIME, wallClockPointer);
            return wallClock.getLong(0) * 1_000_000_000L + wallClock.getLong(8);
        }
    });
    private final RateLimitedLog clockMoves = new RateLimitedLog(log, 10_000_000_000L);
    /** When ppoll() last returned; the event loop's thread only. */
    private long lastWake;
    /**
     * When the loop is due back: the end of its wait while it waits, the start of its turn
     * while it runs. Read by the standby ({@link Standby}) to tell that the loop is late.
     */
    private volatile long dueBy = System.nanoTime();
    /** The last SO_RXQ_OVFL count seen on each endpoint (cumulative in the kernel). */
    private final long[] bufferDrops;
    private final int[] ahead = new int[WARM_AHEAD];
    private final ByteBuffer pollFds;
    private final ByteBuffer messages = NativeBuffers.allocate(BATCH * Libc.MMSGHDR_SIZE);
    private final ByteBuffer iovecs = NativeBuffers.allocate(BATCH * Libc.IOVEC_SIZE);
    private final ByteBuffer names = NativeBuffers.allocate(BATCH * Libc.SOCKADDR_IN6_SIZE);
    private final ByteBuffer controls = NativeBuffers.allocate(BATCH * CONTROL_SIZE);
    /** The datagrams themselves, in network byte order. */
    private final ByteBuffer packetMemory = ByteBuffer.allocateDirect(BATCH * PACKET_SIZE);
    // The same memory as JNA pointers, for the system calls.
    private final Pointer onePointer = NativeBuffers.pointer(one);
    private final Pointer drainedPointer = NativeBuffers.pointer(drained);
    private final Pointer timeoutPointer = NativeBuffers.pointer(timeout);
    private final Pointer wallClockPointer = NativeBuffers.pointer(wallClock);
    private final Pointer pollFdsPointer;
    private final Pointer messagesPointer = NativeBuffers.pointer(messages);
    private final ByteBuffer[] packets = new ByteBuffer[BATCH];
    private final BfdRxMeta meta = new BfdRxMeta();
    private final byte[] source4 = new byte[4];
    private final byte[] destination4 = new byte[4];
    private final byte[] source6 = new byte[16];
    private final byte[] destination6 = new byte[16];
    /** Interface names by index: an array for the usual small indexes, a map beyond. */
    private final String[] interfaceNames = new String[1024];
    private final Map<Integer, String> largeIndexNames = new HashMap<>();
    private volatile boolean running = true;
    // Counters: written by the one receiving thread only, read by displays.
    private volatile long datagramsReceived;
    private volatile long truncatedControl;
    private volatile long receiveErrors;
    private volatile long receiveBufferDrops;
    private volatile long echoReceived;

    ReceiveLoop(List<Endpoint> endpoints, BfdPacketReceiver receiver, int wakeFd,
                Runnable beforeWait) {
        this.endpoints = endpoints.toArray(new Endpoint[0]);
        this.receiver = receiver;
        this.wakeFd = wakeFd;
        this.beforeWait = beforeWait;
        this.bufferDrops = new long[this.endpoints.length];
        one.putLong(0, 1);
        this.pollFds = NativeBuffers.allocate(8 * (this.endpoints.length + 1));
        this.pollFdsPointer = NativeBuffers.pointer(pollFds);
        for (int i = 0; i <= this.endpoints.length; i++) {
            pollFds.putInt(8 * i, i < this.endpoints.length
                    ? this.endpoints[i].readableFd() : wakeFd);
            pollFds.putShort(8 * i + 4, Libc.POLLIN);
        }
        long packetBase = NativeBuffers.address(packetMemory);
        long nameBase = NativeBuffers.address(names);
        long iovecBase = NativeBuffers.address(iovecs);
        long controlBase = NativeBuffers.address(controls);
        for (int i = 0; i < BATCH; i++) {
            packetMemory.clear().position(i * PACKET_SIZE).limit((i + 1) * PACKET_SIZE);
            packets[i] = packetMemory.slice();
            int iov = i * Libc.IOVEC_SIZE;
            iovecs.putLong(iov, packetBase + (long) i * PACKET_SIZE);
            iovecs.putLong(iov + 8, PACKET_SIZE);
            int msg = i * Libc.MMSGHDR_SIZE;
            messages.putLong(msg, nameBase + (long) i * Libc.SOCKADDR_IN6_SIZE);
            messages.putLong(msg + 16, iovecBase + iov);
            messages.putLong(msg + 24, 1);
            messages.putLong(msg + 32, controlBase + (long) i * CONTROL_SIZE);
        }
    }

    void stop() {
        running = false;
        wakeup();
        for (Endpoint endpoint : endpoints) {
            // Wakes a thread blocked in poll(); close() alone would not (measured here).
            Libc.shutdown(endpoint.fd, Libc.SHUT_RDWR);
        }
    }

    /** The transport's own thread, when the event loop does not read the sockets itself. */
    @Override
    public void run() {
        while (running) {
            await(THREAD_POLL_NANOS, Waiter.NOTHING);
        }
    }

    @Override
    public void await(long timeoutNanos, Runnable woke) {
        beforeWait.run();
        timeout.putLong(0, timeoutNanos / 1_000_000_000L);
        timeout.putLong(8, timeoutNanos % 1_000_000_000L);
        dueBy = System.nanoTime() + timeoutNanos;
        int ready = Libc.ppoll(pollFdsPointer, endpoints.length + 1, timeoutPointer, null);
        lastWake = System.nanoTime();
        dueBy = lastWake;
        woke.run();
        if (ready <= 0 || !running) {
            return;
        }
        for (int i = 0; i < endpoints.length; i++) {
            if ((pollFds.getShort(8 * i + 6) & Libc.POLLIN) != 0) {
                drain(i);
            }
        }
        if ((pollFds.getShort(8 * endpoints.length + 6) & Libc.POLLIN) != 0) {
            Libc.read(wakeFd, drainedPointer, 8);
        }
    }

    long datagramsReceived() {
        return datagramsReceived;
    }

    /** Our echo packets that came back. */
    long echoReceived() {
        return echoReceived;
    }

    /** Datagrams whose TTL and destination were cut off (MSG_CTRUNC): dropped by GTSM. */
    long truncatedControl() {
        return truncatedControl;
    }

    long receiveErrors() {
        return receiveErrors;
    }

    /** Datagrams the kernel dropped because a receive buffer was full (SO_RXQ_OVFL). */
    long receiveBufferDrops() {
        return receiveBufferDrops;
    }

    @Override
    public long lastWake() {
        return lastWake;
    }

    /** See {@link #dueBy}; any thread. */
    long dueBy() {
        return dueBy;
    }

    @Override
    public void wakeup() {
        Libc.write(wakeFd, onePointer, 8);
    }

    private void drain(int endpointIndex) {
        Endpoint endpoint = endpoints[endpointIndex];
        if (endpoint.ring != null) {
            drainRing(endpoint.ring);
            return;
        }
        int count;
        do {
            for (int i = 0; i < BATCH; i++) {
                int msg = i * Libc.MMSGHDR_SIZE;
                messages.putInt(msg + 8, Libc.SOCKADDR_IN6_SIZE);
                messages.putLong(msg + 40, CONTROL_SIZE);
                messages.putInt(msg + 48, 0);
            }
            count = Libc.recvmmsg(endpoint.fd, messagesPointer, BATCH, Libc.MSG_DONTWAIT, null);
            if (count > 0) {
                datagramsReceived += count; // one volatile write per batch, not per datagram
                readClocks();
            }
            for (int i = 0; i < count; i++) {
                try {
                    deliver(endpointIndex, i);
                } catch (RuntimeException e) {
                    dropped(e);
                }
            }
        } while (count == BATCH && running);
    }

    /** Every datagram the kernel has put in the ring: IPv4 single hop, read where it lies. */
    private void drainRing(ReceiveRing ring) {
        readClocks();
        int count = 0;
        for (; ring.ready() && running; ring.release()) {
            if (count % WARM_AHEAD == 0) {
                warmAhead(ring);
            }
            count++;
            if (ring.losing()) {
                receiveBufferDrops += ring.takeDrops();
            }
            try {
                if (ring.parse(source4, destination4)) {
                    meta.set(source4, destination4, interfaceName(ring.interfaceIndex()),
                            ring.ttl(), false)
                            .arrivedAt(arrivalClock.arrival(ring.wallNanos()));
                    receiver.controlPacket(ring.payload(), meta);
                }
            } catch (RuntimeException e) {
                dropped(e);
            }
        }
        datagramsReceived += count;
    }

    /** Lets the service fetch the state of the sessions of the next frames at once. */
    private void warmAhead(ReceiveRing ring) {
        int found = 0;
        for (int i = 0; i < WARM_AHEAD; i++) {
            int discriminator = ring.yourDiscriminatorAhead(i);
            if (discriminator != 0) {
                ahead[found++] = discriminator;
            }
        }
        if (found > 1) {
            receiver.warm(ahead, found);
        }
    }

    private void dropped(RuntimeException e) {
        receiveErrors++;
        log.warn("BFD UDP receive: dropping a packet", e);
    }

    /** Pairs the wall clock the kernel stamps with and the loop's monotonic clock. */
    private void readClocks() {
        long moved = arrivalClock.read();
        if (Math.abs(moved) > REPORTED_CLOCK_MOVE_NANOS) {
            clockMoves.warn("BFD receive: the wall clock moved by ", moved / 1000, " µs "
                    + "against the monotonic one (stepped or slewed); packets stamped across "
                    + "the move count from the earlier of the two readings");
        }
    }

    private void deliver(int endpointIndex, int index) {
        Endpoint endpoint = endpoints[endpointIndex];
        int msg = index * Libc.MMSGHDR_SIZE;
        int length = messages.getInt(msg + 56);
        int flags = messages.getInt(msg + 48);
        long controlLength = messages.getLong(msg + 40);
        int control = index * CONTROL_SIZE;
        int name = index * Libc.SOCKADDR_IN6_SIZE;
        int ttl = BfdRxMeta.TTL_UNKNOWN;
        int interfaceIndex = 0;
        byte[] source = endpoint.ipv4 ? source4 : source6;
        byte[] destination = endpoint.ipv4 ? destination4 : destination6;
        boolean destinationKnown = false;
        long arrival = BfdRxMeta.ARRIVAL_UNKNOWN;
        NativeBuffers.read(names, name + (endpoint.ipv4 ? 4 : 8), source);
        // Control messages cut short leave the TTL unknown: the core drops the packet (GTSM).
        if ((flags & Libc.MSG_CTRUNC) != 0) {
            truncatedControl++;
        } else {
            for (int offset = 0; offset + 16 <= controlLength; ) {
                long cmsgLength = controls.getLong(control + offset);
                int level = controls.getInt(control + offset + 8);
                int type = controls.getInt(control + offset + 12);
                int data = control + offset + 16;
                if (level == Libc.IPPROTO_IP && type == Libc.IP_TTL) {
                    ttl = controls.getInt(data);
                } else if (level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO) {
                    interfaceIndex = controls.getInt(data);
                    NativeBuffers.read(controls, data + 8, destination);
                    destinationKnown = true;
                } else if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_HOPLIMIT) {
                    ttl = controls.getInt(data);
                } else if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO) {
                    NativeBuffers.read(controls, data, destination);
                    interfaceIndex = controls.getInt(data + 16);
                    destinationKnown = true;
                } else if (level == Libc.SOL_SOCKET && type == Libc.SCM_TIMESTAMPNS) {
                    arrival = arrivalClock.arrival(controls.getLong(data) * 1_000_000_000L
                            + controls.getLong(data + 8));
                } else if (level == Libc.SOL_SOCKET && type == Libc.SO_RXQ_OVFL) {
                    countBufferDrops(endpointIndex, controls.getInt(data) & 0xFFFF_FFFFL);
                }
                if (cmsgLength < 16 || cmsgLength > CONTROL_SIZE) {
                    break;
                }
                offset += (int) ((cmsgLength + 7) & ~7L);
            }
        }
        if (!destinationKnown) {
            // Without IP_PKTINFO the destination cannot be matched: zero never matches a session.
            java.util.Arrays.fill(destination, (byte) 0);
        }
        ByteBuffer packet = packets[index];
        packet.clear().limit(Math.min(length, PACKET_SIZE));
        meta.set(source, destination, interfaceName(interfaceIndex), ttl, endpoint.multihop)
                .arrivedAt(arrival);
        if (endpoint.echo) {
            echoReceived++;
            receiver.echoPacket(packet, meta);
        } else {
            receiver.controlPacket(packet, meta);
        }
    }

    private void countBufferDrops(int endpointIndex, long cumulative) {
        long added = cumulative - bufferDrops[endpointIndex];
        if (added != 0) {
            bufferDrops[endpointIndex] = cumulative;
            receiveBufferDrops += added;
        }
    }

    private String interfaceName(int index) {
        if (index == 0) {
            return null;
        }
        boolean small = index < interfaceNames.length;
        String name = small ? interfaceNames[index] : largeIndexNames.get(index);
        if (name == null) {
            // Interned: a session's check (ReceivedPath) then matches it by reference.
            name = Sockets.interfaceName(index);
            name = name == null ? null : name.intern();
            if (name != null && small) {
                interfaceNames[index] = name;
            } else if (name != null) {
                largeIndexNames.put(index, name);
            }
        }
        return name;
    }
}
