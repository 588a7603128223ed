package org.onosbfd.assembly;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.onosbfd.onoscore.dist.MemoryPersistence;
import org.onosbfd.onoscore.southbound.OneSwitch;
import org.onosproject.store.persistence.TestPersistenceService;
import org.onosproject.store.trivial.SimpleDeviceStore;

/**
 * ONOS 2.5's real core as one Karaf feature, for the Karaf ONOS 2.5 runs on: onos-api and its
 * third-party bundles, onos-core-net (the managers), onos-core-common, onos-core-primitives
 * (Atomix-backed storage, in Atomix's single-node test mode), the default drivers, ONOS's REST
 * API (onos-rest, on the web stack the test installs first), and bundles made here with bnd
 * from class files:
 *
 * <ul>
 *   <li>ONOS's trivial single-instance stores (onos-core-common's test jar): their
 *       {@code @Component} annotations are class-retained, so bnd writes their Declarative
 *       Services descriptors as ONOS's build does for its own bundles. {@code SimpleIntentStore}
 *       is left without one: it loses the INSTALLED state
 *       ({@link org.onosbfd.onoscore.dist.SingleInstanceIntentStore});</li>
 *   <li>this module's stand-ins for what only onos-core-dist (not published) provides
 *       ({@link org.onosbfd.onoscore.dist});</li>
 *   <li>the test's southbound: {@link OneSwitch}, a switch that connects to ONOS and logs the
 *       frames ONOS emits through it.</li>
 * </ul>
 *
 * <p>Installed as a feature, not bundle by bundle, because Felix 5.6's own resolver refuses
 * onos-core-net (it exports {@code org.onosproject.net} beside onos-api and meets a uses
 * conflict), while Karaf's feature resolver, which ONOS installs its core with, wires it.
 */
final class OnosCoreFeature {
    static final String NAME = "onos-core";

    private OnosCoreFeature() {
    }

    /** Writes the features repository with the bundles it names; returns its path. */
    static Path repository(String onosVersion, Path coreBundles) throws Exception {
        Path dir = Files.createTempDirectory("onos-core-feature-");
        List<String> bundles = new ArrayList<>(OnosBundles.api(onosVersion));
        try (Stream<Path> jars = Files.list(coreBundles)) {
            jars.sorted().forEach(jar -> bundles.add(jar.toUri().toString()));
        }
        bundles.add(trivialStores(onosVersion, dir).toUri().toString());
        bundles.add(distStandIns(onosVersion, dir).toUri().toString());
        bundles.add(oneSwitch(onosVersion, dir).toUri().toString());
        Path xml = dir.resolve("onos-core-features.xml");
        Files.writeString(xml, "<features name=\"" + NAME + "-" + onosVersion
                + "\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.4.0\">\n"
                + "  <feature name=\"" + NAME + "\" version=\"" + onosVersion + "\">\n"
                + "    <feature>scr</feature>\n"
                + bundles.stream().map(b -> "    <bundle>" + b + "</bundle>\n")
                        .collect(Collectors.joining())
                + "  </feature>\n</features>\n");
        return xml;
    }

    private static Path trivialStores(String onosVersion, Path dir) throws Exception {
        return bundle(dir, "onos-trivial-stores", onosVersion,
                List.of(codeSource(SimpleDeviceStore.class)), Map.of(
                // Exported: the fixed flow rule store of the stand-ins extends one of them.
                "Export-Package", "org.onosproject.store.trivial",
                // Test helpers in the same package name JUnit; the stores do not use it.
                "Import-Package", "org.junit.*;org.hamcrest.*;resolution:=optional,*",
                "-dsannotations", "!org.onosproject.store.trivial.SimpleIntentStore,*"));
    }

    private static Path distStandIns(String onosVersion, Path dir) throws Exception {
        return bundle(dir, "onos-dist-stand-ins", onosVersion, List.of(
                codeSource(MemoryPersistence.class), codeSource(TestPersistenceService.class),
                codeSource(SimpleDeviceStore.class)), Map.of(
                // ONOS's in-memory persistence (onos-api's test jar) goes in with them: its
                // package is not one of onos-api's.
                "Private-Package", MemoryPersistence.class.getPackageName() + ","
                        + TestPersistenceService.class.getPackageName(),
                "-dsannotations", "*"));
    }

    private static Path oneSwitch(String onosVersion, Path dir) throws Exception {
        return bundle(dir, "one-switch", onosVersion, List.of(codeSource(OneSwitch.class)),
                Map.of("Private-Package", OneSwitch.class.getPackageName(),
                        "-dsannotations", "*"));
    }

    /** Bundle org.onosbfd.test.NAME of ONOS's version, written as NAME.jar into the directory. */
    private static Path bundle(Path dir, String name, String onosVersion, List<Path> classpath,
                               Map<String, String> instructions) throws Exception {
        Path target = dir.resolve(name + ".jar");
        try (Builder builder = new Builder()) {
            for (Path entry : classpath) {
                builder.addClasspath(entry.toFile());
            }
            builder.setProperty("Bundle-SymbolicName", "org.onosbfd.test." + name);
            builder.setProperty("Bundle-Version", onosVersion);
            instructions.forEach(builder::setProperty);
            // An OSGi R6 framework (Felix 5.6) refuses bundles that import java.* packages.
            builder.setProperty("-noimportjava", "true");
            Jar jar = builder.build();
            if (!builder.getErrors().isEmpty()) {
                throw new IllegalStateException("bnd: " + builder.getErrors());
            }
            jar.write(target.toFile());
        }
        return target;
    }

    private static Path codeSource(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
