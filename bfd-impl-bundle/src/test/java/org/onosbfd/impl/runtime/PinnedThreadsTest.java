package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The CPU wakers: none unless asked, then one thread pinned to each CPU, gone when stopped. */
class CpuWakersTest {
    private static final long DEADLINE_NANOS = 10_000_000_000L;

    @Test
    void noneUnlessAskedFor() {
        CpuWakers wakers = CpuWakers.start(0);
        assertEquals(0, wakers.size());
        wakers.stop();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void oneThreadPinnedToEachCpuUntilStopped() throws Exception {
        CpuWakers wakers = CpuWakers.start(1000);
        try {
            assertEquals(Runtime.getRuntime().availableProcessors(), wakers.size());
            // Each thread pins itself as it starts: poll its task's allowed CPUs.
            Map<String, String> allowed = new TreeMap<>();
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (System.nanoTime() < deadline) {
                allowed = wakerAffinities();
                if (allowed.size() == wakers.size() && allowed.entrySet().stream()
                        .allMatch(e -> e.getKey().equals("bfd-cpu-waker-" + e.getValue()))) {
                    break;
                }
                Thread.onSpinWait();
            }
            assertEquals(wakers.size(), allowed.size(), allowed.toString());
            allowed.forEach((name, cpus) -> assertEquals(name, "bfd-cpu-waker-" + cpus));
        } finally {
            wakers.stop();
        }
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!wakerAffinities().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(wakerAffinities().isEmpty(), "every waker ends when stopped");
    }

    /** Each waker thread of this process by name, with the CPUs it may run on. */
    private static Map<String, String> wakerAffinities() throws IOException {
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
                if (name.startsWith("bfd-cpu-waker")) {
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
