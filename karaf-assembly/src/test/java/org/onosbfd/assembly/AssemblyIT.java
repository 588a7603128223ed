package org.onosbfd.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Boots the real distribution and checks that an operator finds BFD installed and working. */
class AssemblyIT {
    private static KarafInstance karaf;

    @BeforeAll
    static void boot() throws Exception {
        karaf = KarafInstance.start(Path.of(System.getProperty("bfd.assembly.dir")),
                Duration.ofSeconds(120));
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    void bfdFeatureIsInstalledAndStarted() {
        KarafInstance.Result features = karaf.run("feature:list -i");
        assertEquals(0, features.exitCode, features.toString());
        assertTrue(features.output.lines().anyMatch(l -> l.startsWith("bfd ")
                && l.contains("Started")), features.output);
    }

    @Test
    void bundlesAreActiveAndTheServiceIsPublishedAndUsed() {
        KarafInstance.Result bundles = karaf.run("bundle:list -s");
        for (String bundle : new String[] {"bfd-api-bundle", "bfd-impl-bundle", "bfd-cli-bundle"}) {
            assertTrue(bundles.output.lines().anyMatch(l -> l.contains(bundle)
                    && l.contains("Active")), bundle + " in\n" + bundles.output);
        }
        // The component is active once it provides its service (scr:list prints nothing in
        // batch mode).
        KarafInstance.Result service = karaf.run("service:list org.onosbfd.api.BfdService");
        assertTrue(service.output.contains("component.name = org.onosbfd.impl.manager.BfdManager")
                && service.output.contains("BFD shell commands"), service.toString());
    }

    @Test
    void hostSocketTransportIsRegisteredWithNativeSocketsLoaded() {
        KarafInstance.Result transports = karaf.run("service:list org.onosbfd.api.spi.BfdTransport");
        assertTrue(transports.output.contains("org.onosbfd.impl.udp.UdpTransport"),
                transports.toString());
        assertTrue(karaf.karafLog().contains("BFD host-socket transport listening on UDP"),
                "JNA loaded and the sockets are bound:\n" + karaf.karafLog());
    }

    @Test
    void sessionsCommandRunsAndPrintsItsTable() {
        KarafInstance.Result sessions = karaf.run("bfd:sessions");
        assertEquals(0, sessions.exitCode, sessions.toString());
        assertTrue(sessions.output.contains("Peer") && sessions.output.contains("State"),
                sessions.output);
        KarafInstance.Result json = karaf.run("bfd:sessions -j");
        assertTrue(json.output.contains("\"sessions\""), json.output);
    }

    @Test
    void badArgumentIsNamedAndFailsTheCommand() {
        KarafInstance.Result bad = karaf.run("bfd:sessions --state sideways");
        assertNotEquals(0, bad.exitCode, bad.toString());
        assertTrue(bad.output.contains("--state") && bad.output.contains("up|down|init|admin-down"),
                bad.output);
    }
}
