package org.onosbfd.onoscore.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.onosproject.net.config.Config;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigStore;
import org.onosproject.net.config.NetworkConfigStoreDelegate;
import org.onosproject.store.AbstractStore;
import org.osgi.service.component.annotations.Component;

/**
 * The network configuration store of one instance, in memory. ONOS keeps it in
 * {@code DistributedNetworkConfigStore} (onos-core-dist, not published); this stand-in behaves
 * as that store does towards the real {@code NetworkConfigManager}: JSON kept per subject and
 * config key, config objects made from it on each read, JSON for keys without a factory queued
 * until one registers, and the same events. Test-only.
 */
@Component(service = NetworkConfigStore.class)
public final class MemoryNetworkConfigStore extends AbstractStore<NetworkConfigEvent,
        NetworkConfigStoreDelegate> implements NetworkConfigStore {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Class<?>, ConfigFactory<?, ?>> factories = new LinkedHashMap<>();
    /** subject → config class → JSON. */
    private final Map<Object, Map<Class<?>, JsonNode>> configs = new LinkedHashMap<>();
    /** subject → config key → JSON, for keys no factory knows yet. */
    private final Map<Object, Map<String, JsonNode>> queued = new LinkedHashMap<>();

    @Override
    public synchronized void addConfigFactory(ConfigFactory configFactory) {
        factories.put(configFactory.configClass(), configFactory);
        notifyDelegate(new NetworkConfigEvent(NetworkConfigEvent.Type.CONFIG_REGISTERED,
                configFactory.configKey(), configFactory.configClass()));
        Class<?> subjectClass = configFactory.subjectFactory().subjectClass();
        for (Map.Entry<Object, Map<String, JsonNode>> entry : Map.copyOf(queued).entrySet()) {
            JsonNode json = entry.getValue().get(configFactory.configKey());
            if (json != null && subjectClass.isInstance(entry.getKey())) {
                clearQueuedConfig(entry.getKey(), configFactory.configKey());
                applyConfig(entry.getKey(), configFactory.configClass(), json);
            }
        }
    }

    @Override
    public synchronized void removeConfigFactory(ConfigFactory configFactory) {
        factories.remove(configFactory.configClass());
        notifyDelegate(new NetworkConfigEvent(NetworkConfigEvent.Type.CONFIG_UNREGISTERED,
                configFactory.configKey(), configFactory.configClass()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <S, C extends Config<S>> ConfigFactory<S, C> getConfigFactory(
            Class<C> configClass) {
        return (ConfigFactory<S, C>) factories.get(configClass);
    }

    @Override
    public synchronized <S> Set<S> getSubjects(Class<S> subjectClass) {
        Set<S> subjects = new HashSet<>();
        configs.keySet().stream().filter(subjectClass::isInstance)
                .forEach(s -> subjects.add(subjectClass.cast(s)));
        return subjects;
    }

    @Override
    public synchronized <S, C extends Config<S>> Set<S> getSubjects(Class<S> subjectClass,
                                                                    Class<C> configClass) {
        Set<S> subjects = new HashSet<>();
        configs.forEach((subject, byClass) -> {
            if (subjectClass.isInstance(subject) && byClass.containsKey(configClass)) {
                subjects.add(subjectClass.cast(subject));
            }
        });
        return subjects;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <S> Set<Class<? extends Config<S>>> getConfigClasses(S subject) {
        Set<Class<? extends Config<S>>> classes = new HashSet<>();
        configs.getOrDefault(subject, Map.of()).keySet()
                .forEach(c -> classes.add((Class<? extends Config<S>>) c));
        return classes;
    }

    @Override
    public synchronized <S, C extends Config<S>> C getConfig(S subject, Class<C> configClass) {
        JsonNode json = configs.getOrDefault(subject, Map.of()).get(configClass);
        return json == null ? null : createConfig(subject, configClass, json);
    }

    @Override
    public synchronized <S, C extends Config<S>> C createConfig(S subject, Class<C> configClass) {
        return createConfig(subject, configClass, mapper.createObjectNode());
    }

    /** As the distributed store: a config object over the JSON, whose apply() stores it. */
    private <S, C extends Config<S>> C createConfig(S subject, Class<C> configClass,
                                                    JsonNode json) {
        ConfigFactory<S, C> factory = getConfigFactory(configClass);
        if (factory == null) {
            return null;
        }
        C config = factory.createConfig();
        config.init(subject, factory.configKey(), json.deepCopy(), mapper,
                applied -> applyConfig(subject, configClass, applied.node()));
        return config;
    }

    @Override
    public synchronized <S, C extends Config<S>> C applyConfig(S subject, Class<C> configClass,
                                                               JsonNode json) {
        C previous = getConfig(subject, configClass);
        configs.computeIfAbsent(subject, s -> new LinkedHashMap<>()).put(configClass,
                json.deepCopy());
        C config = getConfig(subject, configClass);
        if (previous == null || !Objects.equals(previous.node(), json)) {
            notifyDelegate(new NetworkConfigEvent(previous == null
                    ? NetworkConfigEvent.Type.CONFIG_ADDED : NetworkConfigEvent.Type.CONFIG_UPDATED,
                    subject, config, previous, configClass));
        }
        return config;
    }

    @Override
    public synchronized <S, C extends Config<S>> void clearConfig(S subject,
                                                                  Class<C> configClass) {
        C previous = getConfig(subject, configClass);
        Map<Class<?>, JsonNode> byClass = configs.get(subject);
        if (previous == null || byClass == null) {
            return;
        }
        byClass.remove(configClass);
        if (byClass.isEmpty()) {
            configs.remove(subject);
        }
        notifyDelegate(new NetworkConfigEvent(NetworkConfigEvent.Type.CONFIG_REMOVED, subject,
                null, previous, configClass));
    }

    @Override
    public synchronized <S> void queueConfig(S subject, String configKey, JsonNode json) {
        queued.computeIfAbsent(subject, s -> new LinkedHashMap<>()).put(configKey, json);
    }

    @Override
    public synchronized <S> void clearQueuedConfig(S subject, String configKey) {
        Map<String, JsonNode> byKey = queued.get(subject);
        if (byKey != null) {
            byKey.remove(configKey);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public synchronized <S> void clearConfig(S subject) {
        for (Class<?> configClass : Set.copyOf(configs.getOrDefault(subject, Map.of()).keySet())) {
            clearConfig(subject, (Class) configClass);
        }
        queued.remove(subject);
    }

    @Override
    public synchronized <S> void clearConfig() {
        for (Object subject : Set.copyOf(configs.keySet())) {
            clearConfig(subject);
        }
        queued.clear();
    }
}
