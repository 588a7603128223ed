package org.onosbfd.impl.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.codec.BfdJson;
import org.onosbfd.impl.storage.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's configuration on disk: keys and sessions in the API's JSON form,
 * <pre>
 *   {"keys": [{"id": 1, "type": "keyed-sha1", "secret": "s3cret"}],
 *    "sessions": [{"id": 1, "peerAddress": "10.0.0.2", "localAddress": "10.0.0.1", ...}]}
 * </pre>
 * Written durably ({@link DurableFile}: whole or not at all) with permissions 0600 since it
 * holds secrets; read at start; and watched, so that an operator may edit it by hand.
 */
final class ConfigFile {
    private static final Logger log = LoggerFactory.getLogger(ConfigFile.class);

    /** What a file holds: the entries that parsed, and why the others did not. */
    static final class Contents {
        final List<BfdAuthKey> keys = new ArrayList<>();
        /** Sessions with the id the file gave them (0 when none). */
        final Map<BfdSessionConfig, Long> sessions = new java.util.LinkedHashMap<>();
        final List<String> errors = new ArrayList<>();
    }

    private final Path file;
    private String lastWritten;
    private long lastWrittenVersion = -1;
    /**
     * Why entries of the file as last read were skipped: while there are any, the file is the
     * operator's to fix and is not rewritten (README: a file with errors is left as written).
     */
    private List<String> errorsOnDisk = List.of();
    /** How long the file must be left alone after a change before it is read. */
    private static final long SETTLE_MILLIS = 300;
    private WatchService watcher;
    private Thread watchThread;

    ConfigFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** Reads and parses the file; a missing file is an empty configuration. */
    synchronized Contents read() {
        Contents contents = new Contents();
        if (!Files.exists(file)) {
            return contents;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            contents.errors.add(file + ": cannot be read: " + e.getMessage());
            return contents;
        }
        parse(text, contents);
        errorsOnDisk = List.copyOf(contents.errors);
        return contents;
    }

    /** The errors of the file as last read; empty when it can be rewritten. */
    synchronized List<String> errorsOnDisk() {
        return errorsOnDisk;
    }

    static void parse(String text, Contents contents) {
        JsonNode root;
        try {
            root = BfdJson.parse(text);
        } catch (BfdException e) {
            contents.errors.add(e.getMessage());
            return;
        }
        if (!root.isObject()) {
            contents.errors.add("the file must hold a JSON object with \"keys\" and \"sessions\"");
            return;
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("keys") && !name.equals("sessions")) {
                contents.errors.add(name + ": no such section; known: keys, sessions");
            }
        });
        JsonNode keys = root.path("keys");
        for (int i = 0; i < keys.size(); i++) {
            try {
                contents.keys.add(BfdJson.decodeKey(keys.get(i)));
            } catch (BfdException | IllegalArgumentException e) {
                contents.errors.add("keys[" + i + "]: " + e.getMessage());
            }
        }
        JsonNode sessions = root.path("sessions");
        for (int i = 0; i < sessions.size(); i++) {
            JsonNode entry = sessions.get(i);
            try {
                long id = entry.path("id").asLong(0);
                contents.sessions.put(BfdJson.decodeConfig(entry, null), id);
            } catch (BfdException | IllegalArgumentException e) {
                contents.errors.add("sessions[" + i + "]: " + e.getMessage());
            }
        }
    }

    /**
     * Writes the configuration of a given version unless a newer one is already on disk; returns
     * when it is durable, throws with the file as it was when it cannot be.
     */
    synchronized void write(long version, List<BfdAuthKey> keys,
                            Map<Long, BfdSessionConfig> sessions) throws IOException {
        if (version <= lastWrittenVersion) {
            return;
        }
        ObjectNode root = BfdJson.mapper().createObjectNode();
        ArrayNode keyArray = root.putArray("keys");
        keys.forEach(key -> keyArray.add(BfdJson.encodeWithSecret(key)));
        ArrayNode sessionArray = root.putArray("sessions");
        sessions.forEach((id, config) -> {
            ObjectNode s = sessionArray.addObject();
            s.put("id", id);
            s.setAll(BfdJson.encode(config));
        });
        String text = BfdJson.print(root) + "\n";
        DurableFile.replace(file, text.getBytes(StandardCharsets.UTF_8));
        lastWritten = text;
        lastWrittenVersion = version;
    }

    /** Calls {@code onChange} with the new contents whenever someone else changes the file. */
    void watch(Consumer<Contents> onChange) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        watcher = FileSystems.getDefault().newWatchService();
        directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY);
        watchThread = new Thread(() -> {
            try {
                while (true) {
                    boolean ours = concernsFile(watcher.take());
                    // An editor saves in steps (truncate, write; or write a copy, rename):
                    // read once the file has been left alone for a moment, not half-written.
                    WatchKey more;
                    while (ours && (more = watcher.poll(SETTLE_MILLIS,
                            java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                        concernsFile(more);
                    }
                    if (ours) {
                        try {
                            changed(onChange);
                        } catch (RuntimeException e) {
                            // One edit that could not be applied must not end the watching:
                            // the operator's next edit is read again.
                            log.error("BFD configuration {}: the change could not be applied",
                                    file, e);
                        }
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // stopped
            }
        }, "bfd-config-watch");
        watchThread.setDaemon(true);
        watchThread.start();
    }

    /** Whether the events of {@code key} touch our file; readies the key for more. */
    private boolean concernsFile(WatchKey key) {
        boolean ours = key.pollEvents().stream()
                .anyMatch(e -> file.getFileName().equals(e.context()));
        key.reset();
        return ours;
    }

    private void changed(Consumer<Contents> onChange) {
        String text;
        Contents contents = new Contents();
        synchronized (this) {
            try {
                text = Files.exists(file) ? Files.readString(file) : null;
            } catch (IOException e) {
                log.warn("BFD configuration {} cannot be read: {}", file, e.getMessage());
                return;
            }
            if (text == null || text.equals(lastWritten)) {
                return; // our own write, or a file being replaced
            }
            parse(text, contents);
            errorsOnDisk = List.copyOf(contents.errors);
        }
        onChange.accept(contents);
    }

    void stop() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                log.debug("closing the configuration watcher", e);
            }
        }
    }
}
