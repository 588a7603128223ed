package org.onosbfd.impl.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.DefaultAnnotations;
import org.onosproject.net.DefaultLink;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Link;
import org.onosproject.net.LinkKey;
import org.onosproject.net.config.Config;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigListener;
import org.onosproject.net.config.NetworkConfigRegistryAdapter;
import org.onosproject.net.config.basics.BasicLinkConfig;
import org.onosproject.net.config.basics.PortAnnotationConfig;
import org.onosproject.net.link.DefaultLinkDescription;
import org.onosproject.net.link.LinkDescription;
import org.onosproject.net.link.LinkEvent;
import org.onosproject.net.link.LinkListener;
import org.onosproject.net.link.LinkProvider;
import org.onosproject.net.link.LinkProviderRegistry;
import org.onosproject.net.link.LinkProviderService;
import org.onosproject.net.link.LinkServiceAdapter;
import org.onosproject.net.provider.AbstractProviderService;
import org.onosproject.net.provider.ProviderId;

/**
 * ONOS's link subsystem as a link provider sees it, with the behaviour of ONOS 2.7's
 * {@code LinkManager} that the BFD provider relies on: a link whose {@code basic} configuration
 * says {@code allowed: false} is refused from every provider, and such a configuration removes
 * the link in both directions; a vanished link is removed whoever reported it. Every provider
 * call is logged with the fake clock's time. Not thread-safe beyond its providers and
 * listeners: tests drive it from one thread at a time. Test-only.
 */
final class EmulatedTopology extends LinkServiceAdapter implements LinkProviderRegistry {
    /** One provider call: who, what, which direction, when. */
    static final class Call {
        final ProviderId provider;
        final boolean detected;
        final LinkKey direction;
        final long time;

        Call(ProviderId provider, boolean detected, LinkKey direction, long time) {
            this.provider = provider;
            this.detected = detected;
            this.direction = direction;
            this.time = time;
        }

        @Override
        public String toString() {
            return provider.scheme() + (detected ? " detected " : " vanished ") + direction;
        }
    }

    static final ProviderId LLDP = new ProviderId("lldp", "org.onosproject.provider.lldp");

    private final LongSupplier clock;
    private final Map<LinkKey, Link> links = new LinkedHashMap<>();
    // Read by tests while a component's own thread registers and listens.
    private final List<LinkListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ProviderId, LinkProviderService> providers = new ConcurrentHashMap<>();
    final List<Call> calls = new ArrayList<>();
    final List<LinkEvent> events = new ArrayList<>();
    final Netcfg netcfg = new Netcfg();

    EmulatedTopology(LongSupplier clock) {
        this.clock = clock;
    }

    /** The LLDP provider's service, as the LLDP provider would hold it. */
    LinkProviderService lldp() {
        return providers.computeIfAbsent(LLDP, Service::new);
    }

    /** LLDP discovers a link in both directions. */
    void lldpDiscovers(ConnectPoint a, ConnectPoint b) {
        lldp().linkDetected(new DefaultLinkDescription(a, b,
                Link.Type.DIRECT));
        lldp().linkDetected(new DefaultLinkDescription(b, a,
                Link.Type.DIRECT));
    }

    List<Call> calls(ProviderId provider, boolean detected) {
        List<Call> matching = new ArrayList<>();
        for (Call call : calls) {
            if (call.provider.equals(provider) && call.detected == detected) {
                matching.add(call);
            }
        }
        return matching;
    }

    // ---------------------------------------------------------------- LinkService

    @Override
    public Iterable<Link> getLinks() {
        return List.copyOf(links.values());
    }

    @Override
    public int getLinkCount() {
        return links.size();
    }

    @Override
    public Link getLink(ConnectPoint src, ConnectPoint dst) {
        return links.get(LinkKey.linkKey(src, dst));
    }

    @Override
    public Set<Link> getDeviceLinks(DeviceId deviceId) {
        Set<Link> result = new HashSet<>();
        for (Link link : links.values()) {
            if (link.src().deviceId().equals(deviceId) || link.dst().deviceId().equals(deviceId)) {
                result.add(link);
            }
        }
        return result;
    }

    @Override
    public void addListener(LinkListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(LinkListener listener) {
        listeners.remove(listener);
    }

    int listeners() {
        return listeners.size();
    }

    private void post(LinkEvent event) {
        events.add(event);
        new ArrayList<>(listeners).forEach(l -> l.event(event));
    }

    // ---------------------------------------------------------------- LinkProviderRegistry

    @Override
    public LinkProviderService register(LinkProvider provider) {
        if (providers.containsKey(provider.id())) {
            throw new IllegalStateException("Provider " + provider.id() + " already registered");
        }
        LinkProviderService service = new Service(provider.id());
        providers.put(provider.id(), service);
        return service;
    }

    @Override
    public void unregister(LinkProvider provider) {
        providers.remove(provider.id());
    }

    @Override
    public Set<ProviderId> getProviders() {
        return Set.copyOf(providers.keySet());
    }

    private boolean allowed(ConnectPoint src, ConnectPoint dst) {
        return netcfg.allowed(LinkKey.linkKey(src, dst)) && netcfg.allowed(LinkKey.linkKey(dst, src));
    }

    private void remove(ConnectPoint src, ConnectPoint dst) {
        Link removed = links.remove(LinkKey.linkKey(src, dst));
        if (removed != null) {
            post(new LinkEvent(LinkEvent.Type.LINK_REMOVED, removed));
        }
    }

    private void add(ProviderId provider, LinkDescription description) {
        LinkKey key = LinkKey.linkKey(description.src(), description.dst());
        Link old = links.get(key);
        // The store merges every provider's annotations (a removal marker removes a key).
        DefaultAnnotations annotations = DefaultAnnotations.merge(old == null
                ? DefaultAnnotations.builder().build() : (DefaultAnnotations) old.annotations(),
                description.annotations());
        Link link = DefaultLink.builder().providerId(old != null ? old.providerId() : provider)
                .src(description.src()).dst(description.dst()).type(description.type())
                .state(Link.State.ACTIVE).annotations(annotations).build();
        links.put(key, link);
        if (old == null) {
            post(new LinkEvent(LinkEvent.Type.LINK_ADDED, link));
        } else if (!old.annotations().equals(annotations)) {
            post(new LinkEvent(LinkEvent.Type.LINK_UPDATED, link));
        }
    }

    /** A provider's view of the link subsystem (LinkManager's InternalLinkProviderService). */
    private final class Service extends AbstractProviderService<LinkProvider>
            implements LinkProviderService {
        private final ProviderId id;

        Service(ProviderId id) {
            super(null);
            this.id = id;
        }

        @Override
        public void linkDetected(LinkDescription description) {
            calls.add(new Call(id, true, LinkKey.linkKey(description.src(), description.dst()),
                    clock.getAsLong()));
            if (allowed(description.src(), description.dst())) {
                add(id, description);
            }
        }

        @Override
        public void linkVanished(LinkDescription description) {
            calls.add(new Call(id, false, LinkKey.linkKey(description.src(), description.dst()),
                    clock.getAsLong()));
            remove(description.src(), description.dst());
        }

        @Override
        public void linksVanished(ConnectPoint connectPoint) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void linksVanished(DeviceId deviceId) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Network configuration (any subject and class), with its listeners and factories, and
     * LinkManager's reaction to links' basic configuration.
     */
    final class Netcfg extends NetworkConfigRegistryAdapter {
        private final ObjectMapper mapper = new ObjectMapper();
        private final Map<Class<?>, Map<Object, JsonNode>> configs = new HashMap<>();
        final Map<LinkKey, JsonNode> basic = store(BasicLinkConfig.class);
        final Map<Object, JsonNode> portAnnotations = store(PortAnnotationConfig.class);
        final Set<ConfigFactory> factories = new HashSet<>();
        final List<NetworkConfigListener> listeners = new ArrayList<>();

        boolean allowed(LinkKey key) {
            JsonNode node = basic.get(key);
            return node == null || node.path("allowed").asBoolean(true);
        }

        @SuppressWarnings("unchecked")
        private <K> Map<K, JsonNode> store(Class<?> configClass) {
            return (Map<K, JsonNode>) configs.computeIfAbsent(configClass, c -> new HashMap<>());
        }

        private String key(Class<?> configClass) {
            if (configClass == BasicLinkConfig.class) {
                return "basic";
            }
            if (configClass == PortAnnotationConfig.class) {
                return PortAnnotationConfig.CONFIG_KEY;
            }
            return factories.stream().filter(f -> f.configClass() == configClass)
                    .map(ConfigFactory::configKey).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no factory for " + configClass));
        }

        private <S, C extends Config<S>> C config(S subject, Class<C> configClass, JsonNode node) {
            try {
                C config = configClass.getDeclaredConstructor().newInstance();
                config.init(subject, key(configClass), node.deepCopy(), mapper, c -> { });
                return config;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void registerConfigFactory(ConfigFactory configFactory) {
            factories.add(configFactory);
        }

        @Override
        public void unregisterConfigFactory(ConfigFactory configFactory) {
            factories.remove(configFactory);
        }

        @Override
        public void addListener(NetworkConfigListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(NetworkConfigListener listener) {
            listeners.remove(listener);
        }

        @Override
        public <S, C extends Config<S>> C getConfig(S subject, Class<C> configClass) {
            JsonNode node = store(configClass).get(subject);
            return node == null ? null : config(subject, configClass, node);
        }

        @Override
        public <S, C extends Config<S>> C addConfig(S subject, Class<C> configClass) {
            return config(subject, configClass, mapper.createObjectNode());
        }

        @Override
        public <S, C extends Config<S>> C applyConfig(S subject, Class<C> configClass,
                                                     JsonNode json) {
            JsonNode old = store(configClass).put(subject, json.deepCopy());
            if (configClass == BasicLinkConfig.class) {
                LinkKey key = (LinkKey) subject;
                if (!allowed(key)) {
                    // LinkManager: "Kicking out links between src and dst".
                    remove(key.src(), key.dst());
                    remove(key.dst(), key.src());
                } else {
                    // LinkManager creates an allowed link from its configuration, both ways.
                    for (LinkKey direction : LinkLiveness.bothDirections(key)) {
                        add(ProviderId.NONE, new DefaultLinkDescription(direction.src(),
                                direction.dst(), Link.Type.DIRECT));
                    }
                }
            }
            NetworkConfigEvent event = new NetworkConfigEvent(old == null
                    ? NetworkConfigEvent.Type.CONFIG_ADDED : NetworkConfigEvent.Type.CONFIG_UPDATED,
                    subject, configClass);
            new ArrayList<>(listeners).forEach(l -> l.event(event));
            return getConfig(subject, configClass);
        }

        @Override
        public <S, C extends Config<S>> void removeConfig(S subject, Class<C> configClass) {
            store(configClass).remove(subject);
        }
    }
}
