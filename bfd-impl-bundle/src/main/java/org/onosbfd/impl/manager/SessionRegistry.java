package org.onosbfd.impl.manager;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.BfdStatistics;
import org.onosbfd.api.spi.BfdRxMeta;
import org.onosbfd.api.spi.BfdTransmitter;
import org.onosbfd.impl.core.BfdCore;
import org.onosbfd.impl.core.CoreOutput;
import org.onosbfd.impl.core.CoreSession;
import org.onosbfd.impl.runtime.EventLoop;
import org.onosbfd.impl.runtime.OnLoop;
import org.onosbfd.impl.runtime.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions, their claims and the keys, with the protocol core that runs them and the
 * adapters between the core and the loop, and the fan-out of session events. Every method runs
 * on the event loop, each API command being one call there, so each is atomic: it completes or
 * throws {@link BfdException} with nothing changed. Only {@link #addListener} and
 * {@link #removeListener} may be called from any thread.
 */
@OnLoop
final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger(BfdManager.class);
    static final int DEFAULT_MAX_SESSIONS = 20_000;
    /** How many sessions a reader snapshots in one turn of the loop. */
    static final int SNAPSHOTS_PER_TURN = 200;

    private final LongSupplier clock;
    /** One line a second at most: at a mass failure, the first session's times and a count. */
    private final RateLimitedLog expiredOnArrival = new RateLimitedLog(log, 1_000_000_000L);
    private final long wallOffsetNanos;
    private final SessionEventOutbox outbox;
    private final Executor listenerExecutor;
    private final List<ListenerMailbox> listeners = new CopyOnWriteArrayList<>();
    private final BfdCore core;
    private final EventLoop loop;
    private final Carriage carriage;
    private final TreeMap<Long, SessionRecord> sessions = new TreeMap<>();
    private final KeyRing keys;
    private long nextId = 1;
    private int maxSessions = DEFAULT_MAX_SESSIONS;

    /**
     * @param events           delivers session events off the loop
     * @param listenerExecutor runs each listener's deliveries, apart from the others'
     */
    SessionRegistry(LongSupplier clock, Clock wallClock, Random random, Executor events,
                    Executor listenerExecutor) {
        this.clock = clock;
        this.wallOffsetNanos = wallClock.millis() * 1_000_000L - clock.getAsLong();
        this.outbox = new SessionEventOutbox(events, clock);
        this.listenerExecutor = listenerExecutor;
        this.core = new BfdCore(random, new Output());
        this.loop = new EventLoop("bfd-event-loop", clock, new Driven());
        this.carriage = new Carriage(loop, core, sessions.values());
        this.keys = new KeyRing(sessions.values());
    }

    EventLoop loop() {
        return loop;
    }

    Carriage carriage() {
        return carriage;
    }

    KeyRing keys() {
        return keys;
    }

    /** See {@link BfdCore#settleAfterUp}. */
    void settleAfterUp(long nanos) {
        core.settleAfterUp(nanos);
    }

    /** See {@link BfdCore#transmitWindow}. */
    void transmitWindow(long nanos) {
        core.transmitWindow(nanos);
    }

    /** Sets the limits on sessions and keys (component properties); below 1 means 1. */
    void limits(int sessionCount, int keyCount) {
        this.maxSessions = Math.max(1, sessionCount);
        keys.limit(keyCount);
    }

    // ---------------------------------------------------------------- sessions

    /** The session with this id, or null. */
    SessionRecord find(long id) {
        return sessions.get(id);
    }

    SessionRecord record(long id) {
        SessionRecord record = sessions.get(id);
        if (record == null) {
            throw BfdException.notFound("id", id);
        }
        return record;
    }

    /** The session on {@code path}, found through the core's index (the only one); or null. */
    SessionRecord record(BfdPath path) {
        CoreSession session = core.session(path);
        return session == null ? null : sessions.get(session.id());
    }

    Collection<SessionRecord> records() {
        return sessions.values();
    }

    /** Makes a new path the operator's. */
    BfdSession configure(BfdSessionConfig config) {
        checkNotConfigured(config);
        BfdAuthKey key = keys.keyFor(config);
        SessionRecord existing = record(config.path());
        if (existing != null) {
            // Clients asked for this path first: the operator's configuration takes over.
            existing.configured = true;
            reconfigure(existing, config, key, false);
            return snapshot(existing);
        }
        SessionRecord record = create(config, key, 0);
        record.configured = true;
        return snapshot(record);
    }

    void unconfigure(SessionRecord record) {
        if (record != null) {
            record.configured = false;
            removeIfUnclaimed(record);
        }
    }

    BfdSession modify(long id, BfdSessionConfig config) {
        SessionRecord record = record(id);
        checkSamePath(record, config);
        reconfigure(record, config, keys.keyFor(config), false);
        return snapshot(record);
    }

    /** Removes the operator's claim; a session that only clients hold is theirs to release. */
    void removeConfigured(long id) {
        SessionRecord record = record(id);
        if (!record.configured) {
            throw BfdException.conflict("id", "session " + id + " is held by "
                    + record.requests.size() + " client request(s) only; it goes when they "
                    + "release it");
        }
        unconfigure(record);
    }

    /** A new authentication applies at once, or, {@code delayed}, once the peer uses it. */
    BfdSession authenticate(long id, BfdAuthentication authentication, boolean delayed) {
        SessionRecord record = record(id);
        BfdSessionConfig config = record.config().toBuilder().authentication(authentication)
                .build();
        reconfigure(record, config, keys.keyFor(config), delayed);
        return snapshot(record);
    }

    BfdSession adminDown(long id, boolean adminDown) {
        SessionRecord record = record(id);
        BfdSessionConfig config = record.config().toBuilder().adminDown(adminDown).build();
        reconfigure(record, config, keys.keyFor(config), false);
        return snapshot(record);
    }

    /** A client's claim on {@code config}'s path, creating the session if none runs there. */
    SessionRequest request(BfdSessionConfig config, BfdListener listener) {
        SessionRecord record = record(config.path());
        if (record == null) {
            record = create(config, keys.keyFor(config), 0);
        }
        SessionRequest request = new SessionRequest(loop, this, record, mailboxFor(listener));
        record.requests.add(request);
        return request;
    }

    /** Up to {@value #SNAPSHOTS_PER_TURN} sessions with ids above {@code id}. */
    List<BfdSession> snapshotsAfter(long id) {
        List<BfdSession> slice = new ArrayList<>(SNAPSHOTS_PER_TURN);
        for (SessionRecord record : sessions.tailMap(id, false).values()) {
            slice.add(snapshot(record));
            if (slice.size() == SNAPSHOTS_PER_TURN) {
                break;
            }
        }
        return slice;
    }

    /** Refuses, naming {@code sessions[i]}, what {@link #configure} would refuse. */
    void checkAddable(List<BfdSessionConfig> configs) {
        checkRoomFor(configs.size());
        Set<BfdPath> seen = new HashSet<>();
        for (int i = 0; i < configs.size(); i++) {
            BfdSessionConfig config = configs.get(i);
            String at = "sessions[" + i + "].";
            if (!seen.add(config.path())) {
                throw BfdException.conflict(at + "peerAddress", config.path()
                        + " is given twice in this request");
            }
            try {
                checkNotConfigured(config);
                keys.keyFor(config);
            } catch (BfdException e) {
                throw new BfdException(e.kind(), at + e.field(), e.getMessage());
            }
        }
    }

    private void checkNotConfigured(BfdSessionConfig config) {
        SessionRecord existing = record(config.path());
        if (existing != null && existing.configured) {
            throw BfdException.conflict("peerAddress", "session " + existing.id
                    + " already runs on " + config.path());
        }
    }

    private static void checkSamePath(SessionRecord record, BfdSessionConfig config) {
        BfdPath old = record.config().path();
        BfdPath path = config.path();
        if (!old.equals(path)) {
            String field = !old.peerAddress().equals(path.peerAddress()) ? "peerAddress"
                    : !old.localAddress().equals(path.localAddress()) ? "localAddress"
                    : old.isMultihop() != path.isMultihop() ? "multihop" : "interface";
            throw BfdException.invalid(field, path,
                    "the session's own path " + old + " (delete and add to move a session)");
        }
    }

    private void checkRoomFor(int more) {
        if (sessions.size() + more > maxSessions) {
            throw new BfdException(BfdException.Kind.CONFLICT, null, "no room for " + more
                    + " more session(s): " + sessions.size() + " of at most " + maxSessions
                    + " exist (maxSessions in etc/org.onosbfd.cfg)");
        }
    }

    /** A new session; {@code preferredId} (from the configuration file) is kept when free. */
    SessionRecord create(BfdSessionConfig config, BfdAuthKey key, long preferredId) {
        checkRoomFor(1);
        long id = preferredId > 0 && !sessions.containsKey(preferredId) ? preferredId : nextId;
        nextId = Math.max(nextId, id + 1);
        SessionRecord record = new SessionRecord(id,
                core.add(id, config, key, clock.getAsLong()));
        sessions.put(record.id, record);
        carriage.attach(record);
        publish(BfdEvent.Type.SESSION_ADDED, snapshot(record), record.core.state());
        return record;
    }

    void reconfigure(SessionRecord record, BfdSessionConfig config, BfdAuthKey key,
                     boolean delayed) {
        core.reconfigure(record.core, config, key, delayed, clock.getAsLong());
    }

    void removeIfUnclaimed(SessionRecord record) {
        if (record.claims() > 0) {
            return;
        }
        BfdSession last = snapshot(record);
        List<ListenerMailbox> targets = targets(record);
        carriage.release(record);
        core.remove(record.core);
        sessions.remove(record.id);
        publish(BfdEvent.Type.SESSION_REMOVED, last, last.state(), targets);
    }

    BfdSession snapshot(SessionRecord record) {
        return record.core.snapshotBuilder(this::wallTime)
                .clients(record.claims())
                .transport(record.transport != null ? record.transport.name() : "none")
                .notCarried(record.transport != null ? null : record.notCarried)
                .build();
    }

    private Instant wallTime(long monotonicNanos) {
        return Instant.ofEpochSecond(0, wallOffsetNanos + monotonicNanos);
    }

    BfdStatistics statistics() {
        Map<BfdState, Integer> byState = new EnumMap<>(BfdState.class);
        int settling = 0;
        for (SessionRecord record : sessions.values()) {
            byState.merge(record.core.state(), 1, Integer::sum);
            settling += record.core.isSettling() ? 1 : 0;
        }
        Map<String, Map<String, Long>> transportCounters = carriage.counters();
        // The hand-over ring between transport threads and the loop: full means lost packets.
        // The loop's share of a CPU: near 100, our own lateness can fail sessions.
        transportCounters.put("event-loop", Map.of("inboundOverflows", loop.overflows(),
                "stallsExcused", loop.stallsExcused(), "cpuPercent", (long) loop.cpuPercent()));
        return new BfdStatistics(byState, settling, core.counters(), transportCounters);
    }

    void clearCounters() {
        core.clearCounters();
    }

    // ---------------------------------------------------------------- the operator's file

    /** The operator's sessions by id, as they are now. */
    Map<Long, BfdSessionConfig> configuredSessions() {
        Map<Long, BfdSessionConfig> configured = new TreeMap<>();
        sessions.values().stream().filter(r -> r.configured)
                .forEach(r -> configured.put(r.id, r.config()));
        return configured;
    }

    /**
     * Makes each configuration (with the id it prefers) the operator's: a new session, or a
     * changed one on the same path. Returns how many changed.
     */
    int reconcileSessions(List<Map.Entry<BfdSessionConfig, Long>> slice, List<String> errors) {
        int changes = 0;
        for (Map.Entry<BfdSessionConfig, Long> entry : slice) {
            BfdSessionConfig config = entry.getKey();
            try {
                SessionRecord record = record(config.path());
                if (record == null) {
                    create(config, keys.keyFor(config), entry.getValue()).configured = true;
                    changes++;
                } else if (!record.configured || !record.config().equals(config)) {
                    BfdAuthKey key = keys.keyFor(config);
                    record.configured = true;
                    reconfigure(record, config, key, false);
                    changes++;
                }
            } catch (BfdException e) {
                errors.add("session " + config.path() + ": " + e.getMessage());
            }
        }
        return changes;
    }

    /** Unconfigures the sessions and deletes the keys that {@code contents} does not name. */
    int removeUnwanted(ConfigFile.Contents contents, List<String> errors) {
        Set<BfdPath> wanted = new HashSet<>();
        contents.sessions.keySet().forEach(c -> wanted.add(c.path()));
        int changes = 0;
        for (SessionRecord record : new ArrayList<>(sessions.values())) {
            if (record.configured && !wanted.contains(record.config().path())) {
                unconfigure(record);
                changes++;
            }
        }
        return changes + keys.removeUnwanted(contents.keys, errors);
    }

    // ---------------------------------------------------------------- events

    /** May be called from any thread. */
    void addListener(BfdListener listener) {
        listeners.add(mailboxFor(listener));
    }

    /** May be called from any thread. */
    void removeListener(BfdListener listener) {
        listeners.removeIf(mailbox -> mailbox.listener.equals(listener));
    }

    private ListenerMailbox mailboxFor(BfdListener listener) {
        return new ListenerMailbox(listener, listenerExecutor, clock);
    }

    /** Every listener's and the session's clients' mailboxes. */
    private List<ListenerMailbox> targets(SessionRecord record) {
        List<ListenerMailbox> targets = new ArrayList<>(listeners);
        record.requests.forEach(r -> targets.add(r.mailbox));
        return targets;
    }

    private void publish(BfdEvent.Type type, BfdSession session, BfdState previous) {
        publish(type, session, previous, targets(sessions.get(session.id())));
    }

    private void publish(BfdEvent.Type type, BfdSession session, BfdState previous,
                         List<ListenerMailbox> targets) {
        outbox.publish(new BfdEvent(type, session, previous, wallTime(clock.getAsLong())),
                targets);
    }

    /** The core's requests, answered on the loop. */
    private final class Output implements CoreOutput {
        @Override
        public void transmit(CoreSession session, ByteBuffer packet) {
            BfdTransmitter transmitter = session.transmitter();
            if (transmitter != null) {
                transmitter.send(packet);
            }
        }

        @Override
        public boolean transmitEcho(CoreSession session, ByteBuffer packet) {
            BfdTransmitter transmitter = session.transmitter();
            return transmitter != null && transmitter.sendEcho(packet);
        }

        @Override
        public void peerDiagnosticChanged(CoreSession session, long now) {
            SessionRecord record = sessions.get(session.id());
            publish(BfdEvent.Type.PEER_DIAGNOSTIC_CHANGED, snapshot(record), session.state());
        }

        @Override
        public void expiredOnArrival(CoreSession session, long late, long silence) {
            expiredOnArrival.warn("BFD session " + session.id() + ": Down on a packet that "
                    + "arrived ", late / 1000, " µs after the Detection Time had passed, "
                    + (silence < 0 ? "the first from the peer"
                            : silence / 1000 + " µs after the packet before it")
                    + " (the timer was late)");
        }

        @Override
        public void stateChanged(CoreSession session, BfdState oldState, long now) {
            SessionRecord record = sessions.get(session.id());
            // Logged with the event, off the loop (SessionEventOutbox).
            publish(BfdEvent.Type.STATE_CHANGED, snapshot(record), oldState);
            carriage.recordHandover(session);
        }
    }

    /** What the event loop drives. */
    private final class Driven implements EventLoop.Driven {
        @Override
        public void controlPacket(ByteBuffer packet, BfdRxMeta meta, long now) {
            core.receive(packet, meta, now);
        }

        @Override
        public void warm(int[] yourDiscriminators, int count) {
            core.warmArrivals(yourDiscriminators, count);
        }

        @Override
        public void echoPacket(ByteBuffer packet, BfdRxMeta meta, long now) {
            core.receiveEcho(packet, meta, now);
        }

        @Override
        public void packetFailed(RuntimeException failure) {
            core.countFailed();
        }

        @Override
        public RuntimeException advance(long now) {
            return core.advance(now);
        }

        @Override
        public long nextDeadline() {
            return core.nextDeadline();
        }

        @Override
        public void excuseStall(long nanos) {
            core.excuseStall(nanos, clock.getAsLong());
        }

        @Override
        public void carriageChanged() {
            carriage.carriageChanged();
        }
    }
}
