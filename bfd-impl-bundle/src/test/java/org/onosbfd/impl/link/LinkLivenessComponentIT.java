package org.onosbfd.impl.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onosbfd.api.BfdSession;
import org.onosbfd.impl.ComponentHarness;
import org.onosbfd.impl.manager.BfdManager;
import org.onosproject.TestApplicationId;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreServiceAdapter;
import org.onosproject.net.ConnectPoint;
import org.osgi.framework.BundleContext;

/**
 * The link liveness component as SCR runs it inside ONOS: activated with ONOS's services (the
 * emulated link subsystem and network configuration, a mastership service), driven by the
 * netcfg app config and mastership events on its own thread, and leaving nothing behind when
 * deactivated. A real BfdManager with its event thread; polls with deadlines.
 */
class LinkLivenessComponentIT {
    private static final ConnectPoint ONE = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final ConnectPoint TWO = ConnectPoint.deviceConnectPoint("of:0000000000000002/1");
    private static final ApplicationId APP = new TestApplicationId("org.onosbfd.bfd");

    @TempDir
    Path data;

    private final EmulatedTopology topology = new EmulatedTopology(System::nanoTime);
    private final BfdManager manager = new BfdManager();
    private final ComponentHarness.Mastership mastership = new ComponentHarness.Mastership();
    private final LinkLivenessComponent component = new LinkLivenessComponent();

    LinkLivenessComponentIT() {
        manager.activate();
        topology.lldpDiscovers(ONE, TWO);
        mastership.mastered.addAll(Set.of(ONE.deviceId(), TWO.deviceId()));
        inject("bfdService", manager);
        inject("linkService", topology);
        inject("linkProviderRegistry", topology);
        inject("networkConfigRegistry", topology.netcfg);
        inject("mastershipService", mastership);
        inject("coreService", new CoreServiceAdapter() {
            @Override
            public ApplicationId registerApplication(String name) {
                return APP;
            }
        });
    }

    @AfterEach
    void stop() {
        manager.deactivate();
    }

    private void inject(String field, Object value) {
        ComponentHarness.inject(component, field, value);
    }

    /** The bundle context SCR would pass: only the data area is used. */
    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getDataFile")) {
                        return new File(data.toFile(), (String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.onSpinWait();
        }
    }

    private Set<String> sessionPorts() {
        return manager.sessions().stream().map(BfdSession::config)
                .map(c -> c.path().interfaceName()).collect(Collectors.toSet());
    }

    @Test
    void netcfgTurnsAutoModeOnMastershipMovesSessionsAndDeactivationLeavesNothing()
            throws Exception {
        component.activate(context(),
                ComponentHarness.defaults(LinkLivenessComponent.Config.class));
        assertEquals(1, topology.netcfg.factories.size(), "the app config subject is registered");
        await("both providers registered", () -> topology.getProviders().size() == 3);
        assertEquals(List.of(), manager.sessions(), "auto mode is off by default");

        topology.netcfg.applyConfig(APP, BfdAppConfig.class,
                new ObjectMapper().readTree("{\"autoMode\": true, \"txIntervalMs\": 20}"));
        await("a session at each end of the link",
                () -> sessionPorts().equals(Set.of(ONE.toString(), TWO.toString())));
        assertEquals(20_000, manager.sessions().get(0).config().desiredMinTxInterval());

        mastership.lose(TWO.deviceId());
        await("only the mastered end runs here", () -> sessionPorts().equals(Set.of(ONE.toString())));

        component.deactivate();
        assertEquals(List.of(), manager.sessions());
        assertEquals(Set.of(), topology.netcfg.factories);
        assertEquals(List.of(), topology.netcfg.listeners);
        assertEquals(List.of(), mastership.listeners);
        assertEquals(Set.of(EmulatedTopology.LLDP), topology.getProviders());
    }
}
