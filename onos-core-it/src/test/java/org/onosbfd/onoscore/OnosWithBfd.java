package org.onosbfd.onoscore;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.onosbfd.api.spi.BfdTransport;
import org.onosbfd.impl.link.BfdAppConfig;
import org.onosbfd.impl.link.LinkLivenessComponent;
import org.onosbfd.impl.manager.BfdManager;
import org.onosbfd.impl.punt.PuntTransportComponent;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.mastership.MastershipService;
import org.onosproject.net.config.NetworkConfigService;
import org.onosproject.net.link.LinkProviderRegistry;
import org.onosproject.net.link.LinkService;
import org.onosproject.net.packet.PacketService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Our bundle's components started on the real core as SCR starts them inside ONOS: the BFD
 * service, the punted transport on ONOS's {@code PacketService} (registered as a transport
 * service, which the BFD service binds) and link liveness on ONOS's link, network
 * configuration, mastership and core services. Auto mode is turned on the way an operator
 * does it, with the {@code bfd} app config in the network configuration. Test-only.
 */
final class OnosWithBfd implements AutoCloseable {
    final BfdManager bfd = new BfdManager();
    private final OnosCore core;
    private final Path data;
    private final PuntTransportComponent punt = new PuntTransportComponent();
    private final LinkLivenessComponent liveness = new LinkLivenessComponent();

    OnosWithBfd(OnosCore core, Path data) {
        this.core = core;
        this.data = data;
        bfd.activate();
        Scr.inject(punt, "packetService", core.service(PacketService.class));
        Scr.inject(punt, "coreService", core.service(CoreService.class));
        Scr.inject(punt, "mastershipService", core.service(MastershipService.class));
        Scr.call(punt, "activate", bundleContext(), defaults(PuntTransportComponent.Config.class));
        Scr.inject(liveness, "bfdService", bfd);
        Scr.inject(liveness, "linkService", core.service(LinkService.class));
        Scr.inject(liveness, "linkProviderRegistry", core.service(LinkProviderRegistry.class));
        Scr.inject(liveness, "networkConfigRegistry", core.service(
                org.onosproject.net.config.NetworkConfigRegistry.class));
        Scr.inject(liveness, "mastershipService", core.service(MastershipService.class));
        Scr.inject(liveness, "coreService", core.service(CoreService.class));
        Scr.call(liveness, "activate", bundleContext(),
                defaults(LinkLivenessComponent.Config.class));
    }

    /** Posts the app's {@code bfd} network configuration, as {@code onos-netcfg} would. */
    void netcfg(String json) throws IOException {
        ApplicationId app = core.service(CoreService.class).getAppId("org.onosbfd.bfd");
        core.service(NetworkConfigService.class).applyConfig(app, BfdAppConfig.class,
                new ObjectMapper().readTree(json));
    }

    /**
     * The bundle context SCR passes: its data area, and the service registry where the punted
     * transport registers itself and the BFD service's dynamic reference picks it up.
     */
    private BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getDataFile":
                            return new File(data.toFile(), (String) args[0]);
                        case "registerService":
                            BfdTransport transport = (BfdTransport) args[1];
                            bfd.bindTransport(transport);
                            return registration(transport);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private ServiceRegistration<?> registration(BfdTransport transport) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        bfd.unbindTransport(transport);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A component property type with every attribute at its default, as with no cfg file. */
    private static <T> T defaults(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getDefaultValue()));
    }

    @Override
    public void close() {
        Scr.call(liveness, "deactivate");
        Scr.call(punt, "deactivate");
        bfd.deactivate();
    }
}
