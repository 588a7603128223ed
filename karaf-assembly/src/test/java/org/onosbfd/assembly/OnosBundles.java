package org.onosbfd.assembly;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.onosbfd.assembly.onos.EmulatedOnos;

/** ONOS's real API bundles, and the bundle standing in for ONOS's core. Test-only. */
final class OnosBundles {
    private OnosBundles() {
    }

    /**
     * onos-api of that version with onlab and the third-party bundles they import, in an order
     * that resolves (the same for 2.5 and 2.7).
     */
    static List<String> api(String onosVersion) {
        return List.of(
                "mvn:io.netty/netty-common/4.1.35.Final", "mvn:io.netty/netty/3.10.5.Final",
                "mvn:io.dropwizard.metrics/metrics-core/3.2.2", "mvn:com.google.guava/guava/22.0",
                "mvn:com.esotericsoftware/minlog/1.3.0", "mvn:org.ow2.asm/asm/5.2",
                "mvn:com.esotericsoftware/reflectasm/1.11.7", "mvn:org.objenesis/objenesis/2.6",
                "mvn:com.esotericsoftware/kryo/4.0.1",
                "mvn:commons-collections/commons-collections/3.2.2",
                "mvn:commons-lang/commons-lang/2.6", "mvn:org.apache.commons/commons-lang3/3.7",
                "mvn:commons-configuration/commons-configuration/1.10",
                "mvn:joda-time/joda-time/2.9.3", "mvn:org.onosproject/onlab-osgi/" + onosVersion,
                "mvn:org.onosproject/onlab-misc/" + onosVersion,
                "mvn:org.onosproject/onlab-rest/" + onosVersion,
                "mvn:org.onosproject/onos-api/" + onosVersion);
    }

    /**
     * The stand-in for ONOS's core ({@link EmulatedOnos}) as a bundle: its classes, a manifest,
     * and dynamic imports, so that it wires to whichever onos-api is installed.
     */
    static Path standInCore() throws IOException {
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
}
