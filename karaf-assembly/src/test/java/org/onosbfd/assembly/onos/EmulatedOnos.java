package org.onosbfd.assembly.onos;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.onosproject.core.CoreService;
import org.onosproject.core.DefaultApplicationId;
import org.onosproject.mastership.MastershipService;
import org.onosproject.net.MastershipRole;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.onosproject.net.config.NetworkConfigService;
import org.onosproject.net.link.LinkProvider;
import org.onosproject.net.link.LinkProviderRegistry;
import org.onosproject.net.link.LinkProviderService;
import org.onosproject.net.link.LinkService;
import org.onosproject.net.packet.PacketService;
import org.onosproject.store.service.EventuallyConsistentMap;
import org.onosproject.store.service.EventuallyConsistentMapBuilder;
import org.onosproject.store.service.StorageService;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bundle that stands in for ONOS's core in a plain Karaf: it registers the ONOS services BFD's
 * ONOS components use (core, packet, mastership, link, link providers, network configuration,
 * storage) as the OSGi services ONOS registers, with onos-api's own interfaces, answering
 * as a one-instance ONOS with no devices would. What BFD does with them is logged
 * ("emulated ONOS: ..."), for the test to read. Test-only: packaged by {@code OnosEmulationIT}.
 */
public final class EmulatedOnos implements BundleActivator {
    private static final Logger log = LoggerFactory.getLogger(EmulatedOnos.class);

    @Override
    public void start(BundleContext context) {
        register(context, CoreService.class, (method, args) -> method.getName()
                .equals("registerApplication") ? new DefaultApplicationId(1, (String) args[0])
                : null);
        register(context, PacketService.class, (method, args) -> {
            log.info("emulated ONOS: PacketService.{}", method.getName());
            return null;
        });
        register(context, MastershipService.class, (method, args) -> {
            switch (method.getName()) {
                case "getLocalRole":
                    return MastershipRole.MASTER;
                case "isLocalMaster":
                    return true;
                default:
                    return null;
            }
        });
        register(context, LinkService.class, (method, args) ->
                method.getName().equals("getLinks") ? List.of() : null);
        register(context, LinkProviderRegistry.class, (method, args) -> {
            if (method.getName().equals("register")) {
                log.info("emulated ONOS: link provider {} registered", ((LinkProvider) args[0]).id());
                return proxy(LinkProviderService.class, (m, a) -> null);
            }
            return null;
        });
        Object netcfg = proxy(NetworkConfigRegistry.class, (method, args) -> {
            if (method.getName().endsWith("ConfigFactory")) {
                log.info("emulated ONOS: netcfg {}", method.getName());
            }
            return null;
        });
        context.registerService(new String[] {NetworkConfigRegistry.class.getName(),
            NetworkConfigService.class.getName()}, netcfg, null);
        register(context, StorageService.class, (method, args) ->
                method.getName().equals("eventuallyConsistentMapBuilder") ? mapBuilder() : null);
        log.info("emulated ONOS: services registered");
    }

    @Override
    public void stop(BundleContext context) {
        // The framework unregisters the services.
    }

    /** A builder whose map is a local one: one instance, nothing to gossip. */
    private static Object mapBuilder() {
        Map<Object, Object> map = new ConcurrentHashMap<>();
        Object built = proxy(EventuallyConsistentMap.class, (method, args) -> {
            switch (method.getName()) {
                case "get":
                    return map.get(args[0]);
                case "put":
                    map.put(args[0], args[1]);
                    return null;
                case "remove":
                    return map.remove(args[0]);
                default:
                    return null;
            }
        });
        Object[] builder = new Object[1];
        builder[0] = proxy(EventuallyConsistentMapBuilder.class, (method, args) ->
                method.getName().equals("build") ? built : builder[0]);
        return builder[0];
    }

    /** What a service answers to a call. */
    private interface Answer {
        Object answer(Method method, Object[] args);
    }

    private static <T> void register(BundleContext context, Class<T> type, Answer answer) {
        context.registerService(type, proxy(type, answer), null);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(EmulatedOnos.class.getClassLoader(),
                new Class<?>[] {type}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "emulated " + type.getName()
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                : proxy == args[0];
                    }
                    Object value = answer.answer(method, args);
                    return value != null ? value : zero(method.getReturnType());
                }));
    }

    /** What a service with nothing to say returns: nothing, zero, false, empty. */
    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        } else if (type == int.class) {
            return 0;
        } else if (type == long.class) {
            return 0L;
        } else if (type == Set.class) {
            return Set.of();
        } else if (type == List.class || type == Iterable.class) {
            return List.of();
        }
        return null;
    }
}
