package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** One thread pinned to each CPU, running its task there, gone when stopped. */
@EnabledOnOs(OS.LINUX)
class PinnedThreadsTest {
    private static final long DEADLINE_NANOS = 10_000_000_000L;

    @Test
    void oneThreadPinnedToEachCpuRunsTheTaskThereUntilStopped() throws Exception {
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        PinnedThreads threads = PinnedThreads.start("test-pinned", 1_000_000L, 0,
                () -> runs.merge(Thread.currentThread().getName(), 1, Integer::sum));
        Map<String, String> allowed = new TreeMap<>();
        try {
            assertEquals(Runtime.getRuntime().availableProcessors(), threads.size());
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (System.nanoTime() < deadline && !(runs.size() == threads.size()
                    && runs.values().stream().allMatch(n -> n >= 3))) {
                Thread.onSpinWait();
            }
            // Each thread pins itself before its first run.
            allowed = affinities("test-pinned");
        } finally {
            threads.stop();
        }
        assertEquals(threads.size(), runs.size(), "every thread ran its task: " + runs);
        assertEquals(threads.size(), allowed.size(), allowed.toString());
        allowed.forEach((name, cpus) -> assertEquals(name, "test-pinned-" + cpus));
        // join() returns as the Java thread ends; the kernel lists its task a moment longer
        // (seen in CI, with another process busy on the machine).
        long gone = System.nanoTime() + DEADLINE_NANOS;
        while (!affinities("test-pinned").isEmpty() && System.nanoTime() < gone) {
            Thread.onSpinWait();
        }
        assertTrue(affinities("test-pinned").isEmpty(), "every thread ended after stop()");
    }

    /** This process's threads whose names start so, with the CPUs each may run on. */
    private static Map<String, String> affinities(String prefix) throws IOException {
        Map<String, String> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Paths.get("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                String status;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    status = Files.readString(task.resolve("status"));
                } catch (IOException ended) {
                    continue; // the thread ended while listed
                }
                if (name.startsWith(prefix)) {
                    for (String line : status.split("\n")) {
                        if (line.startsWith("Cpus_allowed_list:")) {
                            byName.put(name, line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                }
            }
        }
        return byName;
    }
}
