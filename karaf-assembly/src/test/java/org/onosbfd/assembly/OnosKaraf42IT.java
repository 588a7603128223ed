package org.onosbfd.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Our ONOS application where ONOS 2.5 runs: Apache Karaf 4.2.9 (Felix 5.6, OSGi R6, SCR 2.1)
 * with ONOS 2.5's API bundles, the Jackson ONOS 2.5 ships (2.10) and a web stack as ONOS's
 * ({@code war} with Jersey 2), and {@code bfd-<version>.oar} installed and activated as ONOS
 * does it: the archive's {@code m2/} copied into the system repository, then the features
 * repository and features named in its {@code app.xml} installed. Every bundle of ours
 * resolves, every import of the implementation (ONOS's packages included) is wired, and with
 * ONOS's services present (the stand-in core: ONOS 2.5's core cannot start in Karaf without
 * onos-core-dist) every BFD component is active.
 *
 * <p>This machine has Java 17 only; ONOS 2.5 runs on Java 11. Karaf 4.2.9 needs three things
 * to run on 17, all about Karaf, none about our bundles: its execution environment and JRE
 * package lists extended to 17, and an ASM 9 with SPI Fly 1.3 (the ASM 8 of Karaf 4.2.9's
 * SPI Fly cannot read Java 17's class files). Pax Web 7.2's annotation scanner has the same
 * limit, so the REST bundle resolves and wires here but its web application does not deploy
 * (it does on Java 11, as in ONOS).
 */
class OnosKaraf42IT {
    private static final String ONOS_VERSION = "2.5.6";
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

    private static KarafInstance karaf;

    @BeforeAll
    static void bootKaraf42WithOnosAndActivateTheApplication() throws Exception {
        Path oar = Path.of(System.getProperty("bfd.oar"));
        karaf = KarafInstance.start(Path.of(System.getProperty("karaf42.dir")), home -> {
            runOnJava17(home);
            copyM2IntoSystem(oar, home);
        }, "bundle:list", Duration.ofSeconds(120));
        install(JAVA_17_WEAVING);
        install(ONOS_RUNTIME);
        run("feature:install war");
        install(ONOS_WEB_STACK);
        install(OnosBundles.api(ONOS_VERSION));
        install(List.of("file:" + OnosBundles.standInCore()));
        // ONOS's "app activate": the application's features repository, then its features.
        Element app = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(entry(oar, "app.xml"))).getDocumentElement();
        assertEquals("org.onosbfd.bfd", app.getAttribute("name"));
        run("feature:repo-add " + app.getAttribute("featuresRepo"));
        for (String feature : app.getAttribute("features").split(",")) {
            run("feature:install " + feature);
        }
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

    /** What ONOS does with an installed application's archive: m2/ into system/. */
    private static void copyM2IntoSystem(Path oar, Path home) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(oar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (!entry.isDirectory() && entry.getName().startsWith("m2/")) {
                    Path target = home.resolve("system")
                            .resolve(entry.getName().substring("m2/".length()));
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
    }

    private static byte[] entry(Path zipFile, String name) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(zipFile))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals(name)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new AssertionError(name + " not in " + zipFile);
    }

    private static void install(List<String> bundles) {
        run("bundle:install -s " + String.join(" ", bundles));
    }

    private static KarafInstance.Result run(String command) {
        KarafInstance.Result result = karaf.run(command);
        assertEquals(0, result.exitCode, command + ": " + result);
        return result;
    }

    /** The bundle id of one of our bundles, from bundle:list. */
    private static String bundleId(String artifact) {
        String list = karaf.awaitOutput("bundle:list -t 0 -s", o -> o.contains("org.onosbfd."
                + artifact));
        for (String line : list.split("\n")) {
            if (line.contains("org.onosbfd." + artifact)) {
                return line.split("\\|")[0].trim();
            }
        }
        throw new AssertionError(artifact + " not installed:\n" + list);
    }

    @Test
    void everyBundleResolvesEveryImportIsWiredAndEveryComponentIsActive() {
        // Karaf's SCR bundle state shows a bundle whose component waits for a reference as
        // Waiting, not Active: Active means every component of ours is satisfied.
        for (String artifact : OUR_BUNDLES) {
            karaf.awaitOutput("bundle:list -t 0 -s", o -> o.matches("(?s).*\\|\\s*Active\\s*\\|"
                    + "[^\\n]*org\\.onosbfd\\." + artifact + ".*"));
        }
        String impl = bundleId("bfd-impl-bundle");
        String diag = run("bundle:diag " + impl).output;
        assertFalse(diag.contains("missing"), "no component waits: " + diag);

        // Every ONOS import of the implementation is wired (they are optional: unwired, the
        // bundle would be Active with its ONOS components silently disabled).
        String imports = run("package:imports -b " + impl).output;
        for (String onosPackage : new String[] {"org.onosproject.net.link", "org.onosproject.net"
                + ".packet", "org.onosproject.net.config", "org.onosproject.mastership",
            "org.onosproject.store.service", "org.onosproject.core", "org.onlab.packet"}) {
            assertTrue(imports.matches("(?s).*\\n" + Pattern.quote(onosPackage)
                    + "\\s*\\|[^\\n]*\\[2\\.5\\.0,3\\.0\\.0\\)[^\\n]*resolved.*"),
                    onosPackage + " wired:\n" + imports);
        }

        // The components run: the punted transport on ONOS's packet service, link liveness
        // registered as a link provider, and the service answering the shell.
        for (String logged : new String[] {"BFD punted-packet transport ready",
            "emulated ONOS: link provider ProviderId{scheme=bfd, id=org.onosbfd.link"}) {
            karaf.awaitLog(logged);
        }
        assertTrue(run("bfd:sessions").output.contains("(no sessions)"));

        // One Jersey: the application's REST bundle uses ONOS's web stack.
        String jersey = run("bundle:list -t 0 -s").output;
        assertEquals(1, jersey.split("org.glassfish.jersey.core.jersey-server", -1).length - 1,
                jersey);
    }
}
