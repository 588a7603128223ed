package org.onosbfd.impl.core;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * The pure BFD protocol engine: the session table, demultiplexing of received packets (§6.3,
 * §6.8.6) and the one scheduler of every session's timers. No sockets, threads or clocks:
 * callers hand in packets and the current monotonic time in nanoseconds, call
 * {@link #advance(long)} when {@link #nextDeadline()} is reached, and hear what to send and what
 * changed through {@link CoreOutput}. Not thread-safe: one thread drives it.
 */
public final class BfdCore {
    /** When a session whose timers failed is tried again. */
    private static final long FAULT_RETRY_NANOS = 1_000_000L;
    /**
     * The share of its interval, in %, by which a periodic transmission may go early: taken
     * from the 25 % of §6.8.7's jitter, which then draws from 0-20 % (10-20 % at Detect Mult 1).
     */
    static final int EARLY_PERCENT = 5;
    /** At most this many sessions send early in one turn; the rest go at their deadlines. */
    private static final int EARLY_PER_TURN = 1024;

    private final Random random;
    private final CoreOutput output;
    private final DiscriminatorTable byDiscriminator = new DiscriminatorTable();
    private final Map<BfdPath, CoreSession> byPath = new HashMap<>();
    private final DeadlineHeap timers = new DeadlineHeap();
    private final ControlPacket received = new ControlPacket();
    private final ByteBuffer transmitBuffer = ByteBuffer.allocate(ControlPacket.MAX_LENGTH);
    /** xorshift64* state for jitter: cheap, allocation-free, reproducible from the seed. */
    private long jitterState;
    /**
     * How long we must have kept time before a session that came Up leaves the slow transmit
     * rate for its configured one, ns; 0: at once (see {@link #settledFrom}).
     */
    private long settleNanos;
    /** When we last ran late: a stall, or a transmission more than its interval late. */
    private long lastLateness = Long.MIN_VALUE;
    /**
     * The most a periodic control packet may go before its time, ns (0: never early); see
     * {@link #transmitWindow(long)}.
     */
    private long transmitWindowNanos;
    /** Sessions whose transmissions one turn sends early, gathered before any is sent. */
    private final CoreSession[] early = new CoreSession[EARLY_PER_TURN];
    /** Sessions packets are about to arrive for ({@link #warmArrivals}). */
    private final CoreSession[] arriving = new CoreSession[64];

    /** The service's totals: every session's counts, and what no session took. */
    final PacketCounters totals = new PacketCounters(null);
    /** What {@link #warm} read, kept so that the compiler keeps the reads. */
    private long warmth;

    /**
     * @param random source of discriminators, initial sequence numbers and the jitter seed; a
     *               SecureRandom in production, a seeded Random in tests
     */
    public BfdCore(Random random, CoreOutput output) {
        this.random = random;
        this.output = output;
        this.jitterState = random.nextLong() | 1;
    }

    // ---------------------------------------------------------------- session table

    /**
     * Creates a session; its first packet is due at once.
     *
     * @param key the key its authentication names, or null without authentication
     */
    public CoreSession add(long id, BfdSessionConfig config, BfdAuthKey key, long now) {
        if (byPath.containsKey(config.path())) {
            throw new IllegalStateException("a session exists for " + config.path());
        }
        int discriminator;
        do {
            discriminator = random.nextInt();
        } while (discriminator == 0 || byDiscriminator.get(discriminator) != null);
        // §6.8.1: bfd.XmitAuthSeq starts at a random 32-bit value.
        CoreSession session = new CoreSession(this, id, discriminator, config, key,
                random.nextInt() & 0xFFFF_FFFFL, now);
        byDiscriminator.put(discriminator, session);
        byPath.put(config.path(), session);
        timers.update(session, now);
        return session;
    }

    /** Changes a session's parameters (same path); see {@link CoreSession} for the rules. */
    public void reconfigure(CoreSession session, BfdSessionConfig config, BfdAuthKey key,
                            long now) {
        reconfigure(session, config, key, false, now);
    }

    /** As above; a new authentication waits for the peer to use it when {@code delayed}. */
    public void reconfigure(CoreSession session, BfdSessionConfig config, BfdAuthKey key,
                            boolean delayedAuthentication, long now) {
        if (!config.path().equals(session.config().path())) {
            throw new IllegalArgumentException("the path of a session cannot change");
        }
        session.reconfigure(config, key, delayedAuthentication, now);
        runDue(session, now);
    }

    public void remove(CoreSession session) {
        byDiscriminator.remove(session.localDiscriminator);
        byPath.remove(session.config().path());
        timers.remove(session);
    }

    /**
     * Stops a session's timers while no transport carries it (another controller instance
     * masters its device): it neither sends nor declares its peer dead meanwhile.
     */
    public void suspend(CoreSession session) {
        session.suspend();
        timers.remove(session);
    }

    /**
     * Runs a suspended session again, continuing the record another instance left if there is
     * one ({@code from}; null: as it was here). The adopted discriminator must not be in use
     * by another session here, else the record is ignored.
     *
     * @return true when the record was adopted
     */
    public boolean resume(CoreSession session, SessionHandover from, long now) {
        boolean adopt = from != null && from.localDiscriminator != 0
                && (from.localDiscriminator == session.localDiscriminator
                    || byDiscriminator.get(from.localDiscriminator) == null);
        if (adopt) {
            byDiscriminator.remove(session.localDiscriminator);
            session.adopt(from, now);
            byDiscriminator.put(session.localDiscriminator, session);
        } else {
            session.resume(now);
        }
        return adopt;
    }

    public CoreSession session(BfdPath path) {
        return byPath.get(path);
    }

    public Collection<CoreSession> sessions() {
        return Collections.unmodifiableCollection(byPath.values());
    }

    // ---------------------------------------------------------------- reception

    /** Processes one received control packet (the UDP payload between position and limit). */
    public void receive(ByteBuffer packet, BfdRxMeta meta, long now) {
        BfdDropReason drop = received.decode(packet);
        if (drop != null) {
            totals.dropped(drop);
            return;
        }
        CoreSession session;
        if (received.yourDiscriminator != 0) {
            // §6.8.6: a non-zero Your Discriminator alone selects the session.
            session = byDiscriminator.get(received.yourDiscriminator);
        } else {
            // §6.3: until the peer knows our discriminator, demultiplex by addresses and
            // interface; only a Down or AdminDown packet may carry a zero Your Discriminator.
            session = lookupByPath(meta);
            int state = received.state;
            if (state != BfdState.DOWN.code() && state != BfdState.ADMIN_DOWN.code()) {
                (session != null ? session.counters : totals)
                        .dropped(BfdDropReason.ZERO_YOUR_DISCRIMINATOR);
                return;
            }
        }
        if (session == null || session.suspended) {
            totals.dropped(BfdDropReason.NO_SESSION);
            return;
        }
        session.receive(received, meta, now); // counted by the session
        runDue(session, now);
    }

    /**
     * Counts a packet whose processing threw (a fault of ours, or input no rule foresaw): it is
     * dropped, and nothing else is affected.
     */
    public void countFailed() {
        totals.dropped(BfdDropReason.MALFORMED);
    }

    /**
     * RFC 5880 §6.8.4 counts the peer's silence; a stall of ours (the host or the JVM did not
     * run us for {@code nanos}) is not silence of the peer's, whose packets sent meanwhile may
     * have reached the host only as it resumed. Every detection timer is pushed back by the
     * stall, so that a Down is declared only when the peer was silent while we were running.
     */
    public void excuseStall(long nanos, long now) {
        ranLate(now);
        for (CoreSession session : byPath.values()) {
            session.excuseStall(nanos, now);
        }
    }

    /** Processes one of our echo packets looped back by a peer. */
    public void receiveEcho(ByteBuffer packet, BfdRxMeta meta, long now) {
        // An echo packet comes back addressed from and to ourselves (§6.4): only its payload
        // names the session.
        CoreSession session = byDiscriminator.get(EchoPacket.discriminator(packet));
        if (session != null) {
            session.echoReturned(now);
        }
    }

    private CoreSession lookupByPath(BfdRxMeta meta) {
        // The slow path: only packets of sessions not yet Up come here, so allocation is fine.
        BfdPath exact = new BfdPath(meta.source(), meta.destination(), meta.interfaceName(),
                meta.isMultihop());
        CoreSession session = byPath.get(exact);
        if (session == null && meta.interfaceName() != null) {
            session = byPath.get(new BfdPath(meta.source(), meta.destination(), null,
                    meta.isMultihop()));
        }
        return session;
    }

    // ---------------------------------------------------------------- scheduling

    /** When {@link #advance} must next be called; {@code Long.MAX_VALUE} when nothing is due. */
    public long nextDeadline() {
        return timers.earliest();
    }

    /**
     * Runs every timer due at {@code now}: transmissions, detection, polls, echo. A session
     * whose timers throw is retried a millisecond later; the others run regardless.
     *
     * @return the failures, or null when there were none
     */
    public RuntimeException advance(long now) {
        RuntimeException failure = null;
        CoreSession first;
        while ((first = timers.peek()) != null && first.deadline <= now) {
            try {
                first.fire(now);
            } catch (RuntimeException e) {
                failure = failed(first, e, failure, now);
            }
        }
        if (transmitWindowNanos > 0) {
            int count = timers.collectDueBy(now + transmitWindowNanos, early);
            warm(early, count, true);
            for (int i = 0; i < count; i++) {
                CoreSession session = early[i];
                early[i] = null;
                try {
                    session.transmitEarly(now);
                } catch (RuntimeException e) {
                    failure = failed(session, e, failure, now);
                }
            }
        }
        return failure;
    }

    /**
     * Packets for these sessions (their Your Discriminator fields) are about to be received, on
     * this thread: {@link #warm} them. Unknown discriminators are skipped.
     */
    public void warmArrivals(int[] yourDiscriminators, int count) {
        int found = 0;
        for (int i = 0; i < count && found < arriving.length; i++) {
            CoreSession session = byDiscriminator.get(yourDiscriminators[i]);
            if (session != null) {
                arriving[found++] = session;
            }
        }
        warm(arriving, found, false);
        Arrays.fill(arriving, 0, found, null);
    }

    /**
     * Reads the memory a batch of transmissions or receptions is about to read, one level of
     * references at a time across the whole batch: the sessions' own fields, then their parts
     * (timers, poll, counters, peer, authentication), then their transmitters' or the paths
     * packets are checked against. The cache misses of all the sessions then overlap, the
     * processor having many loads in flight, instead of coming one after another inside each
     * packet: at 10,000 sessions the first touch of each object of a session was most of our
     * user time (BENCHMARKS.md). The sum is kept only so that the compiler keeps the reads.
     */
    private void warm(CoreSession[] sessions, int count, boolean sending) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += sessions[i].warmFields();
        }
        for (int i = 0; i < count; i++) {
            sum += sessions[i].warmParts();
        }
        for (int i = 0; i < count; i++) {
            sum += sending ? sessions[i].warmTransmitter() : sessions[i].warmReceivedPath();
        }
        warmth = sum;
    }

    private RuntimeException failed(CoreSession session, RuntimeException e,
                                    RuntimeException earlier, long now) {
        timers.update(session, now + FAULT_RETRY_NANOS);
        if (earlier == null) {
            return e;
        }
        earlier.addSuppressed(e);
        return earlier;
    }

    /**
     * Lets a periodic control packet go up to {@code nanos} before its time, and at most
     * {@value #EARLY_PERCENT} % of its interval: a turn then sends every packet whose window
     * has opened, so that under load the loop wakes once per window for a batch instead of once
     * per packet, and no packet is sent later than its deadline for want of a turn. The jitter
     * of §6.8.7 leaves room for it: the interval is reduced by a random 0-20 % and the early
     * start by up to 5 % more, at most 25 % in all. Detection and every other timer still run
     * at their time. 0 (the default): every transmission at its deadline.
     */
    public void transmitWindow(long nanos) {
        transmitWindowNanos = Math.max(0, nanos);
    }

    /** How long before its time a control packet at this interval may go, µs. */
    long transmitWindowMicros(long intervalMicros) {
        return Math.min(intervalMicros * EARLY_PERCENT / 100, transmitWindowNanos / 1000);
    }

    /**
     * Sends what a received packet or a change made due at once (a state change) for that
     * session. Only transmission: detection is judged in {@link #advance}, once every packet
     * waiting has been read, so that reading a backlog after a stall never fails a session
     * whose later packets are still to be read.
     */
    private void runDue(CoreSession session, long now) {
        if (session.deadline <= now && session.heapSlot != DeadlineHeap.NO_SLOT) {
            session.fireTransmission(now);
        }
    }

    void reschedule(CoreSession session, long deadline) {
        if (!session.suspended
                && (session.heapSlot != DeadlineHeap.NO_SLOT || byPath.get(session.config().path()) == session)) {
            timers.update(session, deadline);
        }
    }

    /**
     * §6.8.7: the interval reduced by a random 0-25 %, or 10-25 % when Detect Mult is 1 so that
     * one lost packet never looks like a failure, less {@code earlyMicros} off the top: a
     * packet that may go that much early ({@link #transmitWindow}) still keeps within 25 %.
     * µs in, µs out.
     */
    long jitter(long intervalMicros, int detectMultiplier, long earlyMicros) {
        long x = jitterState;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        jitterState = x;
        long random = ((x * 0x2545F4914F6CDD1DL) >>> 33) % 1501; // 0..1500 (0.01 %)
        long least = detectMultiplier == 1 ? 1000 : 0;
        // The early start in basis points, rounded up so that the two never pass 25 %.
        long interval = Math.max(1, intervalMicros);
        long most = 2500 - (earlyMicros * 10_000 + interval - 1) / interval;
        long reductionBasisPoints = least + random * (most - least) / 1500;
        return intervalMicros - intervalMicros * reductionBasisPoints / 10_000;
    }

    // ---------------------------------------------------------------- settling after Up

    /**
     * Keeps a session that comes Up at the slow transmit rate of §6.8.3 (one second) until it
     * has been Up for {@code nanos} and for as long no lateness of ours was seen; then it polls
     * to its configured rate (§6.8.3 lets bfd.DesiredMinTxInterval change at any time). The
     * peer's Detection Time of us is then seconds while we are most likely to be late (a JVM
     * still compiling its hot paths, thousands of sessions coming Up at once), so that our own
     * stall there cannot make the peer declare a false Down. 0: the configured rate at once.
     */
    public void settleAfterUp(long nanos) {
        settleNanos = Math.max(0, nanos);
    }

    /** True when sessions settle after Up (see {@link #settleAfterUp}). */
    boolean settles() {
        return settleNanos > 0;
    }

    /**
     * The earliest instant a session Up since {@code upSince} may use its configured rate: a
     * settling time after both its Up and our last lateness.
     */
    long settledFrom(long upSince) {
        return Math.max(upSince, lastLateness) + settleNanos;
    }

    /** We ran late at {@code now}: no session leaves the slow rate for a settling time. */
    void ranLate(long now) {
        lastLateness = Math.max(lastLateness, now);
    }

    // ---------------------------------------------------------------- output

    ByteBuffer transmitBuffer() {
        transmitBuffer.clear();
        return transmitBuffer;
    }

    void send(CoreSession session, ByteBuffer packet) {
        output.transmit(session, packet);
    }

    boolean sendEcho(CoreSession session, ByteBuffer packet) {
        return output.transmitEcho(session, packet);
    }

    void stateChanged(CoreSession session, BfdState oldState, long now) {
        output.stateChanged(session, oldState, now);
    }

    void peerDiagnosticChanged(CoreSession session, long now) {
        output.peerDiagnosticChanged(session, now);
    }

    void expiredOnArrival(CoreSession session, long late, long silence) {
        output.expiredOnArrival(session, late, silence);
    }

    /** Clears every session's counters and the totals, as {@code clear bfd counters} does. */
    public void clearCounters() {
        totals.clear();
        byPath.values().forEach(CoreSession::clearCounters);
    }

    /** Counters over every packet, including those that matched no session. */
    public BfdCounters counters() {
        return totals.toApi();
    }
}
