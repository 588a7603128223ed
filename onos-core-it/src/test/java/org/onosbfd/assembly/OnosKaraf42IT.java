package org.onosbfd.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Our ONOS application on ONOS 2.5's real core where ONOS 2.5 runs: Apache Karaf 4.2.9 (Felix
 * 5.6, OSGi R6, SCR 2.1) with ONOS 2.5's core bundles started by Felix SCR
 * ({@link OnosCoreFeature}: the managers of onos-core-net on ONOS's trivial stores, Atomix-backed
 * storage, the default drivers, and stand-ins only for what onos-core-dist alone provides), the
 * Jackson ONOS 2.5 ships (2.10), a web stack as ONOS's ({@code war} with Jersey 2), and
 * {@code bfd-<version>.oar} installed and activated as {@code onos-app <host> install!} does
 * it: posted to ONOS's REST API (onos-rest on ONOS's {@code ApplicationManager}, which stores
 * the archive, puts its {@code m2/} into the system repository and installs the features its
 * {@code app.xml} names). ONOS's link, device, packet, mastership, network configuration,
 * flow rule, topology, intent and storage managers activate; every bundle of ours resolves,
 * every import of the implementation is wired, and every BFD component is active against them.
 * The ONOS components that activate are written to {@code target/onos-core-components.txt}.
 * The REST API answers over HTTP there, on ONOS's web stack.
 *
 * <p>This machine has Java 17 only; ONOS 2.5 runs on Java 11. Karaf 4.2.9 needs four things
 * to run on 17, all about Karaf, none about our bundles: its execution environment and JRE
 * package lists extended to 17, an ASM 9 with SPI Fly 1.3 (the ASM 8 of Karaf 4.2.9's SPI Fly
 * cannot read Java 17's class files), and, for the same reason, xbean 4.30 in place of the
 * xbean-finder 4.17 Pax Web 7.2 scans web bundles with. ONOS's core needs two JVM options on
 * 17 (a lenient zip reader for onos-core-net's jar, and {@code --add-opens} for Kryo 4).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnosKaraf42IT {
    private static final String ONOS_VERSION = System.getProperty("onos.core.version");
    /** What ONOS 2.5's own features install besides onos-api: its Jackson and JAX-RS API. */
    private static final List<String> ONOS_RUNTIME = List.of(
            "mvn:com.fasterxml.jackson.core/jackson-annotations/2.10.0",
            "mvn:com.fasterxml.jackson.core/jackson-core/2.10.0",
            "mvn:com.fasterxml.jackson.core/jackson-databind/2.10.0",
            "mvn:jakarta.ws.rs/jakarta.ws.rs-api/2.1.6");
    /** ONOS's REST stack (its onos-rest feature, not published): Jersey 2 on Pax Web. */
    private static final List<String> ONOS_WEB_STACK = List.of(
            "mvn:jakarta.annotation/jakarta.annotation-api/1.3.5",
            "mvn:jakarta.validation/jakarta.validation-api/2.0.2",
            "mvn:org.glassfish.hk2.external/jakarta.inject/2.6.1",
            "mvn:org.glassfish.hk2.external/aopalliance-repackaged/2.6.1",
            "mvn:org.glassfish.hk2/hk2-utils/2.6.1", "mvn:org.glassfish.hk2/hk2-api/2.6.1",
            "mvn:org.glassfish.hk2/hk2-locator/2.6.1",
            "mvn:org.glassfish.hk2/osgi-resource-locator/1.0.3",
            "mvn:org.javassist/javassist/3.30.2-GA",
            "mvn:org.glassfish.jersey.core/jersey-common/2.48",
            "mvn:org.glassfish.jersey.core/jersey-client/2.48",
            "mvn:org.glassfish.jersey.core/jersey-server/2.48",
            "mvn:org.glassfish.jersey.inject/jersey-hk2/2.48",
            "mvn:org.glassfish.jersey.containers/jersey-container-servlet-core/2.48",
            "mvn:org.glassfish.jersey.containers/jersey-container-servlet/2.48");
    /** Karaf 4.2.9's SPI Fly weaving on Java 17: ASM 9 and the SPI Fly that uses it. */
    private static final List<String> JAVA_17_WEAVING = List.of(
            "mvn:org.ow2.asm/asm/9.7", "mvn:org.ow2.asm/asm-tree/9.7",
            "mvn:org.ow2.asm/asm-analysis/9.7", "mvn:org.ow2.asm/asm-commons/9.7",
            "mvn:org.ow2.asm/asm-util/9.7",
            "mvn:org.apache.aries.spifly/org.apache.aries.spifly.dynamic.bundle/1.3.7");
    private static final List<String> OUR_BUNDLES = List.of("bfd-api-bundle", "bfd-impl-bundle",
            "bfd-cli-bundle", "bfd-rest-bundle");
    /** The managers BFD and intent rerouting run on, as ONOS names their components. */
    private static final List<String> ONOS_MANAGERS = List.of(
            "org.onosproject.net.link.impl.LinkManager",
            "org.onosproject.net.device.impl.DeviceManager",
            "org.onosproject.net.packet.impl.PacketManager",
            "org.onosproject.cluster.impl.MastershipManager",
            "org.onosproject.net.config.impl.NetworkConfigManager",
            "org.onosproject.net.flow.impl.FlowRuleManager",
            "org.onosproject.net.topology.impl.TopologyManager",
            "org.onosproject.net.intent.impl.IntentManager",
            "org.onosproject.store.atomix.primitives.impl.StorageManager");

    /** The components of ours that run only inside ONOS. */
    private static final List<String> OUR_ONOS_COMPONENTS = List.of(
            "link.LinkLivenessComponent", "punt.PuntTransportComponent",
            "handover.OnosHandoverStore");
    /** Piped, because unpiped Karaf 4.2's scr:list writes to a pager. */
    private static final String SCR_LIST = "scr:list | grep -v '^$'";
    /** A component's first line in scr:list; its state follows on the next. */
    private static final Pattern COMPONENT_ROW = Pattern.compile("^(\\S+) in bundle ");

    private static KarafInstance karaf;

    @BeforeAll
    static void bootKaraf42WithOnosAndActivateTheApplication() throws Exception {
        Path oar = Path.of(System.getProperty("bfd.oar"));
        Path onosCore = OnosCoreFeature.repository(ONOS_VERSION,
                Path.of(System.getProperty("onos.core.bundles")));
        karaf = KarafInstance.start(Path.of(System.getProperty("karaf42.dir")), home -> {
            runOnJava17(home);
            runOnosCore(home);
            configureJetty(home);
        }, "bundle:list", Duration.ofSeconds(120));
        install(JAVA_17_WEAVING);
        install(ONOS_RUNTIME);
        run("feature:install war");
        scanWebBundlesOnJava17();
        install(ONOS_WEB_STACK);
        run("feature:repo-add " + onosCore.toUri());
        run("feature:install " + OnosCoreFeature.NAME);
        // ONOS's core activates in the background once its bundles have started.
        String components = karaf.awaitOutput(SCR_LIST, Duration.ofSeconds(120),
                o -> activeComponents(o).containsAll(ONOS_MANAGERS));
        Files.writeString(Path.of(System.getProperty("onos.components.report")),
                String.join("\n", activeComponents(components)) + "\n");
        // What "onos-app <host> install! bfd.oar" does: the archive posted to ONOS's REST API
        // (onos-rest on ONOS's ApplicationManager), which stores it, puts its m2/ into the
        // system repository and, activating it, installs its features repository and features.
        Rest onos = new Rest(karaf.httpPort, "/onos/v1", "karaf", "karaf");
        HttpResponse<String> installed = onos.upload("/applications?activate=true", oar,
                "application/octet-stream");
        assertEquals(200, installed.statusCode(), installed.body());
        String application = onos.send("GET", "/applications/org.onosbfd.bfd", null).body();
        assertTrue(application.contains("\"state\":\"ACTIVE\""), application);
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    /** Karaf 4.2.9 lists execution environments and JRE packages up to Java 11. */
    private static void runOnJava17(Path home) throws IOException {
        Path jre = home.resolve("etc/jre.properties");
        Files.writeString(jre, Files.readString(jre) + "\njre-17 = ${jre-11}\n");
        Path config = home.resolve("etc/config.properties");
        String text = Files.readString(config);
        Matcher eecap11 = Pattern.compile("(?s)eecap-11=.*?(?=\\neecap-10=)").matcher(text);
        assertTrue(eecap11.find(), "Karaf 4.2.9's eecap-11 in config.properties");
        String eecap17 = eecap11.group().replace("eecap-11=", "eecap-17=")
                .replace("11.0\"", "11.0,12.0,13.0,14.0,15.0,16.0,17.0\"");
        Files.writeString(config, text.replace(eecap11.group(), eecap17 + "\n" + eecap11.group()));
        for (String script : new String[] {"karaf", "client", "stop", "inc", "setenv"}) {
            home.resolve("bin/" + script).toFile().setExecutable(true);
        }
    }

    /**
     * ONOS's core in this JVM: the JVM options it needs on Java 17, a cluster of this one
     * instance on the loopback address (ONOS_IP, read by ONOS's default cluster metadata; Atomix
     * listens there), and ONOS's own setting for its features: service requirements not
     * enforced (onos-core-net's bundles would otherwise need a provider for each of ~80
     * services before they resolve).
     */
    private static void runOnosCore(Path home) throws IOException {
        Files.writeString(home.resolve("bin/setenv"), "\nexport EXTRA_JAVA_OPTS=\""
                + System.getProperty("onos.core.jvm") + "\"\nexport ONOS_IP=127.0.0.1\n",
                StandardOpenOption.APPEND);
        Path features = home.resolve("etc/org.apache.karaf.features.cfg");
        Files.writeString(features, Files.readString(features)
                .replaceAll("(?m)^#?\\s*serviceRequirements\\s*=.*$", "serviceRequirements=disable"));
    }

    /**
     * Pax Web 7.2 scans the classes a web bundle's imports reach, the JDK's among them, with
     * xbean-finder 4.17 on ASM 8, which cannot read Java 17's class files: the web application
     * would not deploy. xbean 4.30 (ASM 9, shaded) replaces it, and Pax Web is rewired to it.
     */
    private static void scanWebBundlesOnJava17() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("java17.web.scanning")))) {
            install(jars.sorted().map(jar -> jar.toUri().toString()).collect(Collectors.toList()));
        }
        run("bundle:uninstall " + bundleId("org.apache.xbean.finder", "4.17.0") + " "
                + bundleId("org.apache.xbean.bundleutils", "4.17.0"));
        run("bundle:refresh");
    }

    /**
     * What Karaf's pax-http-jetty feature would configure, had the test not written the HTTP
     * port before it ran (a feature configures only what has no configuration yet): Jetty's
     * jetty.xml, which holds the JAAS login service of the realm the REST API authenticates in.
     */
    private static void configureJetty(Path home) throws IOException {
        Files.writeString(home.resolve("etc/org.ops4j.pax.web.cfg"),
                "javax.servlet.context.tempdir = ${karaf.data}/pax-web-jsp\n"
                        + "org.ops4j.pax.web.config.file = ${karaf.etc}/jetty.xml\n");
    }

    private static void install(List<String> bundles) {
        run("bundle:install -s " + String.join(" ", bundles));
    }

    private static KarafInstance.Result run(String command) {
        KarafInstance.Result result = karaf.run(command);
        assertEquals(0, result.exitCode, command + ": " + result);
        return result;
    }

    /** The names of the active components in scr:list's output. */
    private static Set<String> activeComponents(String scrList) {
        Set<String> active = new TreeSet<>();
        String name = null;
        for (String line : scrList.split("\n")) {
            Matcher component = COMPONENT_ROW.matcher(line);
            if (component.find()) {
                name = component.group(1);
            } else if (name != null && line.contains("State:ACTIVE")) {
                active.add(name);
            }
        }
        return active;
    }

    /** The id of the bundle with this symbolic name (and version, unless null), once listed. */
    private static String bundleId(String symbolicName, String version) {
        Pattern row = Pattern.compile("(?m)^\\s*(\\d+)\\s*[|│][^|│\\n]*[|│][^|│\\n]*[|│]\\s*"
                + (version == null ? "\\S+" : Pattern.quote(version)) + "\\s*[|│]\\s*"
                + Pattern.quote(symbolicName) + "\\s*$");
        Matcher found = row.matcher(karaf.awaitOutput("bundle:list -t 0 -s",
                o -> row.matcher(o).find()));
        found.find();
        return found.group(1);
    }

    @Test
    @Order(1)
    void everyBundleResolvesEveryImportIsWiredAndEveryComponentIsActive() {
        // Karaf's SCR bundle state shows a bundle whose component waits for a reference as
        // Waiting, not Active: Active means every component of ours is satisfied.
        for (String artifact : OUR_BUNDLES) {
            karaf.awaitOutput("bundle:list -t 0 -s", o -> o.matches("(?s).*[|│]\\s*Active\\s*[|│]"
                    + "[^\\n]*org\\.onosbfd\\." + artifact + ".*"));
        }
        String impl = bundleId("org.onosbfd.bfd-impl-bundle", null);
        String diag = run("bundle:diag " + impl).output;
        assertFalse(diag.contains("missing"), "no component waits: " + diag);

        // Every ONOS import of the implementation is wired (they are optional: unwired, the
        // bundle would be Active with its ONOS components silently disabled).
        String imports = run("package:imports -b " + impl).output;
        for (String onosPackage : new String[] {"org.onosproject.net.link", "org.onosproject.net"
                + ".packet", "org.onosproject.net.config", "org.onosproject.mastership",
            "org.onosproject.store.service", "org.onosproject.core", "org.onlab.packet"}) {
            assertTrue(imports.matches("(?s).*\\n" + Pattern.quote(onosPackage)
                    + "\\s*[|│][^\\n]*\\[2\\.5\\.0,3\\.0\\.0\\)[^\\n]*resolved.*"),
                    onosPackage + " wired:\n" + imports);
        }

        // Our ONOS components are active, and use ONOS's own managers: link liveness is a
        // provider registered with the LinkManager, the punted transport a processor of the
        // PacketManager, and the handover store keeps its records in ONOS's StorageManager.
        Set<String> active = activeComponents(run(SCR_LIST).output);
        for (String component : OUR_ONOS_COMPONENTS) {
            assertTrue(active.contains("org.onosbfd.impl." + component), component + " active");
        }
        for (String service : new String[] {"org.onosproject.net.link.LinkProviderRegistry",
            "org.onosproject.net.packet.PacketService",
            "org.onosproject.store.service.StorageService"}) {
            String registration = run("service:list " + service).output;
            assertTrue(registration.matches("(?s).*Provided by : \\s*\\S+ \\((\\d+)\\).*Used by:"
                    + ".*\\(" + impl + "\\).*"), service + " of ONOS used by BFD:\n" + registration);
        }
        karaf.awaitLog("BFD punted-packet transport ready");
        assertTrue(run("bfd:sessions").output.contains("(no sessions)"));

        // One Jersey: the application's REST bundle uses ONOS's web stack.
        String jersey = run("bundle:list -t 0 -s").output;
        assertEquals(1, jersey.split("org.glassfish.jersey.core.jersey-server", -1).length - 1,
                jersey);

        // ... and answers over HTTP there, with the credentials of Karaf's realm.
        String sessions = new Rest(karaf.httpPort, "karaf", "karaf")
                .awaitOk("/sessions", Duration.ofSeconds(60)).body();
        assertTrue(sessions.contains("\"sessions\""), sessions);
        assertEquals(401, new Rest(karaf.httpPort, null, null).send("GET", "/sessions", null)
                .statusCode());
    }

    @Test
    @Order(2)
    void sessionsOnSwitchPortsGoThroughOnosPacketServiceAndWaitWhenOnosStops() {
        // A session on a port of a switch this instance masters (through ONOS's DeviceManager
        // and MastershipManager) is carried by the punted transport, which asks for the peer's
        // MAC: the ARP request leaves through ONOS's PacketManager and the switch.
        karaf.awaitLog("BFD punted-packet transport ready");
        karaf.awaitLog("test switch of:0000000000000001 connected");
        KarafInstance.Result add = run(
                "bfd:session-add --interface of:0000000000000001/3 10.0.0.2 10.0.0.1");
        assertTrue(add.output.contains("(transport punt)"), add.toString());
        karaf.awaitOutput("bfd:stats", o -> o.contains("Transport punt:")
                && o.matches("(?s).*solicitationsSent\\s+[1-9].*"));
        karaf.awaitLog("(ethertype 0x806) through");

        // Auto mode through the component configuration, on ONOS's network configuration.
        run("config:property-set -p org.onosbfd.link autoMode true");
        karaf.awaitLog("BFD link liveness: auto mode on");

        // ONOS's managers go away: the session waits without a transport.
        run("bundle:stop " + bundleId("org.onosproject.onos-core-net", null));
        karaf.awaitOutput("bfd:sessions -j", o -> o.contains("\"transport\" : \"none\""));
    }
}
