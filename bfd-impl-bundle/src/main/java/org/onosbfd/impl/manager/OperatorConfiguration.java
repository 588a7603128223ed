package org.onosbfd.impl.manager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.impl.runtime.EventLoop;
import org.onosbfd.impl.runtime.OffLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's configuration: every change through the API is applied on the loop and made
 * durable in {@code etc/bfd.json} before the call returns, and the file, when edited by hand,
 * is reconciled into what runs. Runs on the callers' threads (API callers, the file watcher),
 * one change at a time; never a file write on the event loop.
 */
@OffLoop
final class OperatorConfiguration {
    private static final Logger log = LoggerFactory.getLogger(BfdManager.class);
    /**
     * How long creating or changing sessions may hold one turn of the loop: opening a session's
     * sockets costs up to milliseconds while the code is cold, so a fixed number per turn
     * (it was 20) held the loop for tens of milliseconds at bring-up.
     */
    static final long CHANGES_NANOS_PER_TURN = 1_000_000L;

    /** The operator's configuration at one moment, to be written to the file. */
    private static final class Saved {
        final long version;
        final List<BfdAuthKey> keys;
        final Map<Long, BfdSessionConfig> sessions;

        Saved(long version, List<BfdAuthKey> keys, Map<Long, BfdSessionConfig> sessions) {
            this.version = version;
            this.keys = keys;
            this.sessions = sessions;
        }
    }

    private final EventLoop loop;
    private final SessionRegistry registry;
    /** Held while an operator's change is applied and saved (or undone). */
    private final Object operatorChanges = new Object();
    /** Where the operator's configuration lives; null: not persisted (tests, embedded use). */
    private volatile ConfigFile configFile;
    /** Touched on the loop only: orders the saves (a late writer never wins). */
    private long configVersion;

    OperatorConfiguration(EventLoop loop, SessionRegistry registry) {
        this.loop = loop;
        this.registry = registry;
    }

    /** Keeps the configuration in {@code file}; set before {@link #restore()}. */
    void keepIn(ConfigFile file) {
        configFile = file;
    }

    /** Applies the file, then follows the operator's edits of it; nothing without a file. */
    void restore() {
        ConfigFile file = configFile;
        if (file == null) {
            return;
        }
        applyFile(file.read(), "restored from " + file.path());
        try {
            file.watch(changed -> applyFile(changed, "reloaded from " + file.path()));
        } catch (IOException e) {
            log.warn("BFD configuration {} will not be reloaded on change: {}", file.path(),
                    e.getMessage());
        }
    }

    void stop() {
        ConfigFile file = configFile;
        if (file != null) {
            file.stop();
        }
    }

    /**
     * Makes the file's configuration the operator's: sessions matched by path (one session per
     * path), keys by id. Bad entries are reported and skipped, good ones applied; a file with
     * errors is left as the operator wrote it, a good one is rewritten with the ids assigned.
     * Applied for at most {@value #CHANGES_NANOS_PER_TURN} ns per turn of the loop: opening
     * sockets for thousands of sessions at once would delay every running session's packets.
     */
    private void applyFile(ConfigFile.Contents contents, String what) {
        synchronized (operatorChanges) {
            List<String> errors = new ArrayList<>(contents.errors);
            int[] changes = {loop.call(() -> registry.keys().reconcile(contents.keys, errors))};
            inTurns(new ArrayList<>(contents.sessions.entrySet()),
                    entry -> changes[0] += registry.reconcileSessions(List.of(entry), errors));
            if (errors.isEmpty()) {
                // Only a file that parsed completely says which sessions and keys are gone.
                changes[0] += loop.call(() -> registry.removeUnwanted(contents, errors));
            }
            log.info("BFD configuration {}: {} keys, {} sessions, {} changes", what,
                    contents.keys.size(), contents.sessions.size(), changes[0]);
            errors.forEach(e -> log.error("BFD configuration {}: skipped {}", what, e));
            if (changes[0] > 0 && errors.isEmpty()) {
                try {
                    save();
                } catch (BfdException e) {
                    // The file is the operator's and what runs is what it says; only the ids we
                    // would have written into it are missing. Changes through the API will fail
                    // until the file can be written.
                    log.error("BFD configuration {}: running as the file says, but {}", what,
                            e.getMessage());
                }
            }
        }
    }

    /**
     * Runs an operator's change on the loop and, before returning, writes the resulting
     * configuration from the caller's thread: durable when the call returns. When the file
     * cannot be written, the change is undone and the call fails: what runs is always what a
     * restart would restore. Operators' changes run one at a time, so that undoing one never
     * undoes another's.
     */
    <T> T change(Supplier<T> change) {
        synchronized (operatorChanges) {
            Saved[] beforeAndAfter = new Saved[2];
            T result = loop.call(() -> {
                Saved before = configFile != null ? capture() : null;
                T value = change.get();
                beforeAndAfter[0] = before;
                beforeAndAfter[1] = before != null ? capture() : null;
                return value;
            });
            if (beforeAndAfter[1] != null) {
                try {
                    persist(beforeAndAfter[1]);
                } catch (BfdException e) {
                    loop.run(() -> revert(beforeAndAfter[0]));
                    throw e;
                }
            }
            return result;
        }
    }

    /**
     * All or none, at most {@value #CHANGES_NANOS_PER_TURN} ns of the loop per turn, one save:
     * 5,000 sessions posted at once must not stall the sessions already running.
     */
    List<BfdSession> addAll(List<BfdSessionConfig> configs) {
        List<BfdSessionConfig> all = List.copyOf(configs);
        synchronized (operatorChanges) {
            loop.run(() -> registry.checkAddable(all));
            // Filled on the loop, one slice per call: each call's completion publishes it here.
            List<BfdSession> added = new ArrayList<>(all.size());
            try {
                inTurns(all, c -> added.add(registry.configure(c)));
                save();
            } catch (BfdException e) {
                // Another caller took a path between the check and here, or the file cannot be
                // written: undo this request's part.
                loop.run(() -> added.forEach(s -> registry.unconfigure(registry.find(s.id()))));
                throw e;
            }
            return added;
        }
    }

    /**
     * Runs {@code work} on the loop for each item, for at most {@value #CHANGES_NANOS_PER_TURN}
     * ns per turn (and at least one item): between turns the loop reads packets and runs
     * timers. A failure stops at that item, with the ones before it done.
     */
    private <T> void inTurns(List<T> items, Consumer<T> work) {
        int[] next = {0};
        while (next[0] < items.size()) {
            loop.run(() -> {
                long start = loop.now();
                do {
                    work.accept(items.get(next[0]++));
                } while (next[0] < items.size()
                        && loop.now() - start < CHANGES_NANOS_PER_TURN);
            });
        }
    }

    /** Writes the operator's configuration as it is now. */
    private void save() {
        Saved saved = loop.call(() -> configFile != null ? capture() : null);
        if (saved != null) {
            persist(saved);
        }
    }

    /** The operator's sessions and keys as they are now; on the loop. */
    private Saved capture() {
        return new Saved(++configVersion, registry.keys().list(), registry.configuredSessions());
    }

    /** Puts back the operator's sessions and keys as they were; on the loop. */
    private void revert(Saved before) {
        ConfigFile.Contents contents = new ConfigFile.Contents();
        contents.keys.addAll(before.keys);
        before.sessions.forEach((id, config) -> contents.sessions.put(config, id));
        List<String> errors = new ArrayList<>();
        registry.keys().reconcile(contents.keys, errors);
        registry.reconcileSessions(new ArrayList<>(contents.sessions.entrySet()), errors);
        registry.removeUnwanted(contents, errors);
        errors.forEach(e -> log.error("BFD: undoing a change that could not be saved: {}", e));
    }

    /** Writes the configuration; a failure is the caller's, as a refusal with the reason. */
    private void persist(Saved saved) {
        ConfigFile file = configFile;
        if (file == null) {
            return;
        }
        List<String> errors = file.errorsOnDisk();
        if (!errors.isEmpty()) {
            throw BfdException.conflict("configFile", file.path() + " has " + errors.size()
                    + " error(s) to fix by hand first, so it is not rewritten: " + errors.get(0));
        }
        try {
            file.write(saved.version, saved.keys, saved.sessions);
        } catch (IOException e) {
            log.error("BFD configuration could not be saved to {}: {}", file.path(), e.toString());
            throw BfdException.unsaved(file.path().toString(), e.getMessage() != null
                    ? e.getMessage() : e.toString());
        }
    }
}
