package org.onosbfd.impl.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The scale run (a benchmark, not part of the normal test run): N sessions at 50 ms × 3 between
 * our instance and BIRD 2 for a measured period, with zero false Down required on both sides and
 * both sides' CPU time reported. Run as root with
 * {@code mvn -pl bfd-impl-bundle -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=BirdScaleIT -Dbfd.scale=true [-Dbfd.scale.sessions=1000 -Dbfd.scale.seconds=60]}.
 */
class BirdScaleIT {
    private static final int SESSIONS = Integer.getInteger("bfd.scale.sessions", 1000);
    private static final int SECONDS = Integer.getInteger("bfd.scale.seconds", 60);
    private static final long CLOCK_TICKS = 100;

    /** Session i's addresses: both in 10.80.0.0/16, which BIRD sees as connected. */
    private static String ours(int i) {
        return "10.80." + i / 100 + "." + (i % 100 * 2 + 1);
    }

    private static String theirs(int i) {
        return "10.80." + i / 100 + "." + (i % 100 * 2 + 2);
    }

    /** utime + stime of a process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** BIRD's "Since" column for every session, to tell flaps afterwards. */
    private static Map<String, String> birdSessions(Path control) {
        Map<String, String> since = new HashMap<>();
        String table = Shell.run("birdc", "-s", control.toString(), "show", "bfd", "sessions");
        for (String line : table.split("\n")) {
            String[] c = line.trim().split("\\s+");
            if (c.length >= 4 && c[0].startsWith("10.80.")) {
                since.put(c[0], c[2] + " " + c[3]);
            }
        }
        return since;
    }

    /**
     * Sessions whose state or last change moved: BIRD prints "Since" recomputed from a relative
     * time, so the same instant can differ by a millisecond between two calls.
     */
    private static long changed(Map<String, String> before, Map<String, String> after) {
        return before.entrySet().stream().filter(e -> {
            String now = after.get(e.getKey());
            if (now == null || !now.split(" ")[0].equals(e.getValue().split(" ")[0])) {
                return true;
            }
            long was = java.time.LocalTime.parse(e.getValue().split(" ")[1]).toNanoOfDay();
            long is = java.time.LocalTime.parse(now.split(" ")[1]).toNanoOfDay();
            return Math.abs(is - was) > 100_000_000L;
        }).count();
    }

    @Test
    void sessionsAgainstBirdWithoutFalseDown() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("bfd.scale"),
                "SKIPPED: the scale run is a benchmark; run it with -Dbfd.scale=true");
        Assumptions.assumeTrue(Shell.isRoot(), "SKIPPED: the scale run needs root (namespaces)");
        Path dir = Files.createTempDirectory("bfd-scale-");
        Shell.run("chmod", "755", dir.toString());
        // Thousands of on-link neighbours: the kernel's neighbour table is shared by every
        // namespace and starts forgetting ARP entries at 512 by default. Raised for the run only.
        Map<String, String> thresholds = new HashMap<>();
        for (String key : new String[] {"gc_thresh1", "gc_thresh2", "gc_thresh3"}) {
            String name = "net.ipv4.neigh.default." + key;
            thresholds.put(name, Shell.run("sysctl", "-n", name).trim());
        }
        Shell.run("sysctl", "-qw", "net.ipv4.neigh.default.gc_thresh1=4096",
                "net.ipv4.neigh.default.gc_thresh2=8192", "net.ipv4.neigh.default.gc_thresh3=16384");
        try (Namespaces ns = new Namespaces()) {
            List<String> addA = new ArrayList<>();
            List<String> addB = new ArrayList<>();
            for (int i = 1; i <= SESSIONS; i++) {
                addA.add("addr add " + ours(i) + "/16 dev " + ns.vethA);
                addB.add("addr add " + theirs(i) + "/16 dev " + ns.vethB);
            }
            Files.write(dir.resolve("a.batch"), addA);
            Files.write(dir.resolve("b.batch"), addB);
            Shell.run("ip", "-n", ns.a, "-batch", dir.resolve("a.batch").toString());
            Shell.run("ip", "-n", ns.b, "-batch", dir.resolve("b.batch").toString());

            StringBuilder conf = new StringBuilder("router id " + Namespaces.B4 + ";\n"
                    + "protocol device { }\nprotocol bfd {\n"
                    + "  interface \"*\" { interval 50 ms; multiplier 3; };\n");
            for (int i = 1; i <= SESSIONS; i++) {
                conf.append("  neighbor ").append(ours(i)).append(" local ").append(theirs(i))
                        .append(";\n");
            }
            conf.append("}\n");
            Files.writeString(dir.resolve("bird.conf"), conf);
            Path control = dir.resolve("bird.ctl");
            Shell.inNamespace(ns.b, "bird", "-c", dir.resolve("bird.conf").toString(), "-s",
                    control.toString(), "-P", dir.resolve("bird.pid").toString());
            long birdPid = Long.parseLong(Files.readString(dir.resolve("bird.pid")).trim());

            try (Agent agent = new Agent(ns.a, dir.resolve("agent.log"))) {
                for (int i = 1; i <= SESSIONS; i++) {
                    agent.add("{\"localAddress\":\"" + ours(i) + "\",\"peerAddress\":\""
                            + theirs(i) + "\",\"desiredMinTxInterval\":50000,"
                            + "\"requiredMinRxInterval\":50000,\"detectMultiplier\":3}");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                JsonNode summary;
                while (!(summary = agent.command("summary")).get("states").path("UP").asText()
                        .equals(Integer.toString(SESSIONS))) {
                    assertTrue(System.nanoTime() < deadline, "not all Up: " + summary);
                    Thread.sleep(200); // polling a separate process for a condition, with a deadline
                }
                Thread.sleep(5_000); // let both settle (JIT, polls) before measuring
                Map<String, String> birdBefore = birdSessions(control);
                JsonNode before = agent.command("summary");
                long ourTicks = cpuTicks(agent.pid());
                long birdTicks = cpuTicks(birdPid);
                Instant start = Instant.now();

                Thread.sleep(SECONDS * 1000L); // the measured period itself

                double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
                double ourCpu = (cpuTicks(agent.pid()) - ourTicks) / (double) CLOCK_TICKS;
                double birdCpu = (cpuTicks(birdPid) - birdTicks) / (double) CLOCK_TICKS;
                JsonNode after = agent.command("summary");
                Map<String, String> birdAfter = birdSessions(control);
                long birdUp = Shell.run("birdc", "-s", control.toString(), "show", "bfd",
                        "sessions").lines().filter(l -> l.contains(" Up ")).count();
                String result = String.format("%d sessions x 50 ms x 3, %.1f s: ours %.2f CPU-s "
                                + "(%.1f %% of a core), BIRD %.2f CPU-s (%.1f %% of a core); "
                                + "our Down transitions %d, BIRD sessions changed %d, Up %d/%d; "
                                + "our worst TX lateness %d us, smallest detection slack %d us",
                        SESSIONS, elapsed, ourCpu, 100 * ourCpu / elapsed, birdCpu,
                        100 * birdCpu / elapsed,
                        after.get("downTransitions").asLong() - before.get("downTransitions").asLong(),
                        changed(birdBefore, birdAfter),
                        birdUp, SESSIONS, after.get("maxTxLateness").asLong(),
                        after.get("minDetectionSlack").asLong());
                System.out.println("SCALE " + result);
                Files.writeString(Path.of("target", "scale-results.txt"), result + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                assertEquals(before.get("downTransitions").asLong(),
                        after.get("downTransitions").asLong(), "no false Down on our side");
                assertEquals(SESSIONS, birdUp, "every BIRD session Up");
                assertEquals(0, changed(birdBefore, birdAfter), "no BIRD session changed state");
            } finally {
                Shell.stop(dir.resolve("bird.pid"));
            }
        } finally {
            thresholds.forEach((name, value) -> Shell.run("sysctl", "-qw", name + "=" + value));
        }
    }
}
