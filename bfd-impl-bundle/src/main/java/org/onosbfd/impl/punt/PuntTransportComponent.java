package org.onosbfd.impl.punt;

import org.onlab.packet.MacAddress;
import org.onosbfd.api.spi.BfdTransport;
import org.onosproject.core.CoreService;
import org.onosproject.mastership.MastershipEvent;
import org.onosproject.mastership.MastershipListener;
import org.onosproject.mastership.MastershipService;
import org.onosproject.net.packet.PacketService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the punted transport when ONOS's packet, core and mastership services exist; when
 * they go away the transport is unregistered, and it withdraws its processor and packet
 * requests. Mastership changes are passed on, so that only a device's master runs the sessions
 * at its ports.
 *
 * <p>Disabled until {@link org.onosbfd.impl.manager.BfdManager} finds ONOS's packet API wired
 * into this bundle: in a plain Karaf the component stays disabled (the bundle shows Active, not
 * Waiting) and no ONOS class is ever loaded.
 */
@Component(name = PuntTransportComponent.NAME, immediate = true, enabled = false,
        configurationPid = "org.onosbfd.punt", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PuntTransportComponent.Config.class)
public class PuntTransportComponent {
    /**
     * The component's name (its class's), for the manager to enable it: a constant, so that
     * naming it loads no class of the optional API.
     */
    public static final String NAME = "org.onosbfd.impl.punt.PuntTransportComponent";
    /** A class of the API it needs: it is enabled only when that API is wired in. */
    public static final String NEEDS = "org.onosproject.net.packet.PacketService";


    /** Component configuration (etc/org.onosbfd.punt.cfg, or ONOS's cfg set). */
    @ObjectClassDefinition(name = "BFD punted-packet transport")
    public @interface Config {
        @AttributeDefinition(description = "The MAC address the controller answers ARP and "
                + "neighbour solicitations with and sends BFD frames from, on switch ports")
        String controllerMac() default "02:bf:d0:00:00:01";
    }

    private static final Logger log = LoggerFactory.getLogger(PuntTransportComponent.class);

    @Reference
    private PacketService packetService;

    @Reference
    private CoreService coreService;

    @Reference
    private MastershipService mastershipService;

    private ServiceRegistration<BfdTransport> registration;
    private PuntTransport transport;
    private final MastershipListener mastershipListener = event -> {
        if (event.type() == MastershipEvent.Type.MASTER_CHANGED) {
            transport.mastershipChanged();
        }
    };

    @Activate
    void activate(BundleContext context, Config config) {
        transport = new PuntTransport(packetService,
                coreService.registerApplication("org.onosbfd.bfd"),
                MacAddress.valueOf(config.controllerMac()), System::nanoTime,
                mastershipService::isLocalMaster);
        mastershipService.addListener(mastershipListener);
        registration = context.registerService(BfdTransport.class, transport, null);
        log.info("BFD punted-packet transport ready (controller MAC {})", config.controllerMac());
    }

    @Deactivate
    void deactivate() {
        mastershipService.removeListener(mastershipListener);
        registration.unregister();
    }
}
