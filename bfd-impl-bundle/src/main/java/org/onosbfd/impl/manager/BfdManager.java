package org.onosbfd.impl.manager;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdRequest;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.BfdStatistics;
import org.onosbfd.api.spi.BfdRxMeta;
import org.onosbfd.api.spi.BfdTransmitter;
import org.onosbfd.api.spi.BfdTransport;
import org.onosbfd.impl.core.BfdCore;
import org.onosbfd.impl.core.CoreOutput;
import org.onosbfd.impl.core.CoreSession;
import org.onosbfd.impl.core.SessionHandover;
import org.onosbfd.impl.runtime.EventLoop;
import org.onosbfd.impl.runtime.LoopPolledTransport;
import org.onosbfd.impl.runtime.RealtimeScheduling;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BFD service: owns the protocol core, drives it from one {@link EventLoop}, binds sessions
 * to whichever {@link BfdTransport} can carry them, and tells listeners what changed.
 *
 * <p>Every piece of session state is touched on the event loop only; API calls are commands run
 * there, so each one is atomic and either completes or throws {@link BfdException} with nothing
 * changed. Listeners are called on a separate thread so that a slow listener never delays a
 * packet.
 */
@Component(immediate = true, service = BfdService.class, configurationPid = "org.onosbfd")
@Designate(ocd = BfdManager.Config.class)
public class BfdManager implements BfdService {
    private static final Logger log = LoggerFactory.getLogger(BfdManager.class);

    /** Component configuration (etc/org.onosbfd.cfg). */
    @ObjectClassDefinition(name = "BFD service")
    public @interface Config {
        @AttributeDefinition(description = "The operator's sessions and keys, kept across "
                + "restarts and editable by hand; empty: ${karaf.etc}/bfd.json")
        String configFile() default "";

        @AttributeDefinition(description = "Real-time priority (SCHED_FIFO, 1-99) asked for "
                + "the event-loop thread so that a busy host cannot delay its timers; granted "
                + "with CAP_SYS_NICE (as root). 0: normal scheduling")
        int realtimePriority() default RealtimeScheduling.DEFAULT_PRIORITY;

        @AttributeDefinition(description = "Shortest time between two turns of the event "
                + "loop, µs (0-10000): the most a transmission or a Down waits under load, "
                + "traded for fewer wake-ups and larger batches of system calls")
        int turnSpacingMicros() default (int) (EventLoop.DEFAULT_TURN_SPACING_NANOS / 1000);

        @AttributeDefinition(description = "The most sessions at once (configured and requested "
                + "by clients); more are refused with a clear error")
        int maxSessions() default DEFAULT_MAX_SESSIONS;

        @AttributeDefinition(description = "The most authentication keys")
        int maxKeys() default DEFAULT_MAX_KEYS;
    }

    static final int DEFAULT_MAX_SESSIONS = 20_000;
    static final int DEFAULT_MAX_KEYS = 1024;

    /** The largest turn spacing accepted: a tenth of the shortest interval we run well at. */
    private static final int MAX_TURN_SPACING_MICROS = 10_000;

    /** The operator's configuration at one moment, to be written to the file. */
    private static final class Saved {
        final long version;
        final List<BfdAuthKey> keys;
        final Map<Long, BfdSessionConfig> sessions;

        Saved(long version, List<BfdAuthKey> keys, Map<Long, BfdSessionConfig> sessions) {
            this.version = version;
            this.keys = keys;
            this.sessions = sessions;
        }
    }

    /** One session and everything that holds it. */
    private static final class Record {
        final long id;
        final CoreSession core;
        /** True while an operator's configuration holds the session. */
        boolean configured;
        final List<Request> requests = new ArrayList<>();
        BfdTransport transport;
        BfdTransmitter transmitter;

        Record(long id, CoreSession core) {
            this.id = id;
            this.core = core;
        }

        /** The session's configuration: the core's, the one source of it. */
        BfdSessionConfig config() {
            return core.config();
        }

        int claims() {
            return requests.size() + (configured ? 1 : 0);
        }
    }

    /** A client's claim (RFC 5882). */
    private final class Request implements BfdRequest {
        private final Record record;
        private final ListenerMailbox mailbox;
        private boolean closed;

        Request(Record record, BfdListener listener) {
            this.record = record;
            this.mailbox = mailboxFor(listener);
        }

        @Override
        public BfdSession session() {
            return loop.call(() -> snapshot(record));
        }

        @Override
        public void close() {
            loop.run(() -> {
                if (!closed) {
                    closed = true;
                    record.requests.remove(this);
                    removeIfUnclaimed(record);
                }
            });
        }
    }

    private final LongSupplier clock;
    private final long wallOffsetNanos;
    private final Executor events;
    private final SessionEventOutbox outbox;
    private final EventLoop loop;
    private final BfdCore core;
    /** How many sessions a reader snapshots in one turn of the loop. */
    private static final int SNAPSHOTS_PER_TURN = 200;
    /** How many sessions of a configuration file are created or changed in one turn. */
    private static final int CHANGES_PER_TURN = 20;
    private final TreeMap<Long, Record> sessions = new TreeMap<>();
    private final Map<BfdPath, Record> byPath = new HashMap<>();
    private final Map<Long, BfdAuthKey> keys = new TreeMap<>();
    private final List<ListenerMailbox> listeners = new CopyOnWriteArrayList<>();
    /** Runs each listener's deliveries, apart from the others'. */
    private final Executor listenerExecutor;
    /** Bound transports, each once; changed and read on the loop only. */
    private final List<BfdTransport> transports = new ArrayList<>();
    private final List<BfdTransport> started = new ArrayList<>();
    /** Where sessions are handed over between controller instances; null: standalone. */
    private volatile HandoverStore handoverStore;
    /** The transport whose sockets the event loop waits on, if any. */
    private BfdTransport polledByLoop;
    private long nextId = 1;
    private boolean active;
    /** Where the operator's configuration lives; null: not persisted (tests, embedded use). */
    private volatile ConfigFile configFile;
    private long configVersion;
    private volatile int maxSessions = DEFAULT_MAX_SESSIONS;
    private volatile int maxKeys = DEFAULT_MAX_KEYS;
    /** Held while an operator's change is applied and saved (or undone). */
    private final Object operatorChanges = new Object();

    /**
     * The OSGi constructor: real clocks, a secure random source, an event thread, and threads
     * for listeners as they need them (a blocked listener holds one, no other listener).
     */
    public BfdManager() {
        this(System::nanoTime, Clock.systemUTC(), new SecureRandom(),
                Executors.newSingleThreadScheduledExecutor(daemons("bfd-events")),
                Executors.newCachedThreadPool(daemons("bfd-listener")));
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * For tests: a fake monotonic clock, a seeded random source and a direct executor make the
     * whole service deterministic; without {@link #activate()} the caller's thread is the loop.
     */
    public BfdManager(LongSupplier clock, Clock wallClock, Random random, Executor events) {
        this(clock, wallClock, random, events, events);
    }

    private BfdManager(LongSupplier clock, Clock wallClock, Random random, Executor events,
                       Executor listenerExecutor) {
        this.clock = clock;
        this.wallOffsetNanos = wallClock.millis() * 1_000_000L - clock.getAsLong();
        this.events = events;
        this.listenerExecutor = listenerExecutor;
        this.outbox = new SessionEventOutbox(events, clock);
        this.core = new BfdCore(random, new Output());
        this.loop = new EventLoop("bfd-event-loop", clock, new Driven());
    }

    /**
     * The components that need an API this bundle imports optionally, each with a class of that
     * API: they are enabled only when it is wired in, so that a plain Karaf loads no ONOS class
     * and no bundle waits for a service that will never come.
     */
    private static final String[][] OPTIONAL_COMPONENTS = {
        {"org.onosproject.net.packet.PacketService", "org.onosbfd.impl.punt.PuntTransportComponent"},
        {"org.onosproject.net.link.LinkProviderRegistry",
            "org.onosbfd.impl.link.LinkLivenessComponent"},
        {"org.onosproject.store.service.StorageService", "org.onosbfd.impl.punt.OnosHandoverStore"},
        {"org.osgi.service.event.EventAdmin", "org.onosbfd.impl.manager.EventAdminPublisher"},
    };

    @Activate
    void activate(ComponentContext context, Config config) {
        for (String[] component : OPTIONAL_COMPONENTS) {
            if (wiredIn(component[0])) {
                context.enableComponent(component[1]);
                log.info("BFD: {} present, {} enabled", component[0], component[1]);
            }
        }
        persistAsConfigured(config);
        int priority = config.realtimePriority();
        loop.onThreadStart(() -> RealtimeScheduling.request(priority));
        limits(config.maxSessions(), config.maxKeys());
        int spacing = config.turnSpacingMicros();
        if (spacing < 0 || spacing > MAX_TURN_SPACING_MICROS) {
            log.warn("BFD: turnSpacingMicros {} is outside 0-{}; using {}", spacing,
                    MAX_TURN_SPACING_MICROS, EventLoop.DEFAULT_TURN_SPACING_NANOS / 1000);
        } else {
            loop.turnSpacing(spacing * 1000L);
        }
        activate();
    }

    /** True when the API this class belongs to is wired into this bundle. */
    private static boolean wiredIn(String className) {
        try {
            Class.forName(className, false, BfdManager.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Where the configuration file lives. Not named activate: SCR would pick a method taking
     * only the component property type over the one taking the context too (OSGi compendium
     * 112.5.8), and the optional components would never be enabled.
     */
    private void persistAsConfigured(Config config) {
        String file = config.configFile();
        if (file.isEmpty() && System.getProperty("karaf.etc") != null) {
            file = Paths.get(System.getProperty("karaf.etc"), "bfd.json").toString();
        }
        if (!file.isEmpty()) {
            configFile = new ConfigFile(Paths.get(file));
        }
    }

    /** Starts the service; with a configuration file (see {@link #persistIn}), restores it. */
    public void activate() {
        loop.start();
        try {
            activateWithoutThread();
            ConfigFile file = configFile;
            if (file != null) {
                restore(file);
            }
        } catch (RuntimeException | Error e) {
            // Nothing half-started may keep running (sending) behind a failed activation.
            log.error("BFD failed to start; stopping what had started", e);
            deactivate();
            throw e;
        }
        log.info("BFD started");
    }

    /** Keeps the operator's configuration in this file; call before {@link #activate()}. */
    public void persistIn(Path file) {
        configFile = new ConfigFile(file);
    }

    private void restore(ConfigFile file) {
        ConfigFile.Contents contents = file.read();
        applyFile(contents, "restored from " + file.path());
        try {
            file.watch(changed -> applyFile(changed, "reloaded from " + file.path()));
        } catch (IOException e) {
            log.warn("BFD configuration {} will not be reloaded on change: {}", file.path(),
                    e.getMessage());
        }
    }

    /**
     * Makes the file's configuration the operator's: sessions matched by path (one session per
     * path), keys by id. Bad entries are reported and skipped, good ones applied; a file with
     * errors is left as the operator wrote it, a good one is rewritten with the ids assigned.
     * Applied {@value #CHANGES_PER_TURN} sessions per turn of the loop: opening sockets for
     * thousands of sessions at once would delay every running session's packets.
     */
    private void applyFile(ConfigFile.Contents contents, String what) {
        synchronized (operatorChanges) {
            List<String> errors = new ArrayList<>(contents.errors);
            int[] changes = {loop.call(() -> reconcileKeys(contents, errors))};
            inSlices(new ArrayList<>(contents.sessions.entrySet()),
                    slice -> changes[0] += reconcileSessions(slice, errors));
            if (errors.isEmpty()) {
                // Only a file that parsed completely says which sessions and keys are gone.
                changes[0] += loop.call(() -> removeUnwanted(contents, errors));
            }
            log.info("BFD configuration {}: {} keys, {} sessions, {} changes", what,
                    contents.keys.size(), contents.sessions.size(), changes[0]);
            errors.forEach(e -> log.error("BFD configuration {}: skipped {}", what, e));
            if (changes[0] > 0 && errors.isEmpty()) {
                try {
                    save();
                } catch (BfdException e) {
                    // The file is the operator's and what runs is what it says; only the ids we
                    // would have written into it are missing. Changes through the API will fail
                    // until the file can be written.
                    log.error("BFD configuration {}: running as the file says, but {}", what,
                            e.getMessage());
                }
            }
        }
    }

    /**
     * Runs {@code work} on the loop over {@value #CHANGES_PER_TURN} items at a time, one slice
     * per turn: between slices the loop reads packets and runs timers.
     */
    private <T> void inSlices(List<T> items, java.util.function.Consumer<List<T>> work) {
        for (int from = 0; from < items.size(); from += CHANGES_PER_TURN) {
            List<T> slice = items.subList(from, Math.min(items.size(), from + CHANGES_PER_TURN));
            loop.run(() -> work.accept(slice));
        }
    }

    /** Writes the operator's configuration as it is now, from the caller's thread. */
    private void save() {
        Saved saved = loop.call(() -> configFile != null ? captureConfig() : null);
        if (saved != null) {
            persist(saved);
        }
    }

    private int reconcileKeys(ConfigFile.Contents contents, List<String> errors) {
        int changes = 0;
        for (BfdAuthKey key : contents.keys) {
            BfdAuthKey existing = keys.get(key.id());
            if (existing == null || !existing.sameMaterial(key)) {
                try {
                    putKey(key);
                    changes++;
                } catch (BfdException e) {
                    errors.add("key " + key.id() + ": " + e.getMessage());
                }
            }
        }
        return changes;
    }

    private int reconcileSessions(List<Map.Entry<BfdSessionConfig, Long>> slice,
                                  List<String> errors) {
        int changes = 0;
        for (Map.Entry<BfdSessionConfig, Long> entry : slice) {
            BfdSessionConfig config = entry.getKey();
            try {
                Record record = byPath.get(config.path());
                if (record == null) {
                    create(config, keyFor(config), entry.getValue()).configured = true;
                    changes++;
                } else if (!record.configured || !record.config().equals(config)) {
                    BfdAuthKey key = keyFor(config);
                    record.configured = true;
                    reconfigure(record, config, key);
                    changes++;
                }
            } catch (BfdException e) {
                errors.add("session " + config.path() + ": " + e.getMessage());
            }
        }
        return changes;
    }

    /** Unconfigures the sessions and deletes the keys that {@code contents} does not name. */
    private int removeUnwanted(ConfigFile.Contents contents, List<String> errors) {
        java.util.Set<BfdPath> wanted = new java.util.HashSet<>();
        contents.sessions.keySet().forEach(c -> wanted.add(c.path()));
        int changes = 0;
        for (Record record : new ArrayList<>(sessions.values())) {
            if (record.configured && !wanted.contains(record.config().path())) {
                unconfigure(record);
                changes++;
            }
        }
        java.util.Set<Long> keyIds = new java.util.HashSet<>();
        contents.keys.forEach(k -> keyIds.add(k.id()));
        for (Long id : new ArrayList<>(keys.keySet())) {
            if (!keyIds.contains(id)) {
                try {
                    deleteKey(id);
                    changes++;
                } catch (BfdException e) {
                    errors.add("key " + id + ": " + e.getMessage());
                }
            }
        }
        return changes;
    }

    /** The operator's sessions and keys as they are now; on the loop. */
    private Saved captureConfig() {
        Map<Long, BfdSessionConfig> configured = new TreeMap<>();
        sessions.values().stream().filter(r -> r.configured)
                .forEach(r -> configured.put(r.id, r.config()));
        return new Saved(++configVersion, new ArrayList<>(keys.values()), configured);
    }

    /**
     * Runs an operator's change on the loop and, before returning, writes the resulting
     * configuration from the caller's thread: durable when the call returns, and never a file
     * write on the event loop. When the file cannot be written, the change is undone and the
     * call fails: what runs is always what a restart would restore. Operators' changes run one
     * at a time, so that undoing one never undoes another's.
     */
    private <T> T change(java.util.function.Supplier<T> change) {
        synchronized (operatorChanges) {
            Saved[] beforeAndAfter = new Saved[2];
            T result = loop.call(() -> {
                Saved before = configFile != null ? captureConfig() : null;
                T value = change.get();
                beforeAndAfter[0] = before;
                beforeAndAfter[1] = before != null ? captureConfig() : null;
                return value;
            });
            if (beforeAndAfter[1] != null) {
                try {
                    persist(beforeAndAfter[1]);
                } catch (BfdException e) {
                    loop.run(() -> revert(beforeAndAfter[0]));
                    throw e;
                }
            }
            return result;
        }
    }

    /** Puts back the operator's sessions and keys as they were; on the loop. */
    private void revert(Saved before) {
        ConfigFile.Contents contents = new ConfigFile.Contents();
        contents.keys.addAll(before.keys);
        before.sessions.forEach((id, config) -> contents.sessions.put(config, id));
        List<String> errors = new ArrayList<>();
        reconcileKeys(contents, errors);
        reconcileSessions(new ArrayList<>(contents.sessions.entrySet()), errors);
        removeUnwanted(contents, errors);
        errors.forEach(e -> log.error("BFD: undoing a change that could not be saved: {}", e));
    }

    /** Writes the configuration; a failure is the caller's, as a refusal with the reason. */
    private void persist(Saved saved) {
        ConfigFile file = configFile;
        if (file == null) {
            return;
        }
        List<String> errors = file.errorsOnDisk();
        if (!errors.isEmpty()) {
            throw BfdException.conflict("configFile", file.path() + " has " + errors.size()
                    + " error(s) to fix by hand first, so it is not rewritten: " + errors.get(0));
        }
        try {
            file.write(saved.version, saved.keys, saved.sessions);
        } catch (IOException e) {
            log.error("BFD configuration could not be saved to {}: {}", file.path(), e.toString());
            throw BfdException.unsaved(file.path().toString(), e.getMessage() != null
                    ? e.getMessage() : e.toString());
        }
    }

    /**
     * Starts the bound transports with the caller's thread as the event loop: for tests, which
     * then drive time with {@link EventLoop#runOnce()} on a fake clock.
     */
    public void activateWithoutThread() {
        loop.run(() -> {
            active = true;
            transports.forEach(this::startTransport);
        });
    }

    @Deactivate
    public void deactivate() {
        ConfigFile file = configFile;
        if (file != null) {
            file.stop();
        }
        loop.run(() -> {
            active = false;
            for (Record record : sessions.values()) {
                suspend(record); // the last word for another instance that carries it on
            }
            loop.useWaiter(null);
            polledByLoop = null;
            started.forEach(BfdTransport::stop);
            started.clear();
        });
        loop.stop();
        if (events instanceof ExecutorService) {
            ((ExecutorService) events).shutdown();
        }
        if (listenerExecutor instanceof ExecutorService) {
            ((ExecutorService) listenerExecutor).shutdown();
        }
        log.info("BFD stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void bindTransport(BfdTransport transport) {
        // On the loop, like activation's "start every bound transport": one of the two starts
        // it, never both.
        loop.run(() -> {
            if (!transports.contains(transport)) {
                transports.add(transport);
                if (active) {
                    startTransport(transport);
                }
            }
        });
    }

    public void unbindTransport(BfdTransport transport) {
        if (loop.isStopped()) {
            transports.remove(transport); // deactivated: every transport is stopped already
            return;
        }
        loop.run(() -> {
            transports.remove(transport);
            if (started.remove(transport)) {
                for (Record record : sessions.values()) {
                    if (record.transport == transport) {
                        suspend(record);
                    }
                }
                if (polledByLoop == transport) {
                    loop.useWaiter(null);
                    polledByLoop = null;
                }
                transport.stop();
                // Another transport may carry what this one did.
                sessions.values().forEach(this::attach);
            }
        });
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void bindHandoverStore(HandoverStore store) {
        handoverStore = store;
    }

    public void unbindHandoverStore(HandoverStore store) {
        if (handoverStore == store) {
            handoverStore = null;
        }
    }

    /** The loop that drives the core; transports hand received packets to it. */
    public EventLoop eventLoop() {
        return loop;
    }

    // ---------------------------------------------------------------- BfdService

    @Override
    public BfdSession addSession(BfdSessionConfig config) {
        Objects.requireNonNull(config, "config");
        return change(() -> configure(config));
    }

    /**
     * All or none, {@value #CHANGES_PER_TURN} sessions per turn of the loop, one save: 5,000
     * sessions posted at once must not stall the sessions already running.
     */
    @Override
    public List<BfdSession> addSessions(List<BfdSessionConfig> configs) {
        List<BfdSessionConfig> all = List.copyOf(configs);
        synchronized (operatorChanges) {
            loop.run(() -> checkAddable(all));
            // Filled on the loop, one slice per call: each call's completion publishes it here.
            List<BfdSession> added = new ArrayList<>(all.size());
            try {
                inSlices(all, slice -> slice.forEach(c -> added.add(configure(c))));
                save();
            } catch (BfdException e) {
                // Another caller took a path between the check and here, or the file cannot be
                // written: undo this request's part.
                loop.run(() -> added.forEach(s -> unconfigure(sessions.get(s.id()))));
                throw e;
            }
            return added;
        }
    }

    /** Refuses, naming {@code sessions[i]}, what {@link #configure} would refuse; on the loop. */
    private void checkAddable(List<BfdSessionConfig> configs) {
        checkRoomFor(configs.size());
        java.util.Set<BfdPath> seen = new java.util.HashSet<>();
        for (int i = 0; i < configs.size(); i++) {
            BfdSessionConfig config = configs.get(i);
            String at = "sessions[" + i + "].";
            if (!seen.add(config.path())) {
                throw BfdException.conflict(at + "peerAddress", config.path()
                        + " is given twice in this request");
            }
            try {
                checkNotConfigured(config);
                keyFor(config);
            } catch (BfdException e) {
                throw new BfdException(e.kind(), at + e.field(), e.getMessage());
            }
        }
    }

    private void checkNotConfigured(BfdSessionConfig config) {
        Record existing = byPath.get(config.path());
        if (existing != null && existing.configured) {
            throw BfdException.conflict("peerAddress", "session " + existing.id
                    + " already runs on " + config.path());
        }
    }

    /** Makes a new path the operator's; on the loop. */
    private BfdSession configure(BfdSessionConfig config) {
        checkNotConfigured(config);
        BfdAuthKey key = keyFor(config);
        Record existing = byPath.get(config.path());
        if (existing != null) {
            // Clients asked for this path first: the operator's configuration takes over.
            existing.configured = true;
            reconfigure(existing, config, key);
            return snapshot(existing);
        }
        Record record = create(config, key, 0);
        record.configured = true;
        return snapshot(record);
    }

    private void unconfigure(Record record) {
        if (record != null) {
            record.configured = false;
            removeIfUnclaimed(record);
        }
    }

    @Override
    public BfdSession modifySession(long id, BfdSessionConfig config) {
        Objects.requireNonNull(config, "config");
        return change(() -> {
            Record record = record(id);
            checkSamePath(record, config);
            reconfigure(record, config, keyFor(config));
            return snapshot(record);
        });
    }

    @Override
    public void removeSession(long id) {
        change(() -> {
            Record record = record(id);
            if (!record.configured) {
                throw BfdException.conflict("id", "session " + id + " is held by "
                        + record.requests.size() + " client request(s) only; it goes when they "
                        + "release it");
            }
            unconfigure(record);
            return null;
        });
    }

    @Override
    public BfdSession setAuthentication(long id, BfdAuthentication authentication,
                                        boolean delayed) {
        return change(() -> {
            Record record = record(id);
            BfdSessionConfig config = record.config().toBuilder().authentication(authentication)
                    .build();
            reconfigure(record, config, keyFor(config), delayed);
            return snapshot(record);
        });
    }

    @Override
    public BfdSession setAdminDown(long id, boolean adminDown) {
        return change(() -> {
            Record record = record(id);
            BfdSessionConfig config = record.config().toBuilder().adminDown(adminDown).build();
            reconfigure(record, config, keyFor(config));
            return snapshot(record);
        });
    }

    @Override
    public Optional<BfdSession> session(long id) {
        return loop.call(() -> Optional.ofNullable(sessions.get(id)).map(this::snapshot));
    }

    @Override
    public Optional<BfdSession> session(BfdPath path) {
        return loop.call(() -> Optional.ofNullable(byPath.get(path)).map(this::snapshot));
    }

    /**
     * Every session, snapshotted {@value #SNAPSHOTS_PER_TURN} at a time: between two slices the
     * loop reads packets and runs timers, so listing 10,000 sessions never delays a packet.
     * Each session is consistent in itself; the list is not one instant.
     */
    @Override
    public List<BfdSession> sessions() {
        List<BfdSession> all = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            List<BfdSession> slice = loop.call(() -> snapshotsAfter(from));
            all.addAll(slice);
            if (slice.size() < SNAPSHOTS_PER_TURN) {
                return all;
            }
            after = slice.get(slice.size() - 1).id();
        }
    }

    private List<BfdSession> snapshotsAfter(long id) {
        List<BfdSession> slice = new ArrayList<>(SNAPSHOTS_PER_TURN);
        for (Record record : sessions.tailMap(id, false).values()) {
            slice.add(snapshot(record));
            if (slice.size() == SNAPSHOTS_PER_TURN) {
                break;
            }
        }
        return slice;
    }

    @Override
    public BfdRequest requestSession(BfdSessionConfig config, BfdListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        return loop.call(() -> {
            Record record = byPath.get(config.path());
            if (record == null) {
                record = create(config, keyFor(config), 0);
            }
            Request request = new Request(record, listener);
            record.requests.add(request);
            return request;
        });
    }

    @Override
    public void addListener(BfdListener listener) {
        listeners.add(mailboxFor(Objects.requireNonNull(listener, "listener")));
    }

    @Override
    public void removeListener(BfdListener listener) {
        listeners.removeIf(mailbox -> mailbox.listener.equals(listener));
    }

    private ListenerMailbox mailboxFor(BfdListener listener) {
        return new ListenerMailbox(listener, listenerExecutor, clock);
    }

    @Override
    public void setKey(BfdAuthKey key) {
        Objects.requireNonNull(key, "key");
        change(() -> {
            putKey(key);
            return null;
        });
    }

    @Override
    public void removeKey(long keyId) {
        change(() -> {
            deleteKey(keyId);
            return null;
        });
    }

    private void putKey(BfdAuthKey key) {
        BfdAuthKey existing = keys.get(key.id());
        int users = users(key.id());
        if (existing != null && users > 0 && !existing.sameMaterial(key)) {
            throw BfdException.conflict("keyId", "key " + key.id() + " is used by " + users
                    + " session(s) and cannot change; give the new key another id");
        }
        if (existing == null && keys.size() >= maxKeys) {
            throw BfdException.conflict("keyId", "no room for another key: " + keys.size()
                    + " of at most " + maxKeys + " exist (maxKeys in etc/org.onosbfd.cfg)");
        }
        keys.put(key.id(), key);
    }

    private void deleteKey(long keyId) {
        if (!keys.containsKey(keyId)) {
            throw BfdException.notFound("keyId", keyId);
        }
        int users = users(keyId);
        if (users > 0) {
            throw BfdException.conflict("keyId", "key " + keyId + " is used by " + users
                    + " session(s)");
        }
        keys.remove(keyId);
    }

    @Override
    public List<BfdKeyInfo> keys() {
        return loop.call(() -> {
            List<BfdKeyInfo> all = new ArrayList<>();
            keys.values().forEach(k -> all.add(new BfdKeyInfo(k.id(), k.type(), users(k.id()))));
            return all;
        });
    }

    @Override
    public BfdStatistics statistics() {
        return loop.call(() -> {
            Map<BfdState, Integer> byState = new EnumMap<>(BfdState.class);
            for (Record record : sessions.values()) {
                byState.merge(record.core.state(), 1, Integer::sum);
            }
            Map<String, Map<String, Long>> transportCounters = new TreeMap<>();
            for (BfdTransport transport : started) {
                transportCounters.put(transport.name(), transport.counters());
            }
            // The hand-over ring between transport threads and the loop: full means lost packets.
            transportCounters.put("event-loop", Map.of("inboundOverflows", loop.overflows(),
                    "stallsExcused", loop.stallsExcused()));
            return new BfdStatistics(byState, core.counters(), transportCounters);
        });
    }

    // ---------------------------------------------------------------- on the loop

    private Record record(long id) {
        Record record = sessions.get(id);
        if (record == null) {
            throw BfdException.notFound("id", id);
        }
        return record;
    }

    private BfdAuthKey keyFor(BfdSessionConfig config) {
        if (config.authentication() == null) {
            return null;
        }
        BfdAuthKey key = keys.get(config.authentication().keyId());
        if (key == null) {
            throw BfdException.notFound("keyId", config.authentication().keyId());
        }
        return key;
    }

    private int users(long keyId) {
        int users = 0;
        for (Record record : sessions.values()) {
            if (record.config().authentication() != null
                    && record.config().authentication().keyId() == keyId) {
                users++;
            }
        }
        return users;
    }

    private static void checkSamePath(Record record, BfdSessionConfig config) {
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

    /** Sets the limits on sessions and keys (component properties); below 1 means 1. */
    void limits(int sessions, int keyCount) {
        this.maxSessions = Math.max(1, sessions);
        this.maxKeys = Math.max(1, keyCount);
    }

    /** Refuses {@code more} sessions beyond the limit; on the loop. */
    private void checkRoomFor(int more) {
        if (sessions.size() + more > maxSessions) {
            throw new BfdException(BfdException.Kind.CONFLICT, null, "no room for " + more
                    + " more session(s): " + sessions.size() + " of at most " + maxSessions
                    + " exist (maxSessions in etc/org.onosbfd.cfg)");
        }
    }

    /** A new session; {@code preferredId} (from the configuration file) is kept when free. */
    private Record create(BfdSessionConfig config, BfdAuthKey key, long preferredId) {
        checkRoomFor(1);
        long id = preferredId > 0 && !sessions.containsKey(preferredId) ? preferredId : nextId;
        nextId = Math.max(nextId, id + 1);
        Record record = new Record(id, core.add(id, config, key, clock.getAsLong()));
        record.core.attach(record);
        sessions.put(record.id, record);
        byPath.put(config.path(), record);
        attach(record);
        publish(BfdEvent.Type.SESSION_ADDED, record, record.core.state());
        return record;
    }

    private void reconfigure(Record record, BfdSessionConfig config, BfdAuthKey key) {
        reconfigure(record, config, key, false);
    }

    /** A new authentication applies at once, or, {@code delayed}, once the peer uses it. */
    private void reconfigure(Record record, BfdSessionConfig config, BfdAuthKey key,
                             boolean delayed) {
        core.reconfigure(record.core, config, key, delayed, clock.getAsLong());
    }

    private void removeIfUnclaimed(Record record) {
        if (record.claims() > 0) {
            return;
        }
        BfdSession last = snapshot(record);
        HandoverStore store = handoverStore;
        if (store != null && record.transport != null
                && record.transport.canCarry(record.config().path())) {
            // Gone for good. A session this instance no longer carries (its device's mastership
            // moved) is the new master's now: its record stays.
            store.remove(record.config().path());
        }
        core.remove(record.core);
        detach(record);
        sessions.remove(record.id);
        byPath.remove(record.config().path());
        publish(BfdEvent.Type.SESSION_REMOVED, last, last.state());
    }

    private void startTransport(BfdTransport transport) {
        if (started.contains(transport)) {
            return;
        }
        try {
            if (transport instanceof LoopPolledTransport && polledByLoop == null) {
                // The loop thread reads this transport's sockets itself: no hand-off per packet.
                loop.useWaiter(((LoopPolledTransport) transport).startOnLoop(loop));
                polledByLoop = transport;
            } else {
                transport.start(loop);
            }
        } catch (IOException | RuntimeException e) {
            log.error("BFD transport {} failed to start", transport.name(), e);
            return;
        }
        started.add(transport);
        sessions.values().forEach(this::attach);
    }

    /**
     * Gives a session without a transport the first one that can carry its path, and runs it,
     * continuing another instance's record of it if the store has one; a session no transport
     * carries is suspended.
     */
    private void attach(Record record) {
        if (record.transmitter != null) {
            return;
        }
        BfdPath path = record.config().path();
        for (BfdTransport transport : started) {
            if (transport.canCarry(path)) {
                try {
                    record.transmitter = transport.open(path);
                    record.transport = transport;
                    resume(record);
                    return;
                } catch (IOException | RuntimeException e) {
                    log.warn("BFD transport {} cannot open {}: {}", transport.name(), path,
                            e.getMessage());
                }
            }
        }
        core.suspend(record.core);
    }

    private void resume(Record record) {
        HandoverStore store = handoverStore;
        SessionHandover from = null;
        String text = store != null ? store.get(record.config().path()) : null;
        if (text != null) {
            try {
                from = SessionHandover.decode(text);
            } catch (IllegalArgumentException e) {
                log.warn("BFD session {}: ignoring its handover record: {}", record.id,
                        e.getMessage());
            }
        }
        if (core.resume(record.core, from, clock.getAsLong())) {
            log.info("BFD session {} {} continued from another instance ({}, discriminator {})",
                    record.id, record.config().path(), from.state(), from.localDiscriminator());
        }
    }

    /** Stops carrying a session, leaving its record for whoever carries it next. */
    private void suspend(Record record) {
        HandoverStore store = handoverStore;
        if (store != null && record.transmitter != null) {
            store.put(record.config().path(), record.core.handover().encode());
        }
        detach(record);
        core.suspend(record.core);
    }

    /** Re-checks which transport carries each session after a transport's set changed. */
    private void carriageChanged() {
        for (Record record : sessions.values()) {
            if (record.transport != null
                    && !record.transport.canCarry(record.config().path())) {
                log.info("BFD session {} {}: no longer carried here ({}), suspended", record.id,
                        record.config().path(), record.transport.name());
                suspend(record);
            }
        }
        sessions.values().forEach(this::attach);
    }

    private static void detach(Record record) {
        if (record.transmitter != null) {
            record.transmitter.close();
        }
        record.transmitter = null;
        record.transport = null;
    }

    private BfdSession snapshot(Record record) {
        return record.core.snapshotBuilder(this::wallTime)
                .clients(record.claims())
                .transport(record.transport != null ? record.transport.name() : "none")
                .build();
    }

    private Instant wallTime(long monotonicNanos) {
        return Instant.ofEpochSecond(0, wallOffsetNanos + monotonicNanos);
    }

    private void publish(BfdEvent.Type type, Record record, BfdState previous) {
        publish(type, snapshot(record), previous);
    }

    private void publish(BfdEvent.Type type, BfdSession session, BfdState previous) {
        Record record = sessions.get(session.id());
        List<ListenerMailbox> targets = new ArrayList<>(listeners);
        if (record != null) {
            record.requests.forEach(r -> targets.add(r.mailbox));
        }
        outbox.publish(new BfdEvent(type, session, previous, wallTime(clock.getAsLong())),
                targets);
    }

    /** The core's requests, answered on the loop. */
    private final class Output implements CoreOutput {
        @Override
        public void transmit(CoreSession session, ByteBuffer packet) {
            BfdTransmitter transmitter = ((Record) session.attachment()).transmitter;
            if (transmitter != null) {
                transmitter.send(packet);
            }
        }

        @Override
        public boolean transmitEcho(CoreSession session, ByteBuffer packet) {
            BfdTransmitter transmitter = ((Record) session.attachment()).transmitter;
            return transmitter != null && transmitter.sendEcho(packet);
        }

        @Override
        public void peerDiagnosticChanged(CoreSession session, long now) {
            publish(BfdEvent.Type.PEER_DIAGNOSTIC_CHANGED, (Record) session.attachment(),
                    session.state());
        }

        @Override
        public void stateChanged(CoreSession session, BfdState oldState, long now) {
            // Logged with the event, off the loop (SessionEventOutbox).
            publish(BfdEvent.Type.STATE_CHANGED, (Record) session.attachment(), oldState);
            HandoverStore store = handoverStore;
            if (store != null) {
                store.put(session.config().path(), session.handover().encode());
            }
        }
    }

    /** What the event loop drives. */
    private final class Driven implements EventLoop.Driven {
        @Override
        public void controlPacket(ByteBuffer packet, BfdRxMeta meta, long now) {
            core.receive(packet, meta, now);
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
            BfdManager.this.carriageChanged();
        }
    }
}
