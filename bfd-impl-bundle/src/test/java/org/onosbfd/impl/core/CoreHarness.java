package org.onosbfd.impl.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * Drives one {@link BfdCore} on a fake monotonic clock and plays its peer: crafts packets, feeds
 * them in, and records what the core sends and which states it reports. No threads, no sleeps.
 */
final class CoreHarness implements CoreOutput {
    static final long MS = 1_000_000L;
    static final InetAddress LOCAL = address("192.0.2.1");
    static final InetAddress PEER = address("192.0.2.2");
    static final int PEER_DISCRIMINATOR = 0x11223344;

    /** A packet the core sent, decoded, with the time it left. */
    static final class Sent {
        final CoreSession session;
        final ControlPacket packet = new ControlPacket();
        final byte[] bytes;
        final long time;

        Sent(CoreSession session, ByteBuffer buffer, long time) {
            this.session = session;
            this.bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            this.time = time;
            if (packet.decode(ByteBuffer.wrap(bytes)) != null) {
                throw new AssertionError("the core sent an invalid packet");
            }
        }
    }

    /** A state change the core reported. */
    static final class Change {
        final BfdState from;
        final BfdState to;
        final long time;

        Change(BfdState from, BfdState to, long time) {
            this.from = from;
            this.to = to;
            this.time = time;
        }

        @Override
        public String toString() {
            return from + "->" + to + "@" + time / MS + "ms";
        }
    }

    long now = 1_000 * MS;
    final BfdCore core;
    final List<Sent> sent = new ArrayList<>();
    final List<Change> changes = new ArrayList<>();
    final List<ByteBuffer> echoes = new ArrayList<>();
    boolean echoSupported = true;
    final BfdRxMeta meta = new BfdRxMeta();

    CoreHarness() {
        this(new Random(42));
    }

    CoreHarness(Random random) {
        core = new BfdCore(random, this);
        meta.set(PEER.getAddress(), LOCAL.getAddress(), null, 255, false);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static BfdSessionConfig.Builder config() {
        return BfdSessionConfig.builder().peerAddress(PEER).localAddress(LOCAL)
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000).detectMultiplier(3);
    }

    CoreSession add(BfdSessionConfig config) {
        return add(config, null);
    }

    CoreSession add(BfdSessionConfig config, BfdAuthKey key) {
        CoreSession session = core.add(1, config, key, now);
        session.carryThrough(returnsEcho); // packets go to transmit() below
        advance();
        return session;
    }

    /** Whether the sessions' transport returns the peer's echo packets (§6.4). */
    boolean echoReturned = true;
    private final org.onosbfd.api.spi.BfdTransmitter returnsEcho =
            new org.onosbfd.api.spi.BfdTransmitter() {
                @Override
                public void send(ByteBuffer controlPacket) {
                }

                @Override
                public boolean returnsEcho() {
                    return echoReturned;
                }

                @Override
                public void close() {
                }
            };

    /** Moves the clock to {@code time}, running every timer due on the way. */
    void runUntil(long time) {
        while (core.nextDeadline() <= time) {
            now = Math.max(now, core.nextDeadline());
            advance();
        }
        now = time;
    }

    /** Runs the timers due now; a timer that threw fails the test. */
    void advance() {
        RuntimeException failure = core.advance(now);
        if (failure != null) {
            throw failure;
        }
    }

    void runFor(long nanos) {
        runUntil(now + nanos);
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }

    List<Sent> sentSince(int index) {
        return sent.subList(index, sent.size());
    }

    /** Feeds a packet from the peer now. */
    void receive(PeerPacket packet) {
        core.receive(packet.encode(), meta, now);
    }

    /** A peer packet addressed to the session's discriminator (or zero while unknown). */
    PeerPacket from(CoreSession session, BfdState state) {
        return new PeerPacket().state(state)
                .yourDiscriminator(state == BfdState.DOWN && sent.isEmpty() ? 0
                        : session.localDiscriminator);
    }

    /** Brings a fresh session Up with a three-way handshake, answering its poll. */
    void bringUp(CoreSession session) {
        receive(new PeerPacket().state(BfdState.DOWN).yourDiscriminator(0));
        receive(from(session, BfdState.UP));
        answerPoll(session);
    }

    /** As {@link #bringUp}, with every peer packet signed (sequence numbers 1, 2, 3...). */
    void bringUpWith(CoreSession session, Authenticator peer) {
        receive(new PeerPacket().state(BfdState.DOWN).yourDiscriminator(0).auth(peer, 1));
        receive(from(session, BfdState.UP).auth(peer, 2));
        if (last().packet.poll()) {
            receive(from(session, BfdState.UP).fin().auth(peer, 3));
        }
    }

    /** Sends a Final if the session's last packet asked for one. */
    void answerPoll(CoreSession session) {
        if (last().packet.poll()) {
            receive(from(session, BfdState.UP).fin());
        }
    }

    long drops(CoreSession session, BfdDropReason reason) {
        return snapshot(session).counters().drops(reason);
    }

    /** The session as the API shows it, times from the epoch. */
    static org.onosbfd.api.BfdSession snapshot(CoreSession session) {
        return session.snapshotBuilder(t -> java.time.Instant.EPOCH).build();
    }

    @Override
    public void transmit(CoreSession session, ByteBuffer packet) {
        sent.add(new Sent(session, packet, now));
    }

    @Override
    public boolean transmitEcho(CoreSession session, ByteBuffer packet) {
        if (echoSupported) {
            ByteBuffer copy = ByteBuffer.allocate(packet.remaining());
            copy.put(packet.duplicate()).flip();
            echoes.add(copy);
        }
        return echoSupported;
    }

    @Override
    public void stateChanged(CoreSession session, BfdState oldState, long time) {
        changes.add(new Change(oldState, session.state(), time));
    }

    /** How many times the core reported a new diagnostic from an Up peer. */
    int peerDiagnosticChanges;

    @Override
    public void peerDiagnosticChanged(CoreSession session, long now) {
        peerDiagnosticChanges++;
    }

    /** Downs judged on a packet's arrival: {how late, how long the peer was silent}, ns. */
    final List<long[]> expiredOnArrival = new ArrayList<>();

    @Override
    public void expiredOnArrival(CoreSession session, long late, long silence) {
        expiredOnArrival.add(new long[] {late, silence});
    }

    /** A packet as the peer would send it; defaults mirror the local config (50 ms × 3). */
    static final class PeerPacket {
        BfdState state = BfdState.DOWN;
        int diagnostic;
        int flags;
        int detectMultiplier = 3;
        int myDiscriminator = PEER_DISCRIMINATOR;
        int yourDiscriminator;
        long desiredMinTx = 50_000;
        long requiredMinRx = 50_000;
        long requiredMinEchoRx;
        Authenticator authenticator;
        long sequence;

        PeerPacket state(BfdState s) {
            state = s;
            return this;
        }

        PeerPacket diagnostic(int d) {
            diagnostic = d;
            return this;
        }

        PeerPacket yourDiscriminator(int d) {
            yourDiscriminator = d;
            return this;
        }

        PeerPacket myDiscriminator(int d) {
            myDiscriminator = d;
            return this;
        }

        PeerPacket poll() {
            flags |= ControlPacket.FLAG_POLL;
            return this;
        }

        PeerPacket fin() {
            flags |= ControlPacket.FLAG_FINAL;
            return this;
        }

        PeerPacket demand() {
            flags |= ControlPacket.FLAG_DEMAND;
            return this;
        }

        PeerPacket flags(int f) {
            flags |= f;
            return this;
        }

        PeerPacket intervals(long tx, long rx) {
            desiredMinTx = tx;
            requiredMinRx = rx;
            return this;
        }

        PeerPacket echo(long rx) {
            requiredMinEchoRx = rx;
            return this;
        }

        PeerPacket detectMultiplier(int m) {
            detectMultiplier = m;
            return this;
        }

        PeerPacket auth(Authenticator a, long seq) {
            authenticator = a;
            sequence = seq;
            return this;
        }

        ByteBuffer encode() {
            ByteBuffer out = ByteBuffer.allocate(ControlPacket.MAX_LENGTH);
            int authLength = authenticator == null ? 0 : authenticator.sectionLength();
            ControlPacket.encodeHeader(out, diagnostic, state.code(),
                    flags | (authenticator != null ? ControlPacket.FLAG_AUTH : 0),
                    detectMultiplier, authLength, myDiscriminator, yourDiscriminator,
                    desiredMinTx, requiredMinRx, requiredMinEchoRx);
            if (authenticator != null) {
                authenticator.sign(out, 0, sequence);
            }
            out.flip();
            return out;
        }
    }
}
