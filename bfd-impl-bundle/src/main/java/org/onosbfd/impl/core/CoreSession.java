package org.onosbfd.impl.core;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.LongFunction;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdTransmitter;

/**
 * One BFD session: the state variables of RFC 5880 §6.8.1 and every rule that changes them.
 * Driven only by {@link BfdCore} (single-threaded); time is a monotonic nanosecond count handed
 * in by the caller. Intervals are microseconds as on the wire, deadlines nanoseconds.
 */
public final class CoreSession {
    static final long SLOW_TX_INTERVAL_US = 1_000_000;
    static final long NEVER = SessionTimers.NEVER;

    private final long id;
    private final BfdCore core;
    /** bfd.LocalDiscr: random, non-zero, unique (§6.8.1); or adopted from a handover. */
    int localDiscriminator;
    private final ReceivedPath receivedPath;
    private BfdSessionConfig config;
    // The configured values that packets read, copied from config by configure(): the
    // configuration object was allocated where it was parsed, away from the session, and at
    // thousands of sessions each further object read per packet is a cache miss (BENCHMARKS.md).
    private long desiredMinTx;
    private long requiredMinEchoRx;
    private long desiredMinEchoTx;
    private int detectMultiplier;
    private int minReceivedTtl;
    private boolean passive;
    private boolean demand;
    private final SessionAuthentication auth;
    /** How this session's packets leave while a transport carries it (set by the runtime). */
    private BfdTransmitter transmitter;
    /** §6.4: the transmitter returns the peer's echo packets (asked once, not per packet). */
    private boolean returnsEcho;

    // §6.8.1 state variables.
    private BfdState state;
    private BfdDiagnostic localDiagnostic = BfdDiagnostic.NO_DIAGNOSTIC;
    /** The remote variables: what the peer's packets told us. */
    final PeerState peer = new PeerState();

    /** Our intervals and the Poll Sequences that change them (§6.5, §6.8.3). */
    private final PollSequence poll;

    private final SessionTimers timers = new SessionTimers();
    /** The earliest of the timers: this session's key in the scheduler's heap. */
    long deadline = NEVER;
    /** Its place in the scheduler ({@link DeadlineHeap}), or {@link DeadlineHeap#NO_SLOT}. */
    int heapSlot = DeadlineHeap.NO_SLOT;
    /** True while no transport carries the session: no timers, nothing received. */
    boolean suspended;

    private final EchoFunction echo = new EchoFunction();
    private final FlapDampening dampening = new FlapDampening();
    private long lastStateChange;
    /**
     * Up and done settling: the configured intervals are advertised, not the slow ones
     * ({@link BfdCore#settleAfterUp}).
     */
    private boolean settled;

    final PacketCounters counters;

    CoreSession(BfdCore core, long id, int localDiscriminator, BfdSessionConfig config,
                BfdAuthKey key, long initialSequence, long now) {
        this.core = core;
        this.counters = new PacketCounters(core.totals);
        this.id = id;
        this.localDiscriminator = localDiscriminator;
        this.receivedPath = new ReceivedPath(config.path());
        configure(config);
        this.auth = new SessionAuthentication(config, key, initialSequence);
        this.state = config.isAdminDown() ? BfdState.ADMIN_DOWN : BfdState.DOWN;
        this.localDiagnostic = config.isAdminDown()
                ? BfdDiagnostic.ADMINISTRATIVELY_DOWN : BfdDiagnostic.NO_DIAGNOSTIC;
        this.lastStateChange = now;
        this.poll = new PollSequence(advertisedTxFor(state), config.requiredMinRxInterval());
        // The first packet goes out at once: a new session should not wait a second to be seen.
        scheduleTransmit(now);
    }

    public long id() {
        return id;
    }

    public BfdSessionConfig config() {
        return config;
    }

    public BfdState state() {
        return state;
    }

    /** The transport's handle for this session; null while none carries it. */
    public BfdTransmitter transmitter() {
        return transmitter;
    }

    public void carryThrough(BfdTransmitter transmitter) {
        this.transmitter = transmitter;
        this.returnsEcho = transmitter != null && transmitter.returnsEcho();
    }

    // ---------------------------------------------------------------- handover

    /** This session as another controller instance must continue it. */
    public SessionHandover handover() {
        return new SessionHandover(localDiscriminator, state, peer, poll, auth);
    }

    /**
     * Continues the session another instance ran (its discriminator is re-keyed by the core):
     * the peer's view is taken over as it was, detection restarts now, and a packet goes out
     * at once so that the peer hears from the session well within its detection time. Quiet:
     * the session was in this state all along as far as the peer and the clients know.
     */
    void adopt(SessionHandover from, long now) {
        localDiscriminator = from.localDiscriminator;
        peer.adopt(from);
        auth.adopt(from, detectMultiplier);
        if (!config.isAdminDown()) {
            state = from.state;
            localDiagnostic = BfdDiagnostic.NO_DIAGNOSTIC;
        }
        // The intervals the other instance agreed with the peer are continued, not re-settled.
        settled = state == BfdState.UP;
        poll.adopt(from.acknowledgedTx, from.acknowledgedRx);
        // Our own parameters may differ from the old master's: a Poll Sequence if so (§6.8.3).
        updateParameters(now);
        resume(now);
    }

    /** Stops every timer: the session neither sends nor times out until resumed. */
    void suspend() {
        suspended = true;
        timers.disarm();
    }

    /**
     * Runs again after a suspension, as it was: detection restarts now, so a peer that moved
     * on is noticed within one detection time.
     */
    void resume(long now) {
        suspended = false;
        if (state == BfdState.UP && !settled) {
            timers.settle = core.settledFrom(lastStateChange);
        }
        updateEcho(now);
        restartDetection(now);
        scheduleTransmit(now);
        reschedule(now);
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Applies new parameters; a live session changes intervals through a Poll Sequence. A new
     * authentication applies at once, or, {@code delayedAuthentication}, once the peer uses it.
     */
    void reconfigure(BfdSessionConfig newConfig, BfdAuthKey key, boolean delayedAuthentication,
                     long now) {
        BfdSessionConfig old = config;
        configure(newConfig);
        auth.reconfigure(old, newConfig, key, delayedAuthentication);
        if (newConfig.dampening() == null) {
            dampening.off();
        }
        if (newConfig.isAdminDown() != (state == BfdState.ADMIN_DOWN)) {
            if (newConfig.isAdminDown()) {
                // §6.8.16: AdminDown with diagnostic 7; detection stops, packets keep telling.
                changeState(BfdState.ADMIN_DOWN, BfdDiagnostic.ADMINISTRATIVELY_DOWN, now);
                timers.detect = NEVER;
            } else {
                changeState(BfdState.DOWN, BfdDiagnostic.NO_DIAGNOSTIC, now);
            }
        }
        long oldInterval = transmitInterval();
        updateParameters(now);
        updateEcho(now);
        retimeTransmit(oldInterval, now);
        reschedule(now);
    }

    private void configure(BfdSessionConfig newConfig) {
        config = newConfig;
        desiredMinTx = newConfig.desiredMinTxInterval();
        requiredMinEchoRx = newConfig.requiredMinEchoRxInterval();
        desiredMinEchoTx = newConfig.desiredMinEchoTxInterval();
        detectMultiplier = newConfig.detectMultiplier();
        minReceivedTtl = newConfig.minReceivedTtl();
        passive = newConfig.isPassive();
        demand = newConfig.isDemand();
    }

    /**
     * Keeps the transmit timer in step with the rules of §6.8.7 after a change: restarts it when
     * periodic packets are allowed again (a passive session that learnt its peer, the end of
     * Demand mode), and re-bases it on the last transmission when the interval changed, as BIRD
     * does, so that a larger interval is never undercut by a packet scheduled under the old one.
     */
    private void retimeTransmit(long oldInterval, long now) {
        if (!periodicTransmissionAllowed()) {
            return;
        }
        long interval = transmitInterval();
        if (timers.transmit == NEVER) {
            timers.transmit = now;
        } else if (interval != oldInterval && timers.lastTransmission != NEVER
                && timers.transmit > now) {
            timers.transmit = Math.max(now, nextTransmission(timers.lastTransmission));
        }
    }

    /**
     * Recomputes the advertised intervals after a configuration or state change and starts a
     * Poll Sequence when they changed (§6.8.3).
     */
    private void updateParameters(long now) {
        boolean changed = poll.advertise(advertisedTxFor(state), config.requiredMinRxInterval(),
                state == BfdState.UP);
        // As BIRD: a poll makes no sense before the peer is known; its first packet carries
        // the new values anyway.
        if (changed && peer.discriminator != 0) {
            requestPoll(now);
        }
    }

    /**
     * §6.8.3: while not Up, bfd.DesiredMinTxInterval is at least one second; so it stays while
     * a session that came Up settles ({@link BfdCore#settleAfterUp}).
     */
    private long advertisedTxFor(BfdState s) {
        return Math.max(desiredMinTx,
                s == BfdState.UP && settled ? 0 : SLOW_TX_INTERVAL_US);
    }

    private void requestPoll(long now) {
        if (poll.start()) {
            scheduleTransmit(now);
        }
    }

    // ---------------------------------------------------------------- reception (§6.8.6)

    /**
     * Processes a packet that passed the session-independent checks and was demultiplexed to this
     * session; checks the path, TTL and authentication first.
     *
     * @return null when accepted, else why it was discarded (already counted here)
     */
    BfdDropReason receive(ControlPacket packet, org.onosbfd.api.spi.BfdRxMeta meta, long now) {
        BfdDropReason drop = receivedPath.check(meta, minReceivedTtl);
        if (drop == null) {
            drop = auth.verify(packet);
        }
        if (drop != null) {
            counters.dropped(drop);
            return drop;
        }
        // Judged before the packet's values replace the peer's: a Detection Time that passed
        // before this packet arrived fails the session whatever the packet says.
        long previousArrival = timers.lastArrival;
        long arrival = state == BfdState.ADMIN_DOWN ? now : timers.arrived(meta, now);
        if (timers.detect < arrival) {
            // The peer was silent for longer than the Detection Time before this packet came;
            // only our lateness kept the timer from firing: the session failed all the same.
            core.expiredOnArrival(this, arrival - timers.detect,
                    previousArrival == Long.MIN_VALUE ? -1 : arrival - previousArrival);
            detectionTimeExpired(now);
        }
        timers.noteSlack(arrival);
        long oldInterval = transmitInterval();
        auth.accepted(packet);

        int previousDiagnostic = peer.diagnostic;
        peer.learn(packet);

        if (packet.fin() && poll.active && poll.finish()) {
            requestPoll(now);
        }
        if (state == BfdState.ADMIN_DOWN) {
            // §6.8.6, in its order: the peer's variables above are kept and the transmit
            // interval follows them; then "if bfd.SessionState is AdminDown, discard the
            // packet": no state change, no Final, no echo, no detection.
            retimeTransmit(oldInterval, now);
            reschedule(now);
            counters.dropped(BfdDropReason.ADMIN_DOWN);
            return BfdDropReason.ADMIN_DOWN;
        }

        counters.received();
        BfdState stateBefore = state;
        runStateMachine(now);
        if (state == BfdState.UP && stateBefore == BfdState.UP
                && peer.diagnostic != previousDiagnostic) {
            core.peerDiagnosticChanged(this, now);
        }
        updateEcho(now);
        restartDetection(arrival);
        retimeTransmit(oldInterval, now);
        if (packet.poll()) {
            // §6.8.7: answer a Poll with a Final at once, whatever the transmit timer says.
            transmit(false, true, now);
        }
        reschedule(now);
        return null;
    }

    /** §6.8.6's state table ({@link StateTable}); a dampened session is held Down. */
    private void runStateMachine(long now) {
        StateTable.Transition transition = StateTable.next(state, peer.state);
        if (transition != null
                && (transition.state == BfdState.DOWN || !dampening.holds(now))) {
            changeState(transition.state, transition.diagnostic, now);
        }
    }

    private void changeState(BfdState newState, BfdDiagnostic diagnostic, long now) {
        BfdState oldState = state;
        state = newState;
        localDiagnostic = diagnostic;
        lastStateChange = now;
        counters.stateChanged(oldState, newState);
        settled = newState == BfdState.UP && !core.settles();
        timers.settle = newState == BfdState.UP && !settled ? core.settledFrom(now) : NEVER;
        if (newState == BfdState.UP) {
            dampening.wentUp(now);
        } else if (oldState == BfdState.UP && newState == BfdState.DOWN
                && peer.state != BfdState.ADMIN_DOWN) {
            dampening.flapped(config.dampening(), now); // AdminDown is no failure (RFC 5882 §3.2)
        }
        if (newState != BfdState.UP) {
            timers.stopEcho();
        }
        // Slow TX while not Up, configured TX once Up and settled (§6.8.3), through a poll.
        updateParameters(now);
        // Tell the peer at once rather than at the next (possibly one-second) tick.
        scheduleTransmit(now);
        core.stateChanged(this, oldState, now);
    }

    // ---------------------------------------------------------------- timers

    /** True while Demand mode suspends our periodic packets (§6.6, §6.8.7). */
    private boolean remoteDemandActive() {
        return peer.demand && state == BfdState.UP && peer.state == BfdState.UP;
    }

    /** True while we asked the peer to stop its periodic packets (§6.6). */
    private boolean localDemandActive() {
        return demand && state == BfdState.UP && peer.state == BfdState.UP;
    }

    /** §6.8.7: when periodic packets may be sent at all. */
    private boolean periodicTransmissionAllowed() {
        if (passive && peer.discriminator == 0) {
            return false;
        }
        if (peer.minRx == 0) {
            return false;
        }
        return !remoteDemandActive() || poll.active;
    }

    /** The negotiated TX interval before jitter (§6.8.2, §6.8.7), µs. */
    long transmitInterval() {
        return Math.max(poll.usedTx(), peer.minRx);
    }

    /** The Detection Time (§6.8.4), µs; 0 while no packet from the peer is known. */
    long detectionTime() {
        if (localDemandActive()) {
            return detectMultiplier * Math.max(poll.usedTx(), peer.minRx);
        }
        return peer.detectMultiplier * Math.max(poll.usedRx(), peer.minTx);
    }

    private void restartDetection(long now) {
        timers.restartDetection(now, detectionTime() * 1000, state == BfdState.ADMIN_DOWN,
                localDemandActive(), poll.active, auth.sequenceKnown);
    }

    private void scheduleTransmit(long now) {
        timers.transmit = now;
    }

    /** Runs every timer of this session that is due; called by the core's scheduler. */
    void fire(long now) {
        if (timers.detect <= now) {
            detectionTimeExpired(now);
        }
        if (timers.echoDetect <= now) {
            timers.echoDetect = NEVER;
            changeState(BfdState.DOWN, BfdDiagnostic.ECHO_FUNCTION_FAILED, now);
        }
        if (timers.sequenceReset <= now) {
            timers.sequenceReset = NEVER;
            auth.sequenceKnown = false;
        }
        if (timers.demandPoll <= now) {
            timers.demandPoll = NEVER;
            requestPoll(now);
            timers.detect = now + detectionTime() * 1000;
        }
        if (timers.settle <= now) {
            settle(now);
        }
        fireTransmission(now);
    }

    /**
     * The settling time after Up is over unless we ran late meanwhile: advertise the configured
     * TX interval; a smaller one applies at once and a Poll Sequence tells the peer (§6.8.3).
     */
    private void settle(long now) {
        long from = core.settledFrom(lastStateChange);
        if (from > now) {
            timers.settle = from;
            return;
        }
        timers.settle = NEVER;
        settled = true;
        long oldInterval = transmitInterval();
        updateParameters(now);
        retimeTransmit(oldInterval, now);
        updateEcho(now);
    }

    /** See {@link BfdCore#excuseStall}. */
    void excuseStall(long nanos, long now) {
        if (suspended) {
            return;
        }
        timers.excuse(nanos);
        reschedule(now);
    }

    /** Sends the periodic control and echo packets that are due; no other timer is judged. */
    void fireTransmission(long now) {
        if (timers.transmit <= now) {
            transmitPeriodic(now);
        }
        if (timers.echoTransmit <= now) {
            transmitEcho(now);
        }
        reschedule(now);
    }

    /** §6.8.4 and §6.8.1: the peer is gone; forget it. */
    private void detectionTimeExpired(long now) {
        timers.detect = NEVER;
        timers.demandPoll = NEVER;
        peer.forget();
        poll.cancel();
        if (state == BfdState.UP || state == BfdState.INIT) {
            changeState(BfdState.DOWN, BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED, now);
        } else {
            updateParameters(now);
        }
        poll.acknowledgeAll();
    }

    private void transmitPeriodic(long now) {
        if (!periodicTransmissionAllowed()) {
            timers.transmit = NEVER;
            return;
        }
        if (timers.transmitting(now) > desiredMinTx * 1000) {
            // At the configured rate this would have cost the peer one of its Detect Mult
            // packets: too early for settling sessions to go fast.
            core.ranLate(now);
        }
        transmit(poll.active, false, now);
        timers.transmit = nextTransmission(now);
    }

    /** §6.8.7: the periodic packet after one sent at {@code sent}, jittered. */
    private long nextTransmission(long sent) {
        long interval = transmitInterval();
        return sent + core.jitter(interval, detectMultiplier,
                core.transmitWindowMicros(interval)) * 1000;
    }

    /**
     * Sends the periodic packet now if its window has opened ({@link BfdCore#transmitWindow}):
     * a turn that runs anyway takes it, rather than a wake-up of its own a little later.
     */
    void transmitEarly(long now) {
        if (timers.transmit != NEVER && timers.transmit
                - core.transmitWindowMicros(transmitInterval()) * 1000 <= now) {
            transmitPeriodic(now);
            reschedule(now);
        }
    }

    // Reads ahead of a packet, for BfdCore.warm: their values mean nothing.

    long warmFields() {
        return desiredMinTx + lastStateChange + localDiscriminator + heapSlot;
    }

    long warmParts() {
        return timers.transmit + poll.advertisedTx + counters.warm() + peer.discriminator
                + auth.sectionLength();
    }

    long warmReceivedPath() {
        return receivedPath.warm();
    }

    long warmTransmitter() {
        BfdTransmitter carrier = transmitter;
        return carrier == null ? 0 : carrier.warm();
    }

    /** Builds and sends one control packet (§6.8.7) through the core's shared buffer. */
    private void transmit(boolean withPoll, boolean fin, long now) {
        ByteBuffer out = core.transmitBuffer();
        int start = out.position();
        int flags = (withPoll ? ControlPacket.FLAG_POLL : 0) | (fin ? ControlPacket.FLAG_FINAL : 0)
                | (auth.isOn() ? ControlPacket.FLAG_AUTH : 0)
                | (demand && state == BfdState.UP ? ControlPacket.FLAG_DEMAND : 0);
        // §6.4: echo reception only where the transport returns the peer's echo packets.
        long echoRx = returnsEcho ? requiredMinEchoRx : 0;
        ControlPacket.encodeHeader(out, localDiagnostic.code(), state.code(), flags,
                detectMultiplier, auth.sectionLength(), localDiscriminator,
                peer.discriminator, poll.advertisedTx, poll.advertisedRx, echoRx);
        auth.sign(out, start);
        out.flip();
        counters.sent();
        timers.lastTransmission = now;
        core.send(this, out);
    }

    // ---------------------------------------------------------------- echo (§6.4, §6.8.5)

    private void updateEcho(long now) {
        // Echo failures are judged by us alone: none while settling, when we may run late.
        if (!settled || !echo.canRun(state, desiredMinEchoTx, peer.minEchoRx)) {
            timers.stopEcho();
        } else if (timers.echoTransmit == NEVER) {
            timers.echoTransmit = now;
            timers.echoDetect = now + echoDetectionNanos();
        }
    }

    private void transmitEcho(long now) {
        ByteBuffer out = core.transmitBuffer();
        EchoPacket.encode(out, localDiscriminator, echo.nextSequence());
        out.flip();
        if (!core.sendEcho(this, out)) {
            echo.unsupported();
            timers.stopEcho();
            return;
        }
        timers.echoTransmit = now + core.jitter(EchoFunction.interval(desiredMinEchoTx,
                peer.minEchoRx), detectMultiplier, 0) * 1000;
    }

    /** §6.8.5: how long without one of our echo packets back fails the session, ns. */
    private long echoDetectionNanos() {
        return EchoFunction.detectionNanos(detectMultiplier, desiredMinEchoTx, peer.minEchoRx);
    }

    /** One of our echo packets came back: the forwarding path works. */
    void echoReturned(long now) {
        if (timers.echoDetect != NEVER) {
            timers.echoDetect = now + echoDetectionNanos();
            reschedule(now);
        }
    }

    /** Up but still at the slow rate ({@link BfdCore#settleAfterUp}). */
    public boolean isSettling() {
        return state == BfdState.UP && !settled;
    }

    // ---------------------------------------------------------------- bookkeeping

    private void reschedule(long now) {
        core.reschedule(this, timers.earliest());
    }

    /** Clears the counters and the timing figures, as {@code clear bfd counters} does. */
    public void clearCounters() {
        counters.clear();
        timers.clearFigures();
    }

    /**
     * A snapshot builder with every protocol field set, for the service to complete;
     * {@code wallClock} turns monotonic nanoseconds into instants.
     */
    public BfdSession.Builder snapshotBuilder(LongFunction<Instant> wallClock) {
        BfdSession.Builder snapshot = BfdSession.builder().id(id).config(config).state(state)
                .localDiagnostic(localDiagnostic)
                .localDiscriminator(localDiscriminator & 0xFFFF_FFFFL)
                .negotiatedTxInterval(periodicTransmissionAllowed() ? transmitInterval() : 0)
                .detectionTime(detectionTime())
                .pollActive(poll.active)
                .lastStateChange(wallClock.apply(lastStateChange))
                .heldDownUntil(dampening.heldUntil(wallClock))
                .settlingUntil(isSettling()
                        ? wallClock.apply(core.settledFrom(lastStateChange)) : null)
                .counters(counters.toApi());
        return timers.describe(auth.describe(peer.describe(snapshot)), wallClock);
    }
}
