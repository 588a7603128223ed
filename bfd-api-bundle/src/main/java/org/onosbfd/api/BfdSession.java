package org.onosbfd.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An immutable snapshot of one session: its configuration and the state variables of RFC 5880
 * §6.8.1 as they were when it was taken. Intervals in microseconds.
 */
public final class BfdSession {
    private final long id;
    private final BfdSessionConfig config;
    private final BfdState state;
    private final BfdState remoteState;
    private final BfdDiagnostic localDiagnostic;
    private final BfdDiagnostic remoteDiagnostic;
    private final long localDiscriminator;
    private final long remoteDiscriminator;
    private final long remoteDesiredMinTxInterval;
    private final long remoteRequiredMinRxInterval;
    private final long remoteRequiredMinEchoRxInterval;
    private final int remoteDetectMultiplier;
    private final boolean remoteDemand;
    private final long negotiatedTxInterval;
    private final long detectionTime;
    private final boolean pollActive;
    private final Instant lastStateChange;
    private final long txSequence;
    private final long rxSequence;
    private final boolean authenticationPending;
    private final long maxTxLateness;
    private final long lastTxLateness;
    private final long minDetectionSlack;
    private final Instant lastPacketArrival;
    private final long lastDetectionSlack;
    private final int clients;
    private final String transport;
    private final String notCarried;
    private final Instant heldDownUntil;
    private final Instant settlingUntil;
    private final BfdCounters counters;

    private BfdSession(Builder b) {
        this.id = b.id;
        this.config = Objects.requireNonNull(b.config, "config");
        this.state = b.state;
        this.remoteState = b.remoteState;
        this.localDiagnostic = b.localDiagnostic;
        this.remoteDiagnostic = b.remoteDiagnostic;
        this.localDiscriminator = b.localDiscriminator;
        this.remoteDiscriminator = b.remoteDiscriminator;
        this.remoteDesiredMinTxInterval = b.remoteDesiredMinTxInterval;
        this.remoteRequiredMinRxInterval = b.remoteRequiredMinRxInterval;
        this.remoteRequiredMinEchoRxInterval = b.remoteRequiredMinEchoRxInterval;
        this.remoteDetectMultiplier = b.remoteDetectMultiplier;
        this.remoteDemand = b.remoteDemand;
        this.negotiatedTxInterval = b.negotiatedTxInterval;
        this.detectionTime = b.detectionTime;
        this.pollActive = b.pollActive;
        this.lastStateChange = b.lastStateChange;
        this.txSequence = b.txSequence;
        this.rxSequence = b.rxSequence;
        this.authenticationPending = b.authenticationPending;
        this.maxTxLateness = b.maxTxLateness;
        this.lastTxLateness = b.lastTxLateness;
        this.minDetectionSlack = b.minDetectionSlack;
        this.lastPacketArrival = b.lastPacketArrival;
        this.lastDetectionSlack = b.lastDetectionSlack;
        this.clients = b.clients;
        this.transport = b.transport;
        this.notCarried = b.notCarried;
        this.heldDownUntil = b.heldDownUntil;
        this.settlingUntil = b.settlingUntil;
        this.counters = Objects.requireNonNull(b.counters, "counters");
    }

    /** The service's handle for the session, stable for its life (and across restarts). */
    public long id() {
        return id;
    }

    public BfdSessionConfig config() {
        return config;
    }

    /** bfd.SessionState. */
    public BfdState state() {
        return state;
    }

    /** bfd.RemoteSessionState. */
    public BfdState remoteState() {
        return remoteState;
    }

    /** bfd.LocalDiag: why the session last left Up (or could not come Up). */
    public BfdDiagnostic localDiagnostic() {
        return localDiagnostic;
    }

    /** The Diag the peer last sent. */
    public BfdDiagnostic remoteDiagnostic() {
        return remoteDiagnostic;
    }

    /** bfd.LocalDiscr, an unsigned 32-bit value. */
    public long localDiscriminator() {
        return localDiscriminator;
    }

    /** bfd.RemoteDiscr; 0 while unknown. */
    public long remoteDiscriminator() {
        return remoteDiscriminator;
    }

    public long remoteDesiredMinTxInterval() {
        return remoteDesiredMinTxInterval;
    }

    /** bfd.RemoteMinRxInterval. */
    public long remoteRequiredMinRxInterval() {
        return remoteRequiredMinRxInterval;
    }

    public long remoteRequiredMinEchoRxInterval() {
        return remoteRequiredMinEchoRxInterval;
    }

    public int remoteDetectMultiplier() {
        return remoteDetectMultiplier;
    }

    /** bfd.RemoteDemandMode. */
    public boolean isRemoteDemand() {
        return remoteDemand;
    }

    /** The interval between our periodic packets before jitter (§6.8.7); 0 when not sending. */
    public long negotiatedTxInterval() {
        return negotiatedTxInterval;
    }

    /** How long without a packet before the session goes Down (§6.8.4); 0 while unknown. */
    public long detectionTime() {
        return detectionTime;
    }

    /** True while a Poll Sequence is under way (§6.5). */
    public boolean isPollActive() {
        return pollActive;
    }

    /** When the state last changed (creation counts). */
    public Instant lastStateChange() {
        return lastStateChange;
    }

    /** bfd.XmitAuthSeq, or -1 without a sequence-numbered authentication. */
    public long txSequence() {
        return txSequence;
    }

    /** bfd.RcvAuthSeq, or -1 while bfd.AuthSeqKnown is false. */
    public long rxSequence() {
        return rxSequence;
    }

    /**
     * True during a delayed rollover: packets are still sent with the previous authentication
     * until the peer is seen using the configured one.
     */
    public boolean isAuthenticationPending() {
        return authenticationPending;
    }

    /** The worst lateness of a periodic transmission, µs: CPU starvation shows here first. */
    public long maxTxLateness() {
        return maxTxLateness;
    }

    /** The lateness of the last periodic transmission, µs. */
    public long lastTxLateness() {
        return lastTxLateness;
    }

    /**
     * The smallest margin, µs, between a packet's arrival and the expiry of the detection timer
     * it re-armed: how close the session came to a false Down. -1 before it is known.
     */
    public long minDetectionSlack() {
        return minDetectionSlack;
    }

    /** That margin for the last packet, µs; -1 before it is known. */
    public long lastDetectionSlack() {
        return lastDetectionSlack;
    }

    /**
     * When the newest accepted packet from the peer arrived (the kernel's receive timestamp
     * where the transport has one): detection runs from here, and a Down caused by silence is
     * declared one Detection Time after it. Null before any packet.
     */
    public Instant lastPacketArrival() {
        return lastPacketArrival;
    }

    /** How many claims hold the session: operator configuration and client requests. */
    public int clients() {
        return clients;
    }

    /** The transport carrying the session ("udp", "punt"), or "none" while none can. */
    public String transport() {
        return transport;
    }

    /**
     * Why no transport carries the session, each transport's reason ("udp: no interface eth9 on
     * this host"); null while one does.
     */
    public String notCarried() {
        return notCarried;
    }

    /**
     * When the session's last hold-down after a flap ends or ended ({@link BfdDampening}): in
     * the future, the session is held Down until then; null when it never was.
     */
    public Instant heldDownUntil() {
        return heldDownUntil;
    }

    /**
     * While a session that came Up still transmits at the slow rate of one second (settling,
     * see the service's {@code upSettleMillis} property): the earliest instant it goes to its
     * configured intervals, later if the service runs late meanwhile; null once it uses them,
     * and while not Up.
     */
    public Instant settlingUntil() {
        return settlingUntil;
    }

    public BfdCounters counters() {
        return counters;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "BfdSession{" + id + " " + config.path() + " " + state + " diag "
                + localDiagnostic.description() + " remote " + remoteState + "}";
    }

    /** Builds a snapshot; used by the implementation. */
    public static final class Builder {
        private long id;
        private BfdSessionConfig config;
        private BfdState state = BfdState.DOWN;
        private BfdState remoteState = BfdState.DOWN;
        private BfdDiagnostic localDiagnostic = BfdDiagnostic.NO_DIAGNOSTIC;
        private BfdDiagnostic remoteDiagnostic = BfdDiagnostic.NO_DIAGNOSTIC;
        private long localDiscriminator;
        private long remoteDiscriminator;
        private long remoteDesiredMinTxInterval;
        private long remoteRequiredMinRxInterval;
        private long remoteRequiredMinEchoRxInterval;
        private int remoteDetectMultiplier;
        private boolean remoteDemand;
        private long negotiatedTxInterval;
        private long detectionTime;
        private boolean pollActive;
        private Instant lastStateChange = Instant.EPOCH;
        private long txSequence = -1;
        private long rxSequence = -1;
        private boolean authenticationPending;
        private long maxTxLateness;
        private long lastTxLateness;
        private long minDetectionSlack = -1;
        private Instant lastPacketArrival;
        private long lastDetectionSlack = -1;
        private int clients;
        private String transport = "none";
        private String notCarried;
        private Instant heldDownUntil;
        private Instant settlingUntil;
        private BfdCounters counters;

        private Builder() {
        }

        public Builder id(long v) {
            id = v;
            return this;
        }

        public Builder config(BfdSessionConfig v) {
            config = v;
            return this;
        }

        public Builder state(BfdState v) {
            state = v;
            return this;
        }

        public Builder remoteState(BfdState v) {
            remoteState = v;
            return this;
        }

        public Builder localDiagnostic(BfdDiagnostic v) {
            localDiagnostic = v;
            return this;
        }

        public Builder remoteDiagnostic(BfdDiagnostic v) {
            remoteDiagnostic = v;
            return this;
        }

        public Builder localDiscriminator(long v) {
            localDiscriminator = v;
            return this;
        }

        public Builder remoteDiscriminator(long v) {
            remoteDiscriminator = v;
            return this;
        }

        public Builder remoteDesiredMinTxInterval(long v) {
            remoteDesiredMinTxInterval = v;
            return this;
        }

        public Builder remoteRequiredMinRxInterval(long v) {
            remoteRequiredMinRxInterval = v;
            return this;
        }

        public Builder remoteRequiredMinEchoRxInterval(long v) {
            remoteRequiredMinEchoRxInterval = v;
            return this;
        }

        public Builder remoteDetectMultiplier(int v) {
            remoteDetectMultiplier = v;
            return this;
        }

        public Builder remoteDemand(boolean v) {
            remoteDemand = v;
            return this;
        }

        public Builder negotiatedTxInterval(long v) {
            negotiatedTxInterval = v;
            return this;
        }

        public Builder detectionTime(long v) {
            detectionTime = v;
            return this;
        }

        public Builder pollActive(boolean v) {
            pollActive = v;
            return this;
        }

        public Builder lastStateChange(Instant v) {
            lastStateChange = v;
            return this;
        }

        public Builder txSequence(long v) {
            txSequence = v;
            return this;
        }

        public Builder rxSequence(long v) {
            rxSequence = v;
            return this;
        }

        public Builder authenticationPending(boolean v) {
            authenticationPending = v;
            return this;
        }

        /** The worst and the last TX lateness, µs. */
        public Builder txLateness(long max, long last) {
            maxTxLateness = max;
            lastTxLateness = last;
            return this;
        }

        /** The smallest and the last RX-to-detection slack, µs (-1 unknown). */
        public Builder detectionSlack(long min, long last) {
            minDetectionSlack = min;
            lastDetectionSlack = last;
            return this;
        }

        public Builder lastPacketArrival(Instant v) {
            lastPacketArrival = v;
            return this;
        }

        public Builder clients(int v) {
            clients = v;
            return this;
        }

        public Builder heldDownUntil(Instant v) {
            heldDownUntil = v;
            return this;
        }

        public Builder settlingUntil(Instant v) {
            settlingUntil = v;
            return this;
        }

        public Builder notCarried(String v) {
            notCarried = v;
            return this;
        }

        public Builder transport(String v) {
            transport = v;
            return this;
        }

        public Builder counters(BfdCounters v) {
            counters = v;
            return this;
        }

        public BfdSession build() {
            return new BfdSession(this);
        }
    }
}
