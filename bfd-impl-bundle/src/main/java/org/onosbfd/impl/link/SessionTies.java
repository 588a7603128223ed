package org.onosbfd.impl.link;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.BfdSession;
import org.onosproject.net.DefaultAnnotations;
import org.onosproject.net.Link;
import org.onosproject.net.LinkKey;
import org.onosproject.net.config.NetworkConfigService;
import org.onosproject.net.config.basics.PortAnnotationConfig;
import org.onosproject.net.link.DefaultLinkDescription;
import org.onosproject.net.link.LinkProvider;
import org.onosproject.net.link.LinkProviderRegistry;
import org.onosproject.net.link.LinkProviderService;
import org.onosproject.net.link.LinkService;
import org.onosproject.net.provider.AbstractProvider;
import org.onosproject.net.provider.ProviderId;

/**
 * Shows the state of sessions with external peers on the ports and links an operator tied them
 * to ({@link SessionTie}): annotation {@code bfd.<peer>} = {@code up}, {@code down},
 * {@code init} or {@code admin-down}, removed with the session or the tie.
 *
 * <p>A port's annotation goes through ONOS's port annotation configuration
 * ({@code ports/<cp>/annotations}), which ONOS's device manager merges into the port; a link's
 * through this provider's {@code linkDetected}, only for a link that exists (an annotation never
 * creates a link). Annotations only: a tied session's verdict does not remove anything from the
 * model (that is auto mode's job, for the links it runs).
 *
 * <p>Every method runs on {@code executor}, one task at a time.
 */
final class SessionTies extends AbstractProvider implements LinkProvider, BfdListener {
    static final ProviderId PROVIDER_ID = new ProviderId("bfd-ties", "org.onosbfd.ties");

    private final BfdService bfd;
    private final NetworkConfigService netcfg;
    private final LinkService links;
    private final LinkProviderRegistry registry;
    private final Executor executor;
    private LinkProviderService providerService;
    private List<SessionTie> ties = List.of();

    SessionTies(BfdService bfd, NetworkConfigService netcfg, LinkService links,
                LinkProviderRegistry registry, Executor executor) {
        super(PROVIDER_ID);
        this.bfd = bfd;
        this.netcfg = netcfg;
        this.links = links;
        this.registry = registry;
        this.executor = executor;
    }

    void start(List<SessionTie> initial) {
        executor.execute(() -> {
            providerService = registry.register(this);
            bfd.addListener(this);
            apply(initial);
        });
    }

    void stop() {
        executor.execute(() -> {
            bfd.removeListener(this);
            apply(List.of());
            registry.unregister(this);
            providerService = null;
        });
    }

    void update(List<SessionTie> newTies) {
        executor.execute(() -> apply(newTies));
    }

    @Override
    public void event(BfdEvent event) {
        executor.execute(() -> {
            BfdSession session = event.session();
            for (SessionTie tie : ties) {
                if (tie.matches(session.config().path())) {
                    annotate(tie, event.type() == BfdEvent.Type.SESSION_REMOVED ? null
                            : label(session));
                }
            }
        });
    }

    /** Clears the annotations of ties that go, and sets those of every tie now configured. */
    private void apply(List<SessionTie> newTies) {
        for (SessionTie old : ties) {
            if (!newTies.contains(old)) {
                annotate(old, null);
            }
        }
        ties = List.copyOf(newTies);
        for (SessionTie tie : ties) {
            annotate(tie, bfd.sessions().stream().filter(s -> tie.matches(s.config().path()))
                    .findFirst().map(SessionTies::label).orElse(null));
        }
    }

    private static String label(BfdSession session) {
        return session.state().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Sets the tie's annotation to {@code value}, or removes it for null. */
    private void annotate(SessionTie tie, String value) {
        if (tie.port != null) {
            PortAnnotationConfig config = netcfg.getConfig(tie.port, PortAnnotationConfig.class);
            if (config == null) {
                if (value == null) {
                    return;
                }
                config = netcfg.addConfig(tie.port, PortAnnotationConfig.class);
            }
            if (value == null) {
                config.annotation(tie.annotationKey());
            } else {
                config.annotation(tie.annotationKey(), value);
            }
            netcfg.applyConfig(tie.port, PortAnnotationConfig.class, config.node());
        } else if (providerService != null) {
            for (LinkKey direction : LinkLiveness.bothDirections(tie.link)) {
                if (links.getLink(direction.src(), direction.dst()) == null) {
                    continue;
                }
                DefaultAnnotations.Builder annotations = DefaultAnnotations.builder();
                if (value == null) {
                    annotations.remove(tie.annotationKey());
                } else {
                    annotations.set(tie.annotationKey(), value);
                }
                providerService.linkDetected(new DefaultLinkDescription(direction.src(),
                        direction.dst(), Link.Type.DIRECT, annotations.build()));
            }
        }
    }
}
