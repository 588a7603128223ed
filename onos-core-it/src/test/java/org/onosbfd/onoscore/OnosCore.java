package org.onosbfd.onoscore;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onlab.metrics.MetricsManager;
import org.onosbfd.onoscore.dist.BatchNumberingFlowRuleStore;
import org.onosbfd.onoscore.dist.MemoryNetworkConfigStore;
import org.onosbfd.onoscore.dist.SingleInstanceIntentStore;
import org.onosproject.app.ApplicationServiceAdapter;
import org.onosproject.cfg.ComponentConfigAdapter;
import org.onosproject.cluster.ClusterServiceAdapter;
import org.onosproject.core.VersionServiceAdapter;
import org.onosproject.net.AbstractProjectableModel;
import org.onosproject.net.driver.DriverServiceAdapter;
import org.onosproject.net.flowobjective.FlowObjectiveServiceAdapter;
import org.onosproject.net.group.GroupServiceAdapter;
import org.onosproject.net.host.HostServiceAdapter;
import org.onosproject.net.intent.IntentService;
import org.onosproject.net.intent.WorkPartitionServiceAdapter;
import org.onosproject.net.region.RegionService;
import org.onosproject.net.resource.MockResourceService;
import org.onosproject.store.cluster.messaging.ClusterCommunicationServiceAdapter;
import org.onosproject.store.trivial.SimpleApplicationIdStore;
import org.onosproject.store.trivial.SimpleDeviceStore;
import org.onosproject.store.trivial.SimpleIdBlockStore;
import org.onosproject.store.trivial.SimpleLinkStore;
import org.onosproject.store.trivial.SimpleMastershipStore;
import org.onosproject.store.trivial.SimplePacketStore;
import org.onosproject.store.trivial.SimpleTopologyStore;
import org.onosproject.upgrade.impl.UpgradeServiceAdapter;

/**
 * ONOS's real core for one instance: the managers of onos-core-net 2.5 (core, mastership,
 * network configuration, devices, links, topology, paths, flow rules, packets, intents with
 * their compilers and installer) on the single-instance stores of onos-core-common's trivial
 * package, started as SCR starts them in ONOS: each mandatory reference set to the service of
 * that type started before it, then activated. ONOS's asynchronous event dispatcher delivers
 * the events.
 *
 * <p>Stand-ins only where ONOS's own part is not published or needs a cluster: adapters for
 * the cluster of one and its messaging, versions, upgrades, applications, component
 * configuration, drivers, hosts, groups and flow objectives (none of which this path uses),
 * {@link MemoryNetworkConfigStore} for onos-core-dist's store, and the two store fixes
 * {@link BatchNumberingFlowRuleStore} and {@link SingleInstanceIntentStore}. Test-only.
 */
final class OnosCore implements AutoCloseable {
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();
    private final Deque<Object> started = new ArrayDeque<>();

    OnosCore() {
        start(Scr.create("org.onosproject.event.impl.CoreEventDispatcher"));
        // Stand-ins: a cluster of one, and services this path does not use.
        for (Object standIn : List.of(new ComponentConfigAdapter(), new ClusterServiceAdapter(),
                new ClusterCommunicationServiceAdapter(), new VersionServiceAdapter(),
                new UpgradeServiceAdapter(), new ApplicationServiceAdapter(),
                new MetricsManager(), new DriverServiceAdapter(), new HostServiceAdapter(),
                new FlowObjectiveServiceAdapter(), new GroupServiceAdapter(),
                new MockResourceService(), new WorkPartitionServiceAdapter(),
                Scr.absent(RegionService.class), new MemoryNetworkConfigStore(),
                new BatchNumberingFlowRuleStore(), new SingleInstanceIntentStore())) {
            offer(standIn);
        }
        AbstractProjectableModel.setDriverService(null, service(
                org.onosproject.net.driver.DriverService.class));
        // ONOS's own stores and managers, in the order SCR can satisfy them.
        for (Object store : List.of(new SimpleApplicationIdStore(), new SimpleIdBlockStore(),
                new SimpleMastershipStore(), new SimpleDeviceStore(), new SimpleLinkStore(),
                new SimpleTopologyStore(), new SimplePacketStore())) {
            start(store);
        }
        for (String manager : List.of(
                "org.onosproject.core.impl.CoreManager",
                "org.onosproject.cluster.impl.MastershipManager",
                "org.onosproject.net.config.impl.NetworkConfigManager",
                "org.onosproject.net.config.impl.BasicNetworkConfigs",
                "org.onosproject.net.device.impl.DeviceManager",
                "org.onosproject.net.domain.impl.DomainManager",
                "org.onosproject.net.domain.impl.DomainIntentManager",
                "org.onosproject.net.link.impl.LinkManager",
                "org.onosproject.net.topology.impl.TopologyManager",
                "org.onosproject.net.topology.impl.DefaultTopologyProvider",
                "org.onosproject.net.topology.impl.PathManager",
                "org.onosproject.net.flow.impl.FlowRuleManager",
                "org.onosproject.net.packet.impl.PacketManager",
                "org.onosproject.net.intent.impl.ObjectiveTracker",
                "org.onosproject.net.intent.impl.IntentManager",
                "org.onosproject.net.intent.impl.compiler.IntentConfigurableRegistrator",
                "org.onosproject.net.intent.impl.compiler.PointToPointIntentCompiler",
                "org.onosproject.net.intent.impl.compiler.LinkCollectionIntentCompiler",
                "org.onosproject.net.intent.impl.installer.FlowRuleIntentInstaller")) {
            start(Scr.create(manager));
        }
        // The tracker's dynamic reference to the intent service (bound when it appears).
        Scr.call(started.stream().filter(c -> c.getClass().getSimpleName()
                .equals("ObjectiveTracker")).findFirst().orElseThrow(),
                "bindComponentConfigService", service(IntentService.class));
    }

    /** The started component that provides this service. */
    <T> T service(Class<T> type) {
        Object provider = services.get(type);
        if (provider == null) {
            throw new IllegalArgumentException("no " + type.getSimpleName() + " started");
        }
        return type.cast(provider);
    }

    /** Sets the references, activates, and offers the component's services to those after. */
    private void start(Object component) {
        wire(component);
        Scr.callIfDeclared(component, "activate");
        started.push(component);
        offer(component);
    }

    /** Every unset field whose type is a service already offered gets it, as SCR would. */
    private void wire(Object component) {
        for (Class<?> c = component.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                Object service = services.get(field.getType());
                if (service != null && !Modifier.isStatic(field.getModifiers())
                        && unset(component, field)) {
                    Scr.inject(component, field.getName(), service);
                }
            }
        }
    }

    private static boolean unset(Object component, Field field) {
        try {
            field.setAccessible(true);
            return field.get(component) == null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Offers the component under every interface it implements, and its own class. */
    private void offer(Object component) {
        services.put(component.getClass(), component);
        for (Class<?> c = component.getClass(); c != null; c = c.getSuperclass()) {
            offerInterfaces(component, c.getInterfaces());
        }
    }

    private void offerInterfaces(Object component, Class<?>[] interfaces) {
        for (Class<?> type : interfaces) {
            services.put(type, component);
            offerInterfaces(component, type.getInterfaces());
        }
    }

    /** Deactivates every component, last started first. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            Object component = started.pop();
            String name = component.getClass().getSimpleName().equals("FlowRuleIntentInstaller")
                    ? "deactivated" : "deactivate"; // so spelled in ONOS 2.5
            Scr.callIfDeclared(component, name);
        }
    }
}
