package org.onosbfd.onoscore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onosproject.app.ApplicationDescription;
import org.onosproject.common.app.ApplicationArchive;
import org.onosproject.core.Version;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Our ONOS application archive as ONOS reads it: ONOS 2.5's own {@code ApplicationArchive}
 * (what {@code onos-app install!} and the REST/CLI application commands go through) parses
 * {@code bfd-<version>.oar}, expands it, and copies its {@code m2/} into the system repository,
 * from which {@code app activate} installs the features it names. No ONOS application archive
 * is published to compare with; ONOS's reader is the reference.
 */
class OnosAppArchiveIT {
    private static final Path OAR = Path.of(System.getProperty("bfd.oar"));
    private static final String VERSION = System.getProperty("bfd.version");

    @TempDir
    Path root;

    /** ONOS's archive, rooted in a temporary directory as in an ONOS installation. */
    private static final class OnosApps extends ApplicationArchive {
        OnosApps(Path root) {
            setRootPath(root.toString());
        }
    }

    @Test
    void onosReadsInstallsAndResolvesTheApplication() throws Exception {
        Path system = Path.of("system");
        deleteTree(system); // nothing left from an earlier run may stand in for the archive's
        ApplicationDescription app;
        try (InputStream in = Files.newInputStream(OAR)) {
            app = new OnosApps(root).saveApplication(in);
        }
        assertEquals("org.onosbfd.bfd", app.name());
        assertEquals(Version.version(VERSION), app.version());
        assertEquals(List.of("bfd-onos"), app.features());
        assertEquals(URI.create("mvn:org.onosbfd/bfd-features/" + VERSION + "/xml/features"),
                app.featuresRepo().orElseThrow());
        assertEquals(List.of(), app.requiredApps());
        assertTrue(app.readme().contains("RFC 5880"), app.readme());
        // An archive of app.xml and m2/, not a self-contained jar.
        assertTrue(Files.exists(root.resolve("apps/org.onosbfd.bfd/org.onosbfd.bfd.oar")));

        // ONOS's system repository now holds the features repository and every bundle that
        // the application's feature installs.
        Path features = system.resolve("org/onosbfd/bfd-features/" + VERSION + "/bfd-features-"
                + VERSION + "-features.xml");
        Element feature = feature(features, "bfd-onos");
        List<String> bundles = new ArrayList<>();
        for (String url : children(feature, "bundle")) {
            String[] gav = url.substring("mvn:".length()).split("/");
            Path jar = system.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                    .resolve(gav[1] + "-" + gav[2] + ".jar");
            assertTrue(Files.isRegularFile(jar), "in the system repository: " + jar);
            bundles.add(gav[1]);
        }
        assertEquals(List.of("jna", "bfd-api-bundle", "bfd-impl-bundle", "bfd-cli-bundle",
                "bfd-rest-bundle"), bundles);
        // ONOS brings its own web stack and Jackson: the application does not.
        assertEquals(List.of("scr", "shell"), children(feature, "feature"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder())
                        .collect(Collectors.toList())) {
                    Files.delete(path);
                }
            }
        }
    }

    /** The feature of that name in a features repository. */
    private static Element feature(Path repository, String name) throws Exception {
        NodeList features = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(repository.toFile()).getElementsByTagName("feature");
        for (int i = 0; i < features.getLength(); i++) {
            Element feature = (Element) features.item(i);
            if (name.equals(feature.getAttribute("name"))) {
                return feature;
            }
        }
        throw new AssertionError("no feature " + name + " in " + repository);
    }

    /** The text of a feature's child elements of that tag, in order. */
    private static List<String> children(Element feature, String tag) {
        List<String> texts = new ArrayList<>();
        for (Node child = feature.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element && ((Element) child).getTagName().equals(tag)) {
                texts.add(child.getTextContent().trim());
            }
        }
        return texts;
    }

    @Test
    void theArchiveHoldsOnlyAppXmlAndM2() throws Exception {
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(OAR))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    entries.add(entry.getName());
                }
            }
        }
        assertTrue(entries.contains("app.xml"), entries.toString());
        for (String entry : entries) {
            assertTrue(entry.equals("app.xml") || entry.startsWith("m2/")
                    && (entry.endsWith(".jar") || entry.endsWith("-features.xml")), entry);
        }
    }
}
