package org.onosbfd.impl.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;

/** The operator's configuration survives restarts, and a hand-edited file is applied. */
class PersistenceIT {
    @TempDir
    Path dir;

    private BfdManager manager;
    /** A configuration file watched by a test, and what it delivered, in order. */
    private ConfigFile watched;
    private final java.util.List<ConfigFile.Contents> seen =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** Watches {@code file}: each delivery is added to {@link #seen}, then given to {@code also}. */
    private void watch(Path file, java.util.function.Consumer<ConfigFile.Contents> also)
            throws java.io.IOException {
        watched = new ConfigFile(file);
        watched.watch(contents -> {
            seen.add(contents);
            also.accept(contents);
        });
    }

    private BfdManager start(Path file) {
        BfdManager m = new BfdManager(System::nanoTime, Clock.systemUTC(), new SecureRandom(),
                Executors.newSingleThreadExecutor());
        m.persistIn(file);
        m.activate();
        return m;
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.deactivate();
        }
        if (watched != null) {
            watched.stop();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static BfdSessionConfig.Builder config(String peer, String local) throws Exception {
        return BfdSessionConfig.builder().peerAddress(InetAddress.getByName(peer))
                .localAddress(InetAddress.getByName(local));
    }

    @Test
    void sessionsAndKeysAreRestoredWithTheirIdsFromAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("bfd.json");
        manager = start(file);
        manager.setKey(new BfdAuthKey(7, BfdAuthType.METICULOUS_KEYED_SHA1,
                "s3cret".getBytes(StandardCharsets.US_ASCII)));
        long first = manager.addSession(config("192.0.2.2", "192.0.2.1").desiredMinTxInterval(50_000)
                .authentication(new BfdAuthentication(7, 3)).build()).id();
        long second = manager.addSession(config("2001:db8::2", "2001:db8::1").multihop(true)
                .minReceivedTtl(64).build()).id();
        manager.setAdminDown(second, true);
        long gone = manager.addSession(config("192.0.2.9", "192.0.2.1").build()).id();
        manager.removeSession(gone);
        BfdSession before = manager.session(first).orElseThrow();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        manager.deactivate();
        manager = start(file);

        assertEquals(2, manager.sessions().size());
        BfdSession restored = manager.session(first).orElseThrow();
        assertEquals(before.config(), restored.config());
        assertTrue(manager.session(second).orElseThrow().config().isAdminDown());
        assertEquals(64, manager.session(second).orElseThrow().config().minReceivedTtl());
        assertEquals(1, manager.keys().size());
        assertEquals(BfdAuthType.METICULOUS_KEYED_SHA1, manager.keys().get(0).type());
        // Ids continue after the highest restored one.
        assertTrue(manager.addSession(config("192.0.2.3", "192.0.2.1").build()).id() > second);
    }

    @Test
    void aHandWrittenFileAppliesItsGoodEntriesAndReportsTheBadOnes() throws Exception {
        Path file = dir.resolve("bfd.json");
        String handWritten = "{\n"
                + "  \"keys\": [{\"id\": 1, \"type\": \"keyed-md5\", \"secret\": \"abc\"},\n"
                + "           {\"id\": 2, \"type\": \"rot13\", \"secret\": \"abc\"}],\n"
                + "  \"sessions\": [\n"
                + "    {\"peerAddress\": \"10.0.0.2\", \"localAddress\": \"10.0.0.1\","
                + " \"desiredMinTxInterval\": 100000,"
                + " \"authentication\": {\"keyId\": 1, \"bfdKeyId\": 1}},\n"
                + "    {\"peerAddress\": \"10.0.0.3\", \"localAddress\": \"fd00::1\"},\n"
                + "    {\"peerAddress\": \"10.0.0.4\", \"localAddress\": \"10.0.0.1\", \"speed\": 9},\n"
                + "    {\"peerAddress\": \"10.0.0.5\", \"localAddress\": \"10.0.0.1\","
                + " \"authentication\": {\"keyId\": 9, \"bfdKeyId\": 1}}\n"
                + "  ]\n}\n";
        Files.writeString(file, handWritten);
        manager = start(file);
        assertEquals(1, manager.sessions().size(), "only the good session");
        assertEquals(100_000, manager.sessions().get(0).config().desiredMinTxInterval());
        assertEquals(1, manager.keys().size(), "only the good key");
        assertEquals(handWritten, Files.readString(file), "a file with errors is left as written");
        // ... also by the next change, which would otherwise drop the entries that failed.
        BfdException refused = assertThrows(BfdException.class,
                () -> manager.addSession(config("10.0.0.6", "10.0.0.1").build()));
        assertEquals(BfdException.Kind.CONFLICT, refused.kind());
        assertTrue(refused.getMessage().contains("to fix by hand first"), refused.getMessage());
        assertEquals(1, manager.sessions().size(), "the refused change is not applied");
        assertEquals(handWritten, Files.readString(file));
    }

    @Test
    void aChangeThatCannotBeSavedIsRefusedAndUndone() throws Exception {
        Path etc = dir.resolve("etc");
        Path file = etc.resolve("bfd.json");
        manager = start(file);
        long kept = manager.addSession(config("10.2.0.2", "10.2.0.1").build()).id();
        manager.setKey(new BfdAuthKey(3, BfdAuthType.KEYED_SHA1,
                "s3cret".getBytes(StandardCharsets.US_ASCII)));
        String saved = Files.readString(file);
        // Nothing can be written there any more (as root, permissions would not stop us): the
        // temporary file's name is taken by a directory that cannot be removed.
        Files.createDirectories(etc.resolve("bfd.json.tmp").resolve("in-the-way"));

        BfdException refused = assertThrows(BfdException.class,
                () -> manager.addSession(config("10.2.0.3", "10.2.0.1").build()));
        assertEquals(BfdException.Kind.UNAVAILABLE, refused.kind());
        assertTrue(refused.getMessage().contains("nothing was applied"), refused.getMessage());
        assertEquals(1, manager.sessions().size());
        assertThrows(BfdException.class, () -> manager.removeSession(kept));
        assertTrue(manager.session(kept).isPresent(), "a refused removal leaves the session");
        assertThrows(BfdException.class, () -> manager.setAdminDown(kept, true));
        assertFalse(manager.session(kept).orElseThrow().config().isAdminDown());
        assertThrows(BfdException.class, () -> manager.removeKey(3));
        assertEquals(1, manager.keys().size(), "a refused key removal leaves the key");
        assertThrows(BfdException.class, () -> manager.addSessions(java.util.List.of(
                config("10.2.0.4", "10.2.0.1").build(), config("10.2.0.5", "10.2.0.1").build())));
        assertEquals(1, manager.sessions().size(), "a refused batch adds none");
        assertEquals(saved, Files.readString(file), "the file is as it was");

        // Once the file can be written again, changes go through.
        Files.delete(etc.resolve("bfd.json.tmp").resolve("in-the-way"));
        Files.delete(etc.resolve("bfd.json.tmp"));
        manager.addSession(config("10.2.0.3", "10.2.0.1").build());
        assertEquals(2, manager.sessions().size());
        assertTrue(Files.readString(file).contains("10.2.0.3"));
    }

    @Test
    void aFileThatCannotBeRewrittenAtStartRunsAsWritten() throws Exception {
        // An etc/ that cannot be written (as root, permissions would not stop us: the
        // temporary file's name is taken): the sessions run; only the ids are not written back.
        Path file = dir.resolve("bfd.json");
        String handWritten = "{\"keys\": [], \"sessions\": [{\"peerAddress\": \"10.4.0.2\", "
                + "\"localAddress\": \"10.4.0.1\"}]}";
        Files.writeString(file, handWritten);
        Files.createDirectories(dir.resolve("bfd.json.tmp").resolve("in-the-way"));
        manager = start(file);
        assertEquals(1, manager.sessions().size());
        assertEquals(handWritten, Files.readString(file));
        assertEquals(BfdException.Kind.UNAVAILABLE, assertThrows(BfdException.class,
                () -> manager.addSession(config("10.4.0.3", "10.4.0.1").build())).kind());
    }

    @Test
    void aFileSavedInStepsIsReadOnceWhole() throws Exception {
        // What an editor does: truncate, then write; a reader in between sees an empty file.
        Path file = dir.resolve("bfd.json");
        watch(file, contents -> { });
        Files.writeString(file, "");
        Thread.sleep(50); // the editor's pause between its steps, not a wait for a result
        Files.writeString(file, "{\"keys\": [], \"sessions\": [{\"peerAddress\": "
                + "\"10.5.0.2\", \"localAddress\": \"10.5.0.1\"}]}");
        await("the edit seen", () -> seen.stream().anyMatch(c -> c.sessions.size() == 1));
        assertTrue(seen.stream().allMatch(c -> c.errors.isEmpty()),
                "no half-written file was read: " + seen.get(0).errors);
    }

    @Test
    void anEditThatFailsToApplyDoesNotStopTheWatching() throws Exception {
        Path file = dir.resolve("bfd.json");
        watch(file, contents -> {
            if (seen.size() == 1) {
                throw new IllegalStateException("the first edit cannot be applied");
            }
        });
        Files.writeString(file, "{\"keys\": [], \"sessions\": []}");
        await("first edit seen", () -> seen.size() >= 1);
        Files.writeString(file, "{\"keys\": [], \"sessions\": [{\"peerAddress\": "
                + "\"10.3.0.2\", \"localAddress\": \"10.3.0.1\"}]}");
        await("second edit seen", () -> seen.stream().anyMatch(c -> c.sessions.size() == 1));
    }

    @Test
    void editingTheFileWhileRunningReconcilesByPath() throws Exception {
        Path file = dir.resolve("bfd.json");
        manager = start(file);
        long kept = manager.addSession(config("10.1.0.2", "10.1.0.1").build()).id();
        manager.addSession(config("10.1.0.3", "10.1.0.1").build());
        String text = Files.readString(file);
        // Drop the second session, slow the first one down, add a third without an id.
        String edited = "{\"keys\": [], \"sessions\": ["
                + "{\"id\": " + kept + ", \"peerAddress\": \"10.1.0.2\", \"localAddress\": \"10.1.0.1\","
                + " \"desiredMinTxInterval\": 500000},"
                + "{\"peerAddress\": \"10.1.0.4\", \"localAddress\": \"10.1.0.1\"}]}";
        assertFalse(text.contains("500000"));
        Files.writeString(file, edited);
        await("reloaded", () -> manager.sessions().size() == 2
                && manager.session(kept).orElseThrow().config().desiredMinTxInterval() == 500_000);
        assertTrue(manager.sessions().stream()
                .anyMatch(s -> s.config().path().peerAddress().getHostAddress().equals("10.1.0.4")));
        await("rewritten with ids", () -> {
            try {
                return Files.readString(file).contains("\"id\"") && Files.readString(file)
                        .contains("10.1.0.4");
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }
}
