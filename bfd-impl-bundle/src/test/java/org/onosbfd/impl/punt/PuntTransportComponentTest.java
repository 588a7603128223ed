package org.onosbfd.impl.punt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.punt.PuntedController.MS;
import static org.onosbfd.impl.punt.PuntedController.address;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.spi.BfdTransport;
import org.onosbfd.impl.ComponentHarness;
import org.onosbfd.impl.manager.BfdManager;
import org.onosbfd.impl.manager.ManagerHarness;
import org.onosproject.TestApplicationId;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreServiceAdapter;
import org.onosproject.net.ConnectPoint;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The punted transport's component as SCR runs it inside ONOS: it registers the transport as
 * a service, passes mastership changes on (a session at a port of a device no longer mastered
 * is suspended), and unregisters on deactivation.
 */
class PuntTransportComponentTest {
    private static final ConnectPoint ONE = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");

    private final EmulatedNetwork network = new EmulatedNetwork();
    private final ComponentHarness.Mastership mastership = new ComponentHarness.Mastership();
    private final List<Object> registered = new ArrayList<>();
    private final PuntTransportComponent component = new PuntTransportComponent();
    private long now = PuntedController.START;
    private final BfdManager manager = ManagerHarness.create(() -> now, Clock.systemUTC(),
            new Random(3), Runnable::run);

    PuntTransportComponentTest() {
        mastership.mastered.add(ONE.deviceId());
        inject("packetService", network);
        inject("coreService", new CoreServiceAdapter() {
            @Override
            public ApplicationId registerApplication(String name) {
                return new TestApplicationId(name);
            }
        });
        inject("mastershipService", mastership);
    }

    private void inject(String field, Object value) {
        ComponentHarness.inject(component, field, value);
    }

    /** Records registerService and unregister, as the framework would do them. */
    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                (proxy, method, args) -> {
                    assertEquals("unregister", method.getName());
                    registered.clear();
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    assertEquals("registerService", method.getName());
                    registered.add(args[1]);
                    return registration;
                });
    }

    private void runFor(long nanos) {
        long end = now + nanos;
        while (ManagerHarness.loop(manager).nextDeadline() <= end) {
            now = Math.max(now, ManagerHarness.loop(manager).nextDeadline());
            ManagerHarness.loop(manager).runOnce();
        }
        now = end;
    }

    @Test
    void registersTheTransportFollowsMastershipAndUnregisters() {
        component.activate(context(),
                ComponentHarness.defaults(PuntTransportComponent.Config.class));
        assertEquals(1, registered.size());
        BfdTransport transport = (BfdTransport) registered.get(0);
        manager.bindTransport(transport);
        ManagerHarness.startOnCallerThread(manager);
        assertEquals(1, network.processors());
        long id = manager.addSession(BfdSessionConfig.builder().interfaceName(ONE.toString())
                .localAddress(address("10.0.0.1")).peerAddress(address("10.0.0.2")).build()).id();
        assertEquals("punt", manager.session(id).orElseThrow().transport());

        mastership.lose(ONE.deviceId());
        runFor(10 * MS);
        assertEquals("none", manager.session(id).orElseThrow().transport());

        component.deactivate();
        assertTrue(registered.isEmpty(), "the transport is unregistered");
        assertEquals(List.of(), mastership.listeners);
        manager.unbindTransport(transport);
        assertEquals(0, network.processors());
    }
}
