package org.onosbfd.impl.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs system commands for the namespace tests; a failure is an exception with the output. */
final class Shell {
    private Shell() {
    }

    static String run(String... command) {
        return run(List.of(command));
    }

    static String run(List<String> command) {
        String output = tryRun(command);
        if (output == null) {
            throw new IllegalStateException("failed: " + String.join(" ", command) + "\n"
                    + lastOutput.get());
        }
        return output;
    }

    private static final ThreadLocal<String> lastOutput = new ThreadLocal<>();

    /** The command's output, or null when it exited non-zero. */
    static String tryRun(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            lastOutput.set(output);
            return p.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String inNamespace(String namespace, String... command) {
        List<String> full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full);
    }

    /** Stops the daemon whose pid file this is: TERM, up to 5 s, then KILL. */
    static void stop(java.nio.file.Path pidFile) {
        if (java.nio.file.Files.exists(pidFile)) {
            tryRun(List.of("sh", "-c", "kill $(cat " + pidFile + ") 2>/dev/null; "
                    + "for i in $(seq 1 50); do kill -0 $(cat " + pidFile + ") 2>/dev/null "
                    + "|| exit 0; sleep 0.1; done; kill -9 $(cat " + pidFile + ")"));
        }
    }

    static boolean isRoot() {
        String id = tryRun(List.of("id", "-u"));
        return id != null && id.trim().equals("0");
    }

    static boolean has(String program) {
        return tryRun(List.of("sh", "-c", "command -v " + program)) != null;
    }
}
