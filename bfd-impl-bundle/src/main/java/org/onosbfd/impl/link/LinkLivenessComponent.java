package org.onosbfd.impl.link;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdService;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.mastership.MastershipEvent;
import org.onosproject.mastership.MastershipListener;
import org.onosproject.mastership.MastershipService;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.InvalidFieldException;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigListener;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.onosproject.net.config.basics.SubjectFactories;
import org.onosproject.net.link.LinkProviderRegistry;
import org.onosproject.net.link.LinkService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link liveness inside ONOS: registers {@link LinkLiveness} and {@link SessionTies} as link
 * providers and feeds them their configuration. Auto mode's settings come from the component
 * configuration ({@code etc/org.onosbfd.link.cfg}, Karaf's {@code config:property-set})
 * overridden by the network configuration {@link BfdAppConfig} when an operator posted one;
 * the ties from the network configuration only. A bad value is logged with its field and
 * changes nothing.
 *
 * <p>Disabled until {@link org.onosbfd.impl.manager.BfdManager} finds ONOS's API wired into the
 * bundle, like the punted transport.
 */
@Component(name = LinkLivenessComponent.NAME, immediate = true, enabled = false,
        configurationPid = "org.onosbfd.link")
@Designate(ocd = LinkLivenessComponent.Config.class)
public class LinkLivenessComponent {
    /**
     * The component's name (its class's), for the manager to enable it: a constant, so that
     * naming it loads no class of the optional API.
     */
    public static final String NAME = "org.onosbfd.impl.link.LinkLivenessComponent";
    /** A class of the API it needs: it is enabled only when that API is wired in. */
    public static final String NEEDS = "org.onosproject.net.link.LinkProviderRegistry";


    /** The tunables (ONOS: {@code cfg}; Karaf: {@code config:edit org.onosbfd.link}). */
    @ObjectClassDefinition(name = "BFD link liveness")
    public @interface Config {
        @AttributeDefinition(description = "Run BFD on every infrastructure link and report "
                + "its verdict into the link model")
        boolean autoMode() default false;

        @AttributeDefinition(description = "Desired min TX interval of auto-mode sessions, ms")
        long txIntervalMs() default 50;

        @AttributeDefinition(description = "Required min RX interval of auto-mode sessions, ms")
        long rxIntervalMs() default 50;

        @AttributeDefinition(description = "Detect multiplier of auto-mode sessions")
        int detectMultiplier() default 3;

        @AttributeDefinition(description = "Link-local prefix the controller takes both ends' "
                + "addresses from (inside 169.254.0.0/16 or fe80::/10)")
        String addressPool() default "169.254.0.0/16";

        @AttributeDefinition(description = "Hold-down after a link's first flap, ms, doubled "
                + "per further flap; 0 with dampeningMaximumMs 0: flaps not dampened")
        long dampeningInitialMs() default 2_000;

        @AttributeDefinition(description = "Longest hold-down after flaps, ms; a link Up for "
                + "this long is forgiven")
        long dampeningMaximumMs() default 120_000;
    }

    private static final Logger log = LoggerFactory.getLogger(LinkLivenessComponent.class);

    @Reference
    private BfdService bfdService;

    @Reference
    private LinkService linkService;

    @Reference
    private LinkProviderRegistry linkProviderRegistry;

    @Reference
    private NetworkConfigRegistry networkConfigRegistry;

    @Reference
    private MastershipService mastershipService;

    @Reference
    private CoreService coreService;

    private final ConfigFactory<ApplicationId, BfdAppConfig> configFactory =
            new ConfigFactory<>(SubjectFactories.APP_SUBJECT_FACTORY, BfdAppConfig.class,
                    BfdAppConfig.KEY) {
                @Override
                public BfdAppConfig createConfig() {
                    return new BfdAppConfig();
                }
            };
    private final MastershipListener mastershipListener = this::mastershipEvent;
    private final NetworkConfigListener configListener = this::configEvent;
    private ExecutorService executor;
    private ApplicationId appId;
    private LinkLiveness liveness;
    private SessionTies ties;
    private AutoModeSettings componentSettings = AutoModeSettings.DEFAULT;

    @Activate
    void activate(BundleContext context, Config config) {
        appId = coreService.registerApplication("org.onosbfd.bfd");
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "bfd-links"));
        networkConfigRegistry.registerConfigFactory(configFactory);
        liveness = new LinkLiveness(bfdService, linkService, linkProviderRegistry,
                new LinkHolds(networkConfigRegistry,
                        context.getDataFile("link-holds.json").toPath()),
                mastershipService::isLocalMaster, executor);
        ties = new SessionTies(bfdService, networkConfigRegistry, linkService,
                linkProviderRegistry, executor);
        componentSettings = settingsOr(config, AutoModeSettings.DEFAULT);
        liveness.start(effective());
        List<SessionTie> configured = configuredTies();
        ties.start(configured != null ? configured : List.of());
        mastershipService.addListener(mastershipListener);
        networkConfigRegistry.addListener(configListener);
    }

    @Modified
    void modified(Config config) {
        componentSettings = settingsOr(config, componentSettings);
        liveness.update(effective());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        networkConfigRegistry.removeListener(configListener);
        mastershipService.removeListener(mastershipListener);
        ties.stop();
        liveness.stop();
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        networkConfigRegistry.unregisterConfigFactory(configFactory);
    }

    private static AutoModeSettings settingsOr(Config config, AutoModeSettings previous) {
        try {
            return AutoModeSettings.of(config.autoMode(), config.txIntervalMs(),
                    config.rxIntervalMs(), config.detectMultiplier(), config.addressPool())
                    .withDampening(config.dampeningInitialMs(), config.dampeningMaximumMs());
        } catch (BfdException e) {
            log.error("BFD link liveness: {}; keeping {}", e.getMessage(), previous);
            return previous;
        }
    }

    /** The network configuration's settings over the component's. */
    private AutoModeSettings effective() {
        BfdAppConfig config = networkConfigRegistry.getConfig(appId, BfdAppConfig.class);
        if (config == null) {
            return componentSettings;
        }
        try {
            return config.settings(componentSettings);
        } catch (BfdException e) {
            log.error("BFD network configuration: {}; using the component's {}", e.getMessage(),
                    componentSettings);
            return componentSettings;
        }
    }

    /** The ties of the network configuration; null when they are invalid (logged). */
    private List<SessionTie> configuredTies() {
        BfdAppConfig config = networkConfigRegistry.getConfig(appId, BfdAppConfig.class);
        try {
            return config == null ? List.of() : config.ties();
        } catch (InvalidFieldException e) {
            log.error("BFD network configuration: {}: {}; ties unchanged", e.field(), e.reason());
            return null;
        }
    }

    private void configEvent(NetworkConfigEvent event) {
        if (event.configClass() == BfdAppConfig.class) {
            liveness.update(effective());
            List<SessionTie> configured = configuredTies();
            if (configured != null) {
                ties.update(configured);
            }
        }
    }

    private void mastershipEvent(MastershipEvent event) {
        if (event.type() == MastershipEvent.Type.MASTER_CHANGED) {
            liveness.mastershipChanged(event.subject());
        }
    }
}
