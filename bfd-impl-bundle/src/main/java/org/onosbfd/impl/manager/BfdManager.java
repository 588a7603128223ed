package org.onosbfd.impl.manager;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdRequest;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdStatistics;
import org.onosbfd.api.spi.BfdTransport;
import org.onosbfd.impl.handover.HandoverStore;
import org.onosbfd.impl.handover.OnosHandoverStore;
import org.onosbfd.impl.link.LinkLivenessComponent;
import org.onosbfd.impl.punt.PuntTransportComponent;
import org.onosbfd.impl.runtime.EventLoop;
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
 * The BFD service as an OSGi component: its lifecycle and a thin facade. The work is done by
 * three parts, each on one thread: the {@link SessionRegistry} (sessions, claims, keys, the
 * protocol core and event fan-out) and the {@link Carriage} (which transport carries each
 * session, handover) on the {@link EventLoop}; the {@link OperatorConfiguration} (changes made
 * durable in {@code etc/bfd.json}) on the callers' threads.
 *
 * <p>API calls are commands run on the loop, so each one is atomic and either completes or
 * throws {@link BfdException} with nothing changed. Listeners are called on threads of their
 * own so that a slow listener never delays a packet.
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

        @AttributeDefinition(description = "Shortest time between two readings of input by "
                + "the event loop, µs (0-10000), and the most a periodic packet may go before "
                + "its time (at most 5 % of its interval, within RFC 5880's jitter): fewer "
                + "wake-ups and larger batches of system calls under load. Timers, Downs "
                + "included, run at their time")
        int turnSpacingMicros() default (int) (EventLoop.DEFAULT_TURN_SPACING_NANOS / 1000);

        @AttributeDefinition(description = "How long a session that came Up keeps sending at "
                + "the slow rate of 1 s before it polls to its configured intervals, ms, counted "
                + "again from any lateness of ours meanwhile (a JVM warming up, a stalled host): "
                + "the peer then gives us seconds, not milliseconds, while we are most likely "
                + "to be late. 0: the configured intervals at once")
        int upSettleMillis() default DEFAULT_UP_SETTLE_MILLIS;

        @AttributeDefinition(description = "The most sessions at once (configured and requested "
                + "by clients); more are refused with a clear error")
        int maxSessions() default SessionRegistry.DEFAULT_MAX_SESSIONS;

        @AttributeDefinition(description = "The most authentication keys")
        int maxKeys() default KeyRing.DEFAULT_MAX_KEYS;
    }


    /** See {@link Config#upSettleMillis}. */
    static final int DEFAULT_UP_SETTLE_MILLIS = 5_000;

    /** The largest turn spacing accepted: a tenth of the shortest interval we run well at. */
    private static final int MAX_TURN_SPACING_MICROS = 10_000;

    /**
     * The components that need an API this bundle imports optionally, each with a class of that
     * API: they are enabled only when it is wired in, so that a plain Karaf loads no ONOS class
     * and no bundle waits for a service that will never come.
     */
    static final String[][] OPTIONAL_COMPONENTS = {
        {PuntTransportComponent.NEEDS, PuntTransportComponent.NAME},
        {LinkLivenessComponent.NEEDS, LinkLivenessComponent.NAME},
        {OnosHandoverStore.NEEDS, OnosHandoverStore.NAME},
        {EventAdminPublisher.NEEDS, EventAdminPublisher.NAME},
    };

    private final Executor events;
    private final Executor listenerExecutor;
    private final SessionRegistry registry;
    private final Carriage carriage;
    private final OperatorConfiguration configuration;
    private final EventLoop loop;

    /**
     * The OSGi constructor: real clocks, a secure random source, an event thread, and threads
     * for listeners as they need them (a blocked listener holds one, no other listener).
     * Sessions settle after Up as the component property's default says, also where no
     * configuration is given (the embedded and ONOS-core tests).
     */
    public BfdManager() {
        this(System::nanoTime, Clock.systemUTC(), new SecureRandom(),
                Executors.newSingleThreadScheduledExecutor(daemons("bfd-events")),
                Executors.newCachedThreadPool(daemons("bfd-listener")));
        registry.settleAfterUp(DEFAULT_UP_SETTLE_MILLIS * 1_000_000L);
    }

    private static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A fake monotonic clock, a seeded random source and a direct executor make the whole
     * service deterministic (tests: {@code ManagerHarness}).
     */
    BfdManager(LongSupplier clock, Clock wallClock, Random random, Executor events) {
        this(clock, wallClock, random, events, events);
    }

    private BfdManager(LongSupplier clock, Clock wallClock, Random random, Executor events,
                       Executor listenerExecutor) {
        this.events = events;
        this.listenerExecutor = listenerExecutor;
        this.registry = new SessionRegistry(clock, wallClock, random, events, listenerExecutor);
        this.carriage = registry.carriage();
        this.loop = registry.loop();
        this.configuration = new OperatorConfiguration(loop, registry);
    }

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
        long spacingNanos = spacing * 1000L;
        if (spacing < 0 || spacing > MAX_TURN_SPACING_MICROS) {
            log.warn("BFD: turnSpacingMicros {} is outside 0-{}; using {}", spacing,
                    MAX_TURN_SPACING_MICROS, EventLoop.DEFAULT_TURN_SPACING_NANOS / 1000);
            spacingNanos = EventLoop.DEFAULT_TURN_SPACING_NANOS;
        }
        turnSpacing(spacingNanos);
        settleAfterUp(Math.max(0, config.upSettleMillis()));
        activate();
    }

    /**
     * Input is read at most every {@code nanos}, and periodic packets may go up to as much
     * early (at most 5 % of their interval), so that under load one wake-up sends a batch.
     */
    private void turnSpacing(long nanos) {
        loop.turnSpacing(nanos);
        loop.run(() -> registry.transmitWindow(nanos));
    }

    /** How long sessions settle after Up ({@link Config#upSettleMillis}), ms. */
    void settleAfterUp(int millis) {
        loop.run(() -> registry.settleAfterUp(millis * 1_000_000L));
    }

    /** Sets the limits on sessions and keys (component properties); below 1 means 1. */
    void limits(int sessions, int keys) {
        loop.run(() -> registry.limits(sessions, keys));
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
            persistIn(Paths.get(file));
        }
    }

    /** Keeps the operator's configuration in this file; call before {@link #activate()}. */
    void persistIn(Path file) {
        configuration.keepIn(new ConfigFile(file));
    }

    /**
     * Starts the service on its own loop thread; with a configuration file, restores it. For
     * embedding outside OSGi too.
     */
    public void activate() {
        loop.start();
        try {
            startOnCallerThread();
            configuration.restore();
        } catch (RuntimeException | Error e) {
            // Nothing half-started may keep running (sending) behind a failed activation.
            log.error("BFD failed to start; stopping what had started", e);
            deactivate();
            throw e;
        }
        log.info("BFD started");
    }

    /**
     * Starts the bound transports; before {@link EventLoop#start()}, the caller's thread is the
     * loop (tests drive time with {@link EventLoop#runOnce()} on a fake clock).
     */
    void startOnCallerThread() {
        loop.run(carriage::start);
    }

    /** The loop that drives the core; transports get it when they start. */
    EventLoop loop() {
        return loop;
    }

    @Deactivate
    public void deactivate() {
        configuration.stop();
        loop.run(carriage::stop);
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
        loop.run(() -> carriage.bind(transport));
    }

    public void unbindTransport(BfdTransport transport) {
        if (loop.isStopped()) {
            return; // deactivated: every transport is stopped already
        }
        loop.run(() -> carriage.unbind(transport));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void bindHandoverStore(HandoverStore store) {
        carriage.handoverStore(store);
    }

    public void unbindHandoverStore(HandoverStore store) {
        if (carriage.handoverStore() == store) {
            carriage.handoverStore(null);
        }
    }

    // ---------------------------------------------------------------- BfdService

    @Override
    public BfdSession addSession(BfdSessionConfig config) {
        Objects.requireNonNull(config, "config");
        return configuration.change(() -> registry.configure(config));
    }

    @Override
    public List<BfdSession> addSessions(List<BfdSessionConfig> configs) {
        return configuration.addAll(configs);
    }

    @Override
    public BfdSession modifySession(long id, BfdSessionConfig config) {
        Objects.requireNonNull(config, "config");
        return configuration.change(() -> registry.modify(id, config));
    }

    @Override
    public void removeSession(long id) {
        configuration.change(() -> {
            registry.removeConfigured(id);
            return null;
        });
    }

    @Override
    public BfdSession setAuthentication(long id, BfdAuthentication authentication,
                                        boolean delayed) {
        return configuration.change(() -> registry.authenticate(id, authentication, delayed));
    }

    @Override
    public BfdSession setAdminDown(long id, boolean adminDown) {
        return configuration.change(() -> registry.adminDown(id, adminDown));
    }

    @Override
    public Optional<BfdSession> session(long id) {
        return loop.call(() -> Optional.ofNullable(registry.find(id)).map(registry::snapshot));
    }

    @Override
    public Optional<BfdSession> session(BfdPath path) {
        return loop.call(() -> Optional.ofNullable(registry.record(path))
                .map(registry::snapshot));
    }

    /**
     * Every session, snapshotted {@value SessionRegistry#SNAPSHOTS_PER_TURN} at a time: between
     * two slices the loop reads packets and runs timers, so listing 10,000 sessions never delays
     * a packet. Each session is consistent in itself; the list is not one instant.
     */
    @Override
    public List<BfdSession> sessions() {
        List<BfdSession> all = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            List<BfdSession> slice = loop.call(() -> registry.snapshotsAfter(from));
            all.addAll(slice);
            if (slice.size() < SessionRegistry.SNAPSHOTS_PER_TURN) {
                return all;
            }
            after = slice.get(slice.size() - 1).id();
        }
    }

    @Override
    public BfdRequest requestSession(BfdSessionConfig config, BfdListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        return loop.call(() -> registry.request(config, listener));
    }

    @Override
    public void addListener(BfdListener listener) {
        registry.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(BfdListener listener) {
        registry.removeListener(listener);
    }

    @Override
    public void setKey(BfdAuthKey key) {
        Objects.requireNonNull(key, "key");
        configuration.change(() -> {
            registry.keys().putKey(key);
            return null;
        });
    }

    @Override
    public void removeKey(long keyId) {
        configuration.change(() -> {
            registry.keys().deleteKey(keyId);
            return null;
        });
    }

    @Override
    public List<BfdKeyInfo> keys() {
        return loop.call(registry.keys()::keyInfos);
    }

    @Override
    public BfdStatistics statistics() {
        return loop.call(registry::statistics);
    }

    @Override
    public void clearCounters() {
        loop.run(registry::clearCounters);
    }

    @Override
    public void clearCounters(long id) {
        loop.run(() -> registry.record(id).core.clearCounters());
    }
}
