package org.onosbfd.impl.link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdRequest;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.BfdState;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.DefaultAnnotations;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Link;
import org.onosproject.net.LinkKey;
import org.onosproject.net.link.DefaultLinkDescription;
import org.onosproject.net.link.LinkEvent;
import org.onosproject.net.link.LinkListener;
import org.onosproject.net.link.LinkProvider;
import org.onosproject.net.link.LinkProviderRegistry;
import org.onosproject.net.link.LinkProviderService;
import org.onosproject.net.link.LinkService;
import org.onosproject.net.provider.AbstractProvider;
import org.onosproject.net.provider.ProviderId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto mode: BFD on every infrastructure link ONOS knows, reported into the link model.
 *
 * <p>For each direct link between two devices the controller runs a session pair, one session
 * at each port, through the punted transport (it emulates both ends, with addresses from
 * {@link AutoModeSettings}'s pool). The sessions are RFC 5882 client requests, not operator
 * configuration: they come and go with the links.
 *
 * <h2>The rule with LLDP</h2>
 * <ol>
 *   <li><b>BFD acts only on transitions it saw.</b> A session that goes from Up to Down
 *       (detection expired, or the peer signalled Down; not AdminDown, which RFC 5882 §3.2 says
 *       is no failure; nor is the silence of a session this instance took over from another
 *       and never heard) makes BFD report the link gone in both directions with
 *       {@link LinkProviderService#linkVanished}, and hold it.</li>
 *   <li><b>A held link stays out.</b> The hold is the link's {@code basic} network
 *       configuration with {@code allowed: false} ({@link LinkHolds}); ONOS's link manager
 *       then ignores LLDP's re-detections, so a link BFD holds Down cannot flap back.</li>
 *   <li><b>BFD only restores what it removed.</b> When every session of a held link is Up
 *       again, BFD releases the hold and reports the link with {@code linkDetected}. A link that
 *       LLDP (or anyone else) removed while BFD had not declared it dead is not BFD's: its
 *       sessions are closed and BFD never re-adds it; if LLDP finds it again, auto mode starts
 *       new sessions for it.</li>
 * </ol>
 * Links the sessions see Up carry the annotation {@value #ANNOTATION}{@code =up}.
 *
 * <p>In a cluster, an instance runs only the sessions at ports of devices it masters
 * ({@code runsHere}); mastership changes move them.
 *
 * <p>Every method runs on {@code executor}, one task at a time, so no state is shared between
 * threads; ONOS's and BFD's listener threads hand their events over to it.
 */
public final class LinkLiveness extends AbstractProvider implements LinkProvider {
    /** Our own scheme: ONOS allows one primary link provider per scheme (LLDP's is "lldp"). */
    public static final ProviderId PROVIDER_ID = new ProviderId("bfd", "org.onosbfd.link");
    /** The link annotation with BFD's verdict. */
    public static final String ANNOTATION = "bfd";

    private static final Logger log = LoggerFactory.getLogger(LinkLiveness.class);

    /** The session pair of one link; {@code ends} holds the ends this instance runs. */
    private final class Pair {
        final LinkKey key;
        final Map<ConnectPoint, End> ends = new HashMap<>();
        boolean held;

        Pair(LinkKey key) {
            this.key = key;
        }

        boolean allUp() {
            return !ends.isEmpty() && ends.values().stream().allMatch(e -> e.state == BfdState.UP);
        }
    }

    /** One session of a pair, and the client listener that hears it (RFC 5882). */
    private final class End implements BfdListener {
        final Pair pair;
        final ConnectPoint port;
        BfdRequest request;
        BfdState state = BfdState.DOWN;

        End(Pair pair, ConnectPoint port) {
            this.pair = pair;
            this.port = port;
        }

        @Override
        public void event(BfdEvent event) {
            if (event.type() == BfdEvent.Type.STATE_CHANGED) {
                executor.execute(() -> stateChanged(this, event));
            }
        }
    }

    private final BfdService bfd;
    private final LinkService links;
    private final LinkProviderRegistry registry;
    private final LinkHolds holds;
    private final Predicate<DeviceId> runsHere;
    private final Executor executor;
    private final LinkListener linkListener;
    private final Map<LinkKey, Pair> pairs = new HashMap<>();
    private LinkProviderService providerService;
    private AutoModeSettings settings = AutoModeSettings.DEFAULT;

    /**
     * @param runsHere whether this instance runs the sessions at a device's ports (its master)
     * @param executor runs every task of this object, one at a time
     */
    public LinkLiveness(BfdService bfd, LinkService links, LinkProviderRegistry registry,
                        LinkHolds holds, Predicate<DeviceId> runsHere, Executor executor) {
        super(PROVIDER_ID);
        this.bfd = bfd;
        this.links = links;
        this.registry = registry;
        this.holds = holds;
        this.runsHere = runsHere;
        this.executor = executor;
        this.linkListener = event -> executor.execute(() -> linkEvent(event));
    }

    /** Registers the provider, releases a previous run's holds and applies the settings. */
    public void start(AutoModeSettings initial) {
        executor.execute(() -> {
            providerService = registry.register(this);
            holds.releaseLeftovers();
            links.addListener(linkListener);
            apply(initial);
        });
    }

    /** Closes every session, releases every hold and unregisters. */
    public void stop() {
        executor.execute(() -> {
            links.removeListener(linkListener);
            closeAll();
            holds.releaseAll();
            registry.unregister(this);
            providerService = null;
        });
    }

    /** New settings: the sessions are rebuilt (held links stay held until seen Up). */
    public void update(AutoModeSettings newSettings) {
        executor.execute(() -> apply(newSettings));
    }

    /** A device's mastership moved: start or stop the sessions at its ports. */
    public void mastershipChanged(DeviceId device) {
        executor.execute(() -> {
            for (Pair pair : List.copyOf(pairs.values())) {
                if (pair.key.src().deviceId().equals(device)
                        || pair.key.dst().deviceId().equals(device)) {
                    openEnds(pair);
                }
            }
        });
    }

    private void apply(AutoModeSettings newSettings) {
        boolean rebuild = !newSettings.equals(settings) || pairs.isEmpty();
        settings = newSettings;
        log.info("BFD link liveness: {}", settings);
        if (!rebuild) {
            return;
        }
        closeAll();
        if (!settings.isEnabled()) {
            holds.releaseAll();
            return;
        }
        for (LinkKey key : holds.held()) {
            pair(key).held = true;
        }
        for (Link link : links.getLinks()) {
            if (eligible(link)) {
                pair(canonical(link.src(), link.dst()));
            }
        }
    }

    // ---------------------------------------------------------------- link model events

    private void linkEvent(LinkEvent event) {
        Link link = event.subject();
        if (!settings.isEnabled() || !eligible(link)) {
            return;
        }
        LinkKey key = canonical(link.src(), link.dst());
        if (event.type() == LinkEvent.Type.LINK_REMOVED) {
            Pair pair = pairs.get(key);
            // Held: BFD removed it (or ONOS did, enforcing the hold). Otherwise the link is
            // not BFD's any more once neither direction is left (rule 3).
            if (pair != null && !pair.held && links.getLink(key.src(), key.dst()) == null
                    && links.getLink(key.dst(), key.src()) == null) {
                close(pair);
            }
        } else if (link.state() == Link.State.ACTIVE) {
            pair(key);
        }
    }

    /** Direct links between two devices: what LLDP/BDDP discover between switches. */
    private static boolean eligible(Link link) {
        return link.type() == Link.Type.DIRECT && link.src().elementId() instanceof DeviceId
                && link.dst().elementId() instanceof DeviceId;
    }

    /** A link's two directions: the key as given, then its reverse. */
    static LinkKey[] bothDirections(LinkKey key) {
        return new LinkKey[] {key, LinkKey.linkKey(key.dst(), key.src())};
    }

    /** One key per link whichever direction names it: the connect points in string order. */
    private static LinkKey canonical(ConnectPoint a, ConnectPoint b) {
        return a.toString().compareTo(b.toString()) <= 0
                ? LinkKey.linkKey(a, b) : LinkKey.linkKey(b, a);
    }

    private Pair pair(LinkKey key) {
        Pair pair = pairs.computeIfAbsent(key, Pair::new);
        openEnds(pair);
        return pair;
    }

    /** Opens the ends this instance should run and closes those it no longer should. */
    private void openEnds(Pair pair) {
        for (ConnectPoint port : new ConnectPoint[] {pair.key.src(), pair.key.dst()}) {
            End end = pair.ends.get(port);
            boolean wanted = runsHere.test(port.deviceId());
            if (wanted && end == null) {
                ConnectPoint other = port.equals(pair.key.src()) ? pair.key.dst() : pair.key.src();
                end = new End(pair, port);
                try {
                    end.request = bfd.requestSession(settings.sessionAt(port, other), end);
                    end.state = end.request.session().state();
                    pair.ends.put(port, end);
                } catch (BfdException e) {
                    log.warn("BFD link liveness cannot run a session at {}: {}", port,
                            e.getMessage());
                }
            } else if (!wanted && end != null) {
                end.request.close();
                pair.ends.remove(port);
            }
        }
    }

    private void close(Pair pair) {
        pair.ends.values().forEach(end -> end.request.close());
        pair.ends.clear();
        pairs.remove(pair.key);
    }

    private void closeAll() {
        new ArrayList<>(pairs.values()).forEach(this::close);
    }

    // ---------------------------------------------------------------- BFD verdicts

    private void stateChanged(End end, BfdEvent event) {
        if (pairs.get(end.pair.key) != end.pair || end.pair.ends.get(end.port) != end) {
            return; // an event of a session closed since
        }
        end.state = event.state();
        Pair pair = end.pair;
        boolean failed = event.previousState() == BfdState.UP && event.state() == BfdState.DOWN
                // RFC 5882 §3.2: a peer going AdminDown is not a forwarding failure.
                && event.session().remoteState() != BfdState.ADMIN_DOWN
                // A session continued from another instance's record that never heard its
                // peer here proves nothing about the link: the record may be stale.
                && event.session().counters().rxPackets() > 0;
        if (failed && !pair.held) {
            log.warn("BFD: link {} <-> {} is down ({} at {})", pair.key.src(), pair.key.dst(),
                    event.diagnostic().description(), end.port);
            pair.held = true; // first: the removals this causes are ours (rule 3)
            report(pair, false);
            holds.hold(pair.key);
        } else if (event.state() == BfdState.UP && pair.allUp()) {
            if (pair.held) {
                log.info("BFD: link {} <-> {} is up again", pair.key.src(), pair.key.dst());
                holds.release(pair.key);
                pair.held = false;
                report(pair, true);
            } else if (links.getLink(pair.key.src(), pair.key.dst()) != null) {
                report(pair, true); // annotate the link LLDP reported
            }
        }
    }

    /** Both directions: {@code linkDetected} with our annotation, or {@code linkVanished}. */
    private void report(Pair pair, boolean alive) {
        if (providerService == null) {
            return;
        }
        DefaultAnnotations annotations = DefaultAnnotations.builder()
                .set(ANNOTATION, "up").build();
        for (LinkKey direction : bothDirections(pair.key)) {
            DefaultLinkDescription description = new DefaultLinkDescription(direction.src(),
                    direction.dst(), Link.Type.DIRECT, annotations);
            if (alive) {
                providerService.linkDetected(description);
            } else {
                providerService.linkVanished(description);
            }
        }
    }
}
