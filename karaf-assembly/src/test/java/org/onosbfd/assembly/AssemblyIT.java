package org.onosbfd.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** Polls a command until its output satisfies the condition, or fails after 20 s. */
    private static String awaitOutput(String command, java.util.function.Predicate<String> done) {
        return karaf.awaitOutput(command, done);
    }

    private static long count(String output, String word) {
        return output.lines().filter(l -> l.contains(word)).count();
    }

    @Test
    void twoSessionsInOneInstanceComeUpOverLoopbackAndObeyTheShell() {
        KarafInstance.Result a = karaf.run(
                "bfd:session-add --tx 50ms --rx 50ms -m 3 127.0.0.2 127.0.0.1");
        assertEquals(0, a.exitCode, a.toString());
        KarafInstance.Result b = karaf.run(
                "bfd:session-add --tx 50ms --rx 50ms -m 3 127.0.0.1 127.0.0.2");
        assertEquals(0, b.exitCode, b.toString());
        // Up first at the slow rate (RFC 5880 §6.8.3), then the configured 50 ms once settled.
        String up = awaitOutput("bfd:sessions 127.0.0.0/8", o -> count(o, " Up ") == 2
                && count(o, "150ms") == 2 && !o.contains("settling"));
        String id = up.lines().filter(l -> l.contains("127.0.0.2 ")).findFirst().orElseThrow()
                .trim().split("\\s+")[0];
        // The same events on the OSGi EventAdmin, for consumers that know nothing of BFD's API.
        String events = awaitOutput("event:display -v org/onosbfd/session/*",
                o -> o.contains("org/onosbfd/session/STATE_CHANGED"));
        assertTrue(events.contains("org/onosbfd/session/SESSION_ADDED")
                && events.contains("state: UP") && events.contains("peer: 127.0.0.2"), events);

        // A live change goes through a Poll Sequence: no Down.
        assertEquals(0, karaf.run("bfd:session-mod --tx 20ms --rx 30ms " + id).exitCode);
        String modified = awaitOutput("bfd:sessions -v", o -> o.contains("TX 20ms, RX 30ms"));
        assertTrue(modified.contains("down 0"), modified);

        // AdminDown on one end: ADMIN_DOWN there, Down with "Neighbor Signaled" at the other.
        assertEquals(0, karaf.run("bfd:session-admin " + id + " down").exitCode);
        String admin = awaitOutput("bfd:sessions", o -> o.contains("AdminDown")
                && o.contains("Neighbor Signaled Session Down"));
        assertEquals(1, count(admin, "AdminDown"), admin);
        KarafInstance.Result adminUp = karaf.run("bfd:session-admin -j " + id + " up");
        assertTrue(adminUp.output.contains("\"adminDown\" : false"), adminUp.toString());
        awaitOutput("bfd:sessions 127.0.0.0/8", o -> count(o, " Up ") == 2);

        KarafInstance.Result json = karaf.run("bfd:sessions -j --state up");
        assertTrue(json.output.contains("\"negotiatedTxInterval\"")
                && json.output.contains("\"transport\" : \"udp\""), json.output);
        KarafInstance.Result stats = karaf.run("bfd:stats");
        assertTrue(stats.output.contains("(Up 2)") && stats.output.contains("Transport udp:")
                && stats.output.contains("datagramsReceived"), stats.output);
        KarafInstance.Result cleared = karaf.run("bfd:stats --clear");
        assertTrue(cleared.output.contains("BFD counters cleared"), cleared.toString());

        // A session no transport carries says why; flags take no value.
        KarafInstance.Result nowhere = karaf.run("bfd:session-add --passive --interface eth9 "
                + "10.9.9.2 10.9.9.1");
        assertEquals(0, nowhere.exitCode, nowhere.toString());
        String why = karaf.run("bfd:sessions -v 10.9.9.2").output;
        assertTrue(why.contains("Not carried:  udp: no interface eth9 on this host")
                && why.contains("passive"), why);
        assertEquals(0, karaf.run("bfd:session-del "
                + nowhere.output.replaceAll("(?s).*Session (\\d+):.*", "$1").trim()).exitCode);

        for (String line : up.lines().filter(l -> l.contains("127.0.0.")).toArray(String[]::new)) {
            String session = line.trim().split("\\s+")[0];
            KarafInstance.Result removed = karaf.run("bfd:session-del -j " + session);
            assertTrue(removed.output.contains("\"removed\" : true"), removed.toString());
        }
        assertTrue(karaf.run("bfd:sessions").output.contains("(no sessions)"));
    }

    @Test
    void aViewerMayWatchSessionsButNotChangeThem() throws Exception {
        karaf.addUser("watcher", "w4tcher", "viewer,ssh");
        KarafInstance.Result read = karaf.runAs("watcher", "w4tcher", "bfd:sessions");
        assertEquals(0, read.exitCode, read.toString());
        KarafInstance.Result change = karaf.runAs("watcher", "w4tcher",
                "bfd:session-add 127.0.0.52 127.0.0.51");
        // Karaf's command ACL hides what a user may not run.
        assertNotEquals(0, change.exitCode, change.toString());
        assertTrue(change.output.contains("Command not found: bfd:session-add")
                || change.output.contains("Insufficient credentials"), change.toString());
        assertFalse(karaf.run("bfd:sessions").output.contains("127.0.0.52"),
                "the refused change was not made");
    }

    @Test
    void keysAreManagedAndSecretsNeverShown() {
        assertEquals(0, karaf.run("bfd:key-set 42 keyed-sha1 t0ps3cret").exitCode);
        KarafInstance.Result keys = karaf.run("bfd:keys -j");
        assertTrue(keys.output.contains("\"type\" : \"keyed-sha1\"")
                && !keys.output.contains("t0ps3cret"), keys.output);
        KarafInstance.Result add = karaf.run("bfd:session-add --key 42 --bfd-key-id 3 "
                + "127.0.0.9 127.0.0.8");
        assertEquals(0, add.exitCode, add.toString());
        KarafInstance.Result inUse = karaf.run("bfd:key-del 42");
        assertNotEquals(0, inUse.exitCode);
        assertTrue(inUse.output.contains("used by 1 session"), inUse.output);
        String id = add.output.replaceAll("(?s).*Session (\\d+):.*", "$1").trim();
        KarafInstance.Result misplaced = karaf.run("bfd:session-auth " + id + " deactivate --delayed");
        assertNotEquals(0, misplaced.exitCode, "an option after the arguments is refused");
        assertTrue(misplaced.output.contains("options such as --delayed go first"), misplaced.output);
        KarafInstance.Result rollover = karaf.run("bfd:session-auth --delayed " + id + " deactivate");
        assertEquals(0, rollover.exitCode, rollover.toString());
        assertTrue(rollover.output.contains("pending"), rollover.output);
        String verbose = karaf.run("bfd:sessions -v 127.0.0.9").output;
        assertTrue(verbose.contains("Authentication: keyed-sha1, key 42")
                || verbose.contains("pending"), "still signing until the peer stops: " + verbose);
        assertEquals(0, karaf.run("bfd:session-del " + id).exitCode);
        assertEquals(0, karaf.run("bfd:key-del 42").exitCode);
    }

    @Test
    void configurationSurvivesKillDashNine() throws Exception {
        assertEquals(0, karaf.run("bfd:key-set 77 meticulous-keyed-md5 p3rsist").exitCode);
        KarafInstance.Result add = karaf.run("bfd:session-add --tx 75ms -m 4 --key 77 "
                + "--bfd-key-id 5 192.0.2.77 192.0.2.76");
        assertEquals(0, add.exitCode, add.toString());
        String id = add.output.replaceAll("(?s).*Session (\\d+):.*", "$1").trim();
        assertEquals(0, karaf.run("bfd:session-admin " + id + " down").exitCode);
        java.nio.file.Path file = karaf.home.resolve("etc/bfd.json");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)));

        karaf.crashAndRestart(Duration.ofSeconds(120));

        String sessions = karaf.run("bfd:sessions -j 192.0.2.77").output;
        assertTrue(sessions.contains("\"id\" : " + id + ",")
                && sessions.contains("\"desiredMinTxInterval\" : 75000")
                && sessions.contains("\"detectMultiplier\" : 4")
                && sessions.contains("\"adminDown\" : true")
                && sessions.contains("\"keyId\" : 77"), sessions);
        assertTrue(karaf.run("bfd:keys").output.contains("meticulous-keyed-md5"));
        assertEquals(0, karaf.run("bfd:session-del " + id).exitCode);
        assertEquals(0, karaf.run("bfd:key-del 77").exitCode);
    }

    @Test
    void everyBadArgumentIsNamedAndChangesNothing() {
        String[][] cases = {
            {"bfd:session-add --tx fast 127.0.0.2 127.0.0.1", "--tx: 'fast'"},
            {"bfd:session-add -m 0 127.0.0.2 127.0.0.1", "--multiplier: '0'"},
            {"bfd:session-add 127.0.0.2 ::1", "localAddress"},
            {"bfd:session-add router1 127.0.0.1", "PEER: 'router1'"},
            {"bfd:session-add --key 999 127.0.0.2 127.0.0.1", "keyId: no keyId '999'"},
            {"bfd:session-mod --rx 1ms 12345", "id: no id '12345'"},
            {"bfd:session-admin 1 sideways", "up|down"},
            {"bfd:key-set 1 rot13 secret", "type: 'rot13'"},
            {"bfd:key-set 1 keyed-md5 0123456789abcdef0", "secret"},
        };
        for (String[] c : cases) {
            KarafInstance.Result result = karaf.run(c[0]);
            assertNotEquals(0, result.exitCode, c[0]);
            assertTrue(result.output.contains(c[1]), c[0] + " ->\n" + result.output);
        }
        assertTrue(karaf.run("bfd:sessions").output.contains("(no sessions)"));
        assertTrue(karaf.run("bfd:keys").output.contains("(no keys)"));
    }

    @Test
    void badArgumentIsNamedAndFailsTheCommand() {
        KarafInstance.Result bad = karaf.run("bfd:sessions --state sideways");
        assertNotEquals(0, bad.exitCode, bad.toString());
        assertTrue(bad.output.contains("--state") && bad.output.contains("up|down|init|admin-down"),
                bad.output);
    }
}
