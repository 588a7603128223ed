package org.onosbfd.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onosbfd.assembly.onos.EmulatedOnos;

/**
 * The distribution as it would be inside ONOS, as far as this machine allows: ONOS's real API
 * bundles (onos-api 2.7.0 with onlab and their dependencies) are installed into the running
 * instance, and a bundle standing in for ONOS's core ({@link EmulatedOnos}) registers ONOS's
 * services. BFD's implementation bundle, refreshed, wires its optional ONOS imports and enables
 * its ONOS components under the real SCR; when ONOS's services go away they withdraw.
 */
class OnosEmulationIT {
    /** onos-api 2.7.0 and what it needs, in an order that resolves. */
    private static final List<String> ONOS_API = List.of(
            "mvn:io.netty/netty-common/4.1.35.Final", "mvn:io.netty/netty/3.10.5.Final",
            "mvn:io.dropwizard.metrics/metrics-core/3.2.2", "mvn:com.google.guava/guava/22.0",
            "mvn:com.esotericsoftware/minlog/1.3.0", "mvn:org.ow2.asm/asm/5.2",
            "mvn:com.esotericsoftware/reflectasm/1.11.7", "mvn:org.objenesis/objenesis/2.6",
            "mvn:com.esotericsoftware/kryo/4.0.1",
            "mvn:commons-collections/commons-collections/3.2.2",
            "mvn:commons-lang/commons-lang/2.6", "mvn:org.apache.commons/commons-lang3/3.7",
            "mvn:commons-configuration/commons-configuration/1.10",
            "mvn:joda-time/joda-time/2.9.3", "mvn:org.onosproject/onlab-osgi/2.7.0",
            "mvn:org.onosproject/onlab-misc/2.7.0", "mvn:org.onosproject/onlab-rest/2.7.0",
            "mvn:org.onosproject/onos-api/2.7.0");

    private static KarafInstance karaf;
    private static String onosBundle;

    @BeforeAll
    static void bootAndAddOnos() throws Exception {
        karaf = KarafInstance.start(Path.of(System.getProperty("bfd.assembly.dir")),
                Duration.ofSeconds(120));
        KarafInstance.Result api = karaf.run("bundle:install -s " + String.join(" ", ONOS_API));
        assertEquals(0, api.exitCode, api.toString());
        KarafInstance.Result core = karaf.run("bundle:install -s file:" + emulatedOnosJar());
        assertEquals(0, core.exitCode, core.toString());
        onosBundle = core.output.replaceAll("(?s).*Bundle ID: (\\d+).*", "$1");
        // BFD was resolved without ONOS: a refresh wires its optional imports, as installing
        // the feature into ONOS would from the start.
        KarafInstance.Result refresh = karaf.run("bundle:refresh org.onosbfd.bfd-impl-bundle");
        assertEquals(0, refresh.exitCode, refresh.toString());
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    /** The stand-in for ONOS's core, as a bundle: its class, a manifest, dynamic imports. */
    private static Path emulatedOnosJar() throws IOException {
        Path classes = Path.of(EmulatedOnos.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath());
        Path jar = Files.createTempFile("emulated-onos-", ".jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.onosbfd.test.emulated-onos");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", EmulatedOnos.class.getName());
        main.putValue("Import-Package", "org.osgi.framework,org.slf4j");
        // Proxies of ONOS's interfaces need every type their methods name.
        main.putValue("DynamicImport-Package", "*");
        String packageDir = EmulatedOnos.class.getPackageName().replace('.', '/');
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jarOut = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.list(classes.resolve(packageDir))) {
            for (Path file : files.collect(Collectors.toList())) {
                jarOut.putNextEntry(new JarEntry(packageDir + "/" + file.getFileName()));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    private static void awaitLog(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!karaf.karafLog().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "never logged: " + text);
            Thread.onSpinWait();
        }
    }

    @Test
    void onosComponentsRunUnderScrWithTheRealOnosApiAndWithdrawWhenOnosGoes() {
        for (String component : new String[] {"punt.PuntTransportComponent",
            "link.LinkLivenessComponent", "handover.OnosHandoverStore",
            "manager.EventAdminPublisher"}) {
            awaitLog("present, org.onosbfd.impl." + component + " enabled");
        }
        awaitLog("BFD punted-packet transport ready");
        awaitLog("emulated ONOS: PacketService.addProcessor");
        awaitLog("emulated ONOS: PacketService.requestPackets");
        awaitLog("emulated ONOS: netcfg registerConfigFactory");
        // Started once, however SCR's bind and the service's activation interleave: a second
        // processor would handle every punted frame twice.
        assertEquals(1, karaf.karafLog().split("emulated ONOS: PacketService.addProcessor", -1)
                .length - 1, "one packet processor");
        awaitLog("emulated ONOS: link provider ProviderId{scheme=bfd, id=org.onosbfd.link");
        awaitLog("emulated ONOS: link provider ProviderId{scheme=bfd-ties");

        // A session on a switch port is carried by the punted transport, which asks for the
        // peer's MAC through ONOS's packet service.
        KarafInstance.Result add = karaf.run(
                "bfd:session-add --interface of:0000000000000001/3 10.0.0.2 10.0.0.1");
        assertTrue(add.output.contains("(transport punt)"), add.toString());
        karaf.awaitOutput("bfd:stats", o -> o.contains("Transport punt:")
                && o.matches("(?s).*solicitationsSent\\s+[1-9].*"));
        awaitLog("emulated ONOS: PacketService.emit");

        // Auto mode through the component configuration.
        assertEquals(0, karaf.run("config:property-set -p org.onosbfd.link autoMode true").exitCode);
        awaitLog("BFD link liveness: auto mode on");

        // ONOS goes away: the transport withdraws its processor and packet requests, and the
        // session waits without a transport.
        assertEquals(0, karaf.run("bundle:stop " + onosBundle).exitCode);
        awaitLog("emulated ONOS: PacketService.removeProcessor");
        awaitLog("emulated ONOS: PacketService.cancelPackets");
        karaf.awaitOutput("bfd:sessions -j", o -> o.contains("\"transport\" : \"none\""));
    }
}
