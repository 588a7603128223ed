package org.onosbfd.impl.core;

import java.nio.ByteBuffer;
import java.time.Instant;
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
    /** §6.8.3: while not Up, bfd.DesiredMinTxInterval is at least one second. */
    static final long SLOW_TX_INTERVAL_US = 1_000_000;
    static final long NEVER = Long.MAX_VALUE;

    private final long id;
    private final BfdCore core;
    /** bfd.LocalDiscr: random, non-zero, unique (§6.8.1); or adopted from a handover. */
    int localDiscriminator;
    /** The peer's address bytes, compared with received packets' source without allocating. */
    final byte[] peerAddress;
    /** Ours, compared with received packets' destination. */
    private final byte[] localAddress;
    private BfdSessionConfig config;
    private Authenticator authenticator;
    /**
     * VPP's delayed rollover: the method to switch to (null: none) once the peer is seen using
     * it; meanwhile packets are still sent with {@link #authenticator}.
     */
    private Authenticator nextAuthenticator;
    private boolean rolloverPending;
    /** How this session's packets leave while a transport carries it (set by the runtime). */
    private BfdTransmitter transmitter;

    // §6.8.1 state variables.
    private BfdState state;
    private BfdState remoteState = BfdState.DOWN;
    int remoteDiscriminator;
    private BfdDiagnostic localDiagnostic = BfdDiagnostic.NO_DIAGNOSTIC;
    private int remoteDiagnostic;
    /** bfd.RemoteMinRxInterval, initially 1 µs (§6.8.1). */
    private long remoteMinRx = 1;
    /** The last received Desired Min TX Interval; 0 until a packet arrives. */
    private long remoteMinTx;
    private long remoteMinEchoRx;
    private int remoteDetectMultiplier;
    private boolean remoteDemand;
    private long transmitSequence;
    private long receiveSequence;
    private boolean sequenceKnown;

    // §6.8.3 parameter changes. The advertised values are what our packets carry; the
    // acknowledged ones what the peer confirmed with a Final. While Up, a larger TX interval and a
    // smaller RX interval take effect only once acknowledged: the used TX is the smaller and the
    // used RX the larger of the two.
    private long advertisedTx;
    private long advertisedRx;
    private long acknowledgedTx;
    private long acknowledgedRx;
    private boolean pollActive;
    private boolean pollPending;
    private long polledTx;
    private long polledRx;

    // Timers: absolute monotonic nanoseconds, NEVER when disarmed.
    private long txDeadline = NEVER;
    private long detectDeadline = NEVER;
    private long sequenceResetDeadline = NEVER;
    private long demandPollDeadline = NEVER;
    private long echoTxDeadline = NEVER;
    private long echoDetectDeadline = NEVER;
    private long lastTxTime = NEVER;
    /** When the newest accepted packet arrived: detection counts from here (§6.8.4). */
    private long lastArrival = Long.MIN_VALUE;
    /** The earliest of the above: this session's key in the scheduler's heap. */
    long deadline = NEVER;
    int heapIndex = -1;
    /** True while no transport carries the session: no timers, nothing received. */
    boolean suspended;

    private boolean echoUnsupported;
    private int echoSequence;
    private long lastStateChange;

    final PacketCounters counters = new PacketCounters();
    private long maxTxLateness;
    private long lastTxLateness;
    /** The smallest and the last margin, µs, between a packet's arrival and detection expiry. */
    private long minDetectionSlack = NEVER;
    private long lastDetectionSlack = NEVER;

    CoreSession(BfdCore core, long id, int localDiscriminator, BfdSessionConfig config,
                BfdAuthKey key, long initialSequence, long now) {
        this.core = core;
        this.id = id;
        this.localDiscriminator = localDiscriminator;
        this.peerAddress = config.path().peerAddress().getAddress();
        this.localAddress = config.path().localAddress().getAddress();
        this.config = config;
        this.authenticator = authenticatorFor(config, key);
        this.transmitSequence = initialSequence;
        this.state = config.isAdminDown() ? BfdState.ADMIN_DOWN : BfdState.DOWN;
        this.localDiagnostic = config.isAdminDown()
                ? BfdDiagnostic.ADMINISTRATIVELY_DOWN : BfdDiagnostic.NO_DIAGNOSTIC;
        this.lastStateChange = now;
        this.advertisedTx = this.acknowledgedTx = advertisedTxFor(state);
        this.advertisedRx = this.acknowledgedRx = config.requiredMinRxInterval();
        // The first packet goes out at once: a new session should not wait a second to be seen.
        scheduleTransmit(now);
    }

    private static Authenticator authenticatorFor(BfdSessionConfig config, BfdAuthKey key) {
        return config.authentication() == null ? null
                : new Authenticator(key, config.authentication().bfdKeyId());
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
    }

    // ---------------------------------------------------------------- handover

    /** This session as another controller instance must continue it. */
    public SessionHandover handover() {
        return new SessionHandover(localDiscriminator, remoteDiscriminator, state, remoteState,
                remoteMinRx, remoteMinTx, remoteMinEchoRx, remoteDetectMultiplier, remoteDemand,
                acknowledgedTx, acknowledgedRx, transmitSequence, receiveSequence,
                sequenceKnown);
    }

    /**
     * Continues the session another instance ran (its discriminator is re-keyed by the core):
     * the peer's view is taken over as it was, detection restarts now, and a packet goes out
     * at once so that the peer hears from the session well within its detection time. Quiet:
     * the session was in this state all along as far as the peer and the clients know.
     */
    void adopt(SessionHandover from, long now) {
        localDiscriminator = from.localDiscriminator;
        remoteDiscriminator = from.remoteDiscriminator;
        remoteState = from.remoteState;
        remoteMinRx = from.remoteMinRx;
        remoteMinTx = from.remoteMinTx;
        remoteMinEchoRx = from.remoteMinEchoRx;
        remoteDetectMultiplier = from.remoteDetectMultiplier;
        remoteDemand = from.remoteDemand;
        // §6.7.3/§6.7.4: the peer accepts sequence numbers up to 3 × Detect Mult beyond the last
        // it saw. Start half way into that window: room both for packets the old master sent
        // after writing the record and for numbers spent while the new master resolves the
        // peer's address.
        transmitSequence = (from.transmitSequence + (3L * config.detectMultiplier() + 1) / 2 - 1)
                & 0xFFFF_FFFFL;
        receiveSequence = from.receiveSequence;
        sequenceKnown = from.sequenceKnown;
        if (!config.isAdminDown()) {
            state = from.state;
            localDiagnostic = BfdDiagnostic.NO_DIAGNOSTIC;
        }
        advertisedTx = acknowledgedTx = from.acknowledgedTx;
        advertisedRx = acknowledgedRx = from.acknowledgedRx;
        pollActive = false;
        pollPending = false;
        // Our own parameters may differ from the old master's: a Poll Sequence if so (§6.8.3).
        updateParameters(now);
        resume(now);
    }

    /** Stops every timer: the session neither sends nor times out until resumed. */
    void suspend() {
        suspended = true;
        txDeadline = NEVER;
        detectDeadline = NEVER;
        sequenceResetDeadline = NEVER;
        demandPollDeadline = NEVER;
        echoTxDeadline = NEVER;
        echoDetectDeadline = NEVER;
    }

    /**
     * Runs again after a suspension, as it was: detection restarts now, so a peer that moved
     * on is noticed within one detection time.
     */
    void resume(long now) {
        suspended = false;
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
        config = newConfig;
        if (!java.util.Objects.equals(old.authentication(), newConfig.authentication())
                || key != null && authenticator != null && authenticator.type() != key.type()) {
            if (delayedAuthentication) {
                nextAuthenticator = authenticatorFor(newConfig, key);
                rolloverPending = true;
            } else {
                authenticator = authenticatorFor(newConfig, key);
                rolloverPending = false;
                nextAuthenticator = null;
                sequenceKnown = false;
            }
        }
        if (newConfig.isAdminDown() != (state == BfdState.ADMIN_DOWN)) {
            if (newConfig.isAdminDown()) {
                // §6.8.16: AdminDown with diagnostic 7; detection stops, packets keep telling.
                changeState(BfdState.ADMIN_DOWN, BfdDiagnostic.ADMINISTRATIVELY_DOWN, now);
                detectDeadline = NEVER;
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
        if (txDeadline == NEVER) {
            txDeadline = now;
        } else if (interval != oldInterval && lastTxTime != NEVER && txDeadline > now) {
            txDeadline = Math.max(now,
                    lastTxTime + core.jitter(interval, config.detectMultiplier()) * 1000);
        }
    }

    /**
     * Recomputes the advertised intervals after a configuration or state change and starts a
     * Poll Sequence when they changed (§6.8.3).
     */
    private void updateParameters(long now) {
        long tx = advertisedTxFor(state);
        long rx = config.requiredMinRxInterval();
        if (tx == advertisedTx && rx == advertisedRx) {
            return;
        }
        advertisedTx = tx;
        advertisedRx = rx;
        if (state != BfdState.UP) {
            // Not Up: changes apply at once (§6.8.3 restricts only a session that is Up).
            acknowledgedTx = tx;
            acknowledgedRx = rx;
        }
        // As BIRD: a poll makes no sense before the peer is known; its first packet carries
        // the new values anyway.
        if (remoteDiscriminator != 0) {
            requestPoll(now);
        }
    }

    private long advertisedTxFor(BfdState s) {
        long desired = config.desiredMinTxInterval();
        return s == BfdState.UP ? desired : Math.max(desired, SLOW_TX_INTERVAL_US);
    }

    private void requestPoll(long now) {
        if (pollActive) {
            // §6.5: a new Poll Sequence must not start while one is under way; the Final of the
            // current one would not acknowledge the newest values.
            pollPending = true;
            return;
        }
        pollActive = true;
        pollPending = false;
        polledTx = advertisedTx;
        polledRx = advertisedRx;
        scheduleTransmit(now);
    }

    private void terminatePoll(long now) {
        acknowledgedTx = polledTx;
        acknowledgedRx = polledRx;
        pollActive = false;
        if (pollPending || advertisedTx != polledTx || advertisedRx != polledRx) {
            requestPoll(now);
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
        BfdDropReason drop = checkPathAndAuth(packet, meta);
        if (drop != null) {
            counters.dropped(drop);
            return drop;
        }
        // Judged before the packet's values replace the peer's: a Detection Time that passed
        // before this packet arrived fails the session whatever the packet says.
        long arrival = state == BfdState.ADMIN_DOWN ? now : arrivalOf(meta, now);
        if (detectDeadline < arrival) {
            // The peer was silent for longer than the Detection Time before this packet came;
            // only our lateness kept the timer from firing: the session failed all the same.
            detectionTimeExpired(now);
        }
        if (detectDeadline != NEVER) {
            // How close this packet came to a Down: a peer that slows down shows here first.
            lastDetectionSlack = (detectDeadline - arrival) / 1000;
            minDetectionSlack = Math.min(minDetectionSlack, lastDetectionSlack);
        }
        long oldInterval = transmitInterval();
        if (authenticator != null && authenticator.type().hasSequenceNumber()) {
            receiveSequence = Authenticator.sequence(packet);
            sequenceKnown = true;
        }

        int previousDiagnostic = remoteDiagnostic;
        remoteDiscriminator = packet.myDiscriminator;
        remoteState = BfdState.ofCode(packet.state);
        remoteDiagnostic = packet.diagnostic;
        remoteDemand = packet.demand();
        remoteMinRx = packet.requiredMinRxInterval;
        remoteMinTx = packet.desiredMinTxInterval;
        remoteMinEchoRx = packet.requiredMinEchoRxInterval;
        remoteDetectMultiplier = packet.detectMultiplier;

        if (packet.fin() && pollActive) {
            terminatePoll(now);
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
                && remoteDiagnostic != previousDiagnostic) {
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

    /**
     * The time a packet counts from: its arrival as the transport recorded it (a kernel
     * timestamp), never later than now, and never before a packet already accepted, so that
     * packets read out of order never shorten the peer's detection time.
     */
    private long arrivalOf(org.onosbfd.api.spi.BfdRxMeta meta, long now) {
        long arrival = meta.arrival() == org.onosbfd.api.spi.BfdRxMeta.ARRIVAL_UNKNOWN
                ? now : Math.min(meta.arrival(), now);
        lastArrival = Math.max(lastArrival, arrival);
        return lastArrival;
    }

    private BfdDropReason checkPathAndAuth(ControlPacket packet,
                                           org.onosbfd.api.spi.BfdRxMeta meta) {
        // The addresses both ways: a packet with our discriminator sent to another of our
        // addresses (or whose destination the transport could not tell) is not this session's.
        if (meta.isMultihop() != config.path().isMultihop() || !meta.sourceEquals(peerAddress)
                || !meta.destinationEquals(localAddress)) {
            return BfdDropReason.WRONG_PATH;
        }
        String expectedInterface = config.path().interfaceName();
        if (expectedInterface != null && meta.interfaceName() != null
                && !expectedInterface.equals(meta.interfaceName())) {
            return BfdDropReason.WRONG_PATH;
        }
        // RFC 5881 §5 (GTSM): single hop only with TTL 255; RFC 5883 §5: multihop at or above
        // the configured minimum. An unknown TTL fails both.
        if (meta.ttl() < config.minReceivedTtl()) {
            return BfdDropReason.TTL;
        }
        BfdDropReason drop = authenticate(authenticator, packet, sequenceKnown);
        if (drop != null && rolloverPending
                && authenticate(nextAuthenticator, packet, false) == null) {
            // The peer uses the new method: switch to it for sending too (delayed rollover).
            authenticator = nextAuthenticator;
            nextAuthenticator = null;
            rolloverPending = false;
            sequenceKnown = false;
            return null;
        }
        return drop;
    }

    /** §6.7: the A bit must match the method, and the section verify under it. */
    private BfdDropReason authenticate(Authenticator method, ControlPacket packet,
                                       boolean sequenceIsKnown) {
        if (packet.hasAuth() != (method != null)) {
            return BfdDropReason.AUTH_MISMATCH;
        }
        return method == null ? null : method.verify(packet, sequenceIsKnown, receiveSequence);
    }

    /** The state table of §6.8.6 (and §6.2's diagram). */
    private void runStateMachine(long now) {
        if (remoteState == BfdState.ADMIN_DOWN) {
            if (state != BfdState.DOWN) {
                changeState(BfdState.DOWN, BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN, now);
            }
            return;
        }
        switch (state) {
            case DOWN:
                if (remoteState == BfdState.DOWN) {
                    changeState(BfdState.INIT, BfdDiagnostic.NO_DIAGNOSTIC, now);
                } else if (remoteState == BfdState.INIT) {
                    changeState(BfdState.UP, BfdDiagnostic.NO_DIAGNOSTIC, now);
                }
                break;
            case INIT:
                if (remoteState == BfdState.INIT || remoteState == BfdState.UP) {
                    changeState(BfdState.UP, BfdDiagnostic.NO_DIAGNOSTIC, now);
                }
                break;
            case UP:
                if (remoteState == BfdState.DOWN) {
                    changeState(BfdState.DOWN, BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN, now);
                }
                break;
            default:
                break;
        }
    }

    private void changeState(BfdState newState, BfdDiagnostic diagnostic, long now) {
        BfdState oldState = state;
        state = newState;
        localDiagnostic = diagnostic;
        lastStateChange = now;
        counters.stateChanged(oldState, newState);
        if (newState != BfdState.UP) {
            echoTxDeadline = NEVER;
            echoDetectDeadline = NEVER;
        }
        // Slow TX while not Up, configured TX once Up (§6.8.3), through a poll when Up.
        updateParameters(now);
        // Tell the peer at once rather than at the next (possibly one-second) tick.
        scheduleTransmit(now);
        core.stateChanged(this, oldState, now);
    }

    // ---------------------------------------------------------------- timers

    /** True while Demand mode suspends our periodic packets (§6.6, §6.8.7). */
    private boolean remoteDemandActive() {
        return remoteDemand && state == BfdState.UP && remoteState == BfdState.UP;
    }

    /** True while we asked the peer to stop its periodic packets (§6.6). */
    private boolean localDemandActive() {
        return config.isDemand() && state == BfdState.UP && remoteState == BfdState.UP;
    }

    /** §6.8.7: when periodic packets may be sent at all. */
    private boolean periodicTransmissionAllowed() {
        if (config.isPassive() && remoteDiscriminator == 0) {
            return false;
        }
        if (remoteMinRx == 0) {
            return false;
        }
        return !remoteDemandActive() || pollActive;
    }

    /** The negotiated TX interval before jitter (§6.8.2, §6.8.7), µs. */
    long transmitInterval() {
        return Math.max(Math.min(advertisedTx, acknowledgedTx), remoteMinRx);
    }

    /** The Detection Time (§6.8.4), µs; 0 while no packet from the peer is known. */
    long detectionTime() {
        if (localDemandActive()) {
            return (long) config.detectMultiplier()
                    * Math.max(Math.min(advertisedTx, acknowledgedTx), remoteMinRx);
        }
        return (long) remoteDetectMultiplier
                * Math.max(Math.max(advertisedRx, acknowledgedRx), remoteMinTx);
    }

    private void restartDetection(long now) {
        long detection = detectionTime() * 1000;
        if (state == BfdState.ADMIN_DOWN || detection == 0) {
            detectDeadline = NEVER;
        } else if (localDemandActive() && !pollActive) {
            // §6.6: in Demand mode detection runs only during a Poll Sequence; verify the
            // path once per detection time with a poll.
            detectDeadline = NEVER;
            if (demandPollDeadline == NEVER) {
                demandPollDeadline = now + detection;
            }
        } else {
            detectDeadline = now + detection;
        }
        if (!localDemandActive()) {
            demandPollDeadline = NEVER;
        }
        // §6.8.1: bfd.AuthSeqKnown is forgotten after twice the Detection Time without packets.
        sequenceResetDeadline = sequenceKnown && detection != 0 ? now + 2 * detection : NEVER;
    }

    private void scheduleTransmit(long now) {
        txDeadline = now;
    }

    /** Runs every timer of this session that is due; called by the core's scheduler. */
    void fire(long now) {
        if (detectDeadline <= now) {
            detectionTimeExpired(now);
        }
        if (echoDetectDeadline <= now) {
            echoDetectDeadline = NEVER;
            changeState(BfdState.DOWN, BfdDiagnostic.ECHO_FUNCTION_FAILED, now);
        }
        if (sequenceResetDeadline <= now) {
            sequenceResetDeadline = NEVER;
            sequenceKnown = false;
        }
        if (demandPollDeadline <= now) {
            demandPollDeadline = NEVER;
            requestPoll(now);
            detectDeadline = now + detectionTime() * 1000;
        }
        if (txDeadline <= now) {
            transmitPeriodic(now);
        }
        if (echoTxDeadline <= now) {
            transmitEcho(now);
        }
        reschedule(now);
    }

    /** See {@link BfdCore#excuseStall}. */
    void excuseStall(long nanos, long now) {
        if (suspended) {
            return;
        }
        if (detectDeadline != NEVER) {
            detectDeadline += nanos;
        }
        if (echoDetectDeadline != NEVER) {
            echoDetectDeadline += nanos;
        }
        reschedule(now);
    }

    /** Sends the periodic control and echo packets that are due; no other timer is judged. */
    void fireTransmission(long now) {
        if (txDeadline <= now) {
            transmitPeriodic(now);
        }
        if (echoTxDeadline <= now) {
            transmitEcho(now);
        }
        reschedule(now);
    }

    /** §6.8.4 and §6.8.1: the peer is gone; forget it. */
    private void detectionTimeExpired(long now) {
        detectDeadline = NEVER;
        demandPollDeadline = NEVER;
        remoteDiscriminator = 0;
        remoteState = BfdState.DOWN;
        remoteMinRx = 1;
        remoteMinTx = 0;
        remoteMinEchoRx = 0;
        remoteDetectMultiplier = 0;
        remoteDemand = false;
        pollActive = false;
        pollPending = false;
        if (state == BfdState.UP || state == BfdState.INIT) {
            changeState(BfdState.DOWN, BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED, now);
        } else {
            updateParameters(now);
        }
        acknowledgedTx = advertisedTx;
        acknowledgedRx = advertisedRx;
    }

    private void transmitPeriodic(long now) {
        if (!periodicTransmissionAllowed()) {
            txDeadline = NEVER;
            return;
        }
        lastTxLateness = (now - txDeadline) / 1000;
        maxTxLateness = Math.max(maxTxLateness, lastTxLateness);
        transmit(pollActive, false, now);
        txDeadline = now + core.jitter(transmitInterval(), config.detectMultiplier()) * 1000;
    }

    /** Builds and sends one control packet (§6.8.7) through the core's shared buffer. */
    private void transmit(boolean poll, boolean fin, long now) {
        ByteBuffer out = core.transmitBuffer();
        int start = out.position();
        int flags = (poll ? ControlPacket.FLAG_POLL : 0) | (fin ? ControlPacket.FLAG_FINAL : 0)
                | (authenticator != null ? ControlPacket.FLAG_AUTH : 0)
                | (config.isDemand() && state == BfdState.UP ? ControlPacket.FLAG_DEMAND : 0);
        ControlPacket.encodeHeader(out, localDiagnostic.code(), state.code(), flags,
                config.detectMultiplier(),
                authenticator != null ? authenticator.sectionLength() : 0,
                localDiscriminator, remoteDiscriminator, advertisedTx, advertisedRx,
                config.requiredMinEchoRxInterval());
        if (authenticator != null) {
            if (authenticator.type().hasSequenceNumber()) {
                // §6.7.3/§6.7.4: meticulous types must, keyed types may, advance it every
                // packet; advancing always keeps the peer's replay window moving.
                transmitSequence = (transmitSequence + 1) & 0xFFFF_FFFFL;
            }
            authenticator.sign(out, start, transmitSequence);
        }
        out.flip();
        counters.sent();
        lastTxTime = now;
        core.send(this, out);
    }

    // ---------------------------------------------------------------- echo (§6.4, §6.8.5)

    private boolean echoActive() {
        return state == BfdState.UP && config.desiredMinEchoTxInterval() > 0
                && remoteMinEchoRx > 0 && !echoUnsupported;
    }

    /** The echo TX interval: ours, never faster than the peer will loop (§6.8.9). */
    private long echoInterval() {
        return Math.max(config.desiredMinEchoTxInterval(), remoteMinEchoRx);
    }

    private void updateEcho(long now) {
        if (!echoActive()) {
            // §6.8.6: a zero Required Min Echo RX Interval means echo must cease.
            echoTxDeadline = NEVER;
            echoDetectDeadline = NEVER;
        } else if (echoTxDeadline == NEVER) {
            echoTxDeadline = now;
            echoDetectDeadline = now + (long) config.detectMultiplier() * echoInterval() * 1000;
        }
    }

    private void transmitEcho(long now) {
        ByteBuffer out = core.transmitBuffer();
        EchoPacket.encode(out, localDiscriminator, ++echoSequence);
        out.flip();
        if (!core.sendEcho(this, out)) {
            // The transport cannot loop echo on this path: rely on control packets alone.
            echoUnsupported = true;
            echoTxDeadline = NEVER;
            echoDetectDeadline = NEVER;
            return;
        }
        echoTxDeadline = now + core.jitter(echoInterval(), config.detectMultiplier()) * 1000;
    }

    /** One of our echo packets came back: the forwarding path works. */
    void echoReturned(long now) {
        if (echoDetectDeadline != NEVER) {
            echoDetectDeadline = now + (long) config.detectMultiplier() * echoInterval() * 1000;
            reschedule(now);
        }
    }

    // ---------------------------------------------------------------- bookkeeping

    private void reschedule(long now) {
        long earliest = Math.min(Math.min(txDeadline, detectDeadline),
                Math.min(Math.min(sequenceResetDeadline, demandPollDeadline),
                        Math.min(echoTxDeadline, echoDetectDeadline)));
        core.reschedule(this, earliest);
    }

    /** A snapshot for the API; {@code wallClock} turns monotonic nanoseconds into instants. */
    public BfdSession snapshot(java.util.function.LongFunction<Instant> wallClock, int clients) {
        return snapshotBuilder(wallClock).clients(clients).build();
    }

    /** A snapshot builder with every protocol field set, for the service to complete. */
    public BfdSession.Builder snapshotBuilder(java.util.function.LongFunction<Instant> wallClock) {
        boolean sequenced = authenticator != null && authenticator.type().hasSequenceNumber();
        return BfdSession.builder()
                .id(id).config(config).state(state).remoteState(remoteState)
                .localDiagnostic(localDiagnostic)
                .remoteDiagnostic(BfdDiagnostic.ofCode(remoteDiagnostic))
                .localDiscriminator(localDiscriminator & 0xFFFF_FFFFL)
                .remoteDiscriminator(remoteDiscriminator & 0xFFFF_FFFFL)
                .remoteDesiredMinTxInterval(remoteMinTx)
                .remoteRequiredMinRxInterval(remoteMinRx)
                .remoteRequiredMinEchoRxInterval(remoteMinEchoRx)
                .remoteDetectMultiplier(remoteDetectMultiplier)
                .remoteDemand(remoteDemand)
                .negotiatedTxInterval(periodicTransmissionAllowed() ? transmitInterval() : 0)
                .detectionTime(detectionTime())
                .pollActive(pollActive)
                .lastStateChange(wallClock.apply(lastStateChange))
                .txSequence(sequenced ? transmitSequence : -1)
                .rxSequence(sequenced && sequenceKnown ? receiveSequence : -1)
                .authenticationPending(rolloverPending)
                .txLateness(maxTxLateness, lastTxLateness)
                .detectionSlack(minDetectionSlack == NEVER ? -1 : minDetectionSlack,
                        lastDetectionSlack == NEVER ? -1 : lastDetectionSlack)
                .lastPacketArrival(lastArrival == Long.MIN_VALUE ? null
                        : wallClock.apply(lastArrival))
                .counters(counters.toApi());
    }
}
