package org.onosbfd.impl.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.onosbfd.api.codec.BfdJson;

/** The test's handle on an {@link InteropAgent} process running inside a namespace. */
final class Agent implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    Agent(String namespace, Path logFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.logFile=" + logFile,
                InteropAgent.class.getName());
        builder.redirectErrorStream(false);
        builder.redirectError(logFile.resolveSibling(logFile.getFileName() + ".stderr").toFile());
        process = builder.start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "agent-" + namespace);
        reader.setDaemon(true);
        reader.start();
        String ready = poll(Duration.ofSeconds(30));
        if (!"ready".equals(ready)) {
            throw new IllegalStateException("agent did not start: " + ready);
        }
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("event ")) {
                    synchronized (events) {
                        events.add(BfdJson.parse(line.substring(6)));
                        events.notifyAll();
                    }
                } else {
                    answers.add(line);
                }
                synchronized (log) {
                    log.add(line);
                }
            }
        } catch (IOException e) {
            answers.add("error agent output closed: " + e);
        }
    }

    private String poll(Duration timeout) {
        try {
            String line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("no answer from the agent within " + timeout);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a command; returns the JSON answer (or null for a bare ok); throws on error. */
    JsonNode command(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String answer = poll(Duration.ofSeconds(30));
        if (answer.startsWith("error")) {
            throw new IllegalStateException(line + " -> " + answer);
        }
        return answer.length() > 3 ? BfdJson.parse(answer.substring(3)) : null;
    }

    /** The agent JVM's process id (ip netns exec replaces itself with java). */
    long pid() {
        return process.pid();
    }

    long add(String json) {
        return command("add " + json).get("id").asLong();
    }

    JsonNode session(long id) {
        return command("get " + id);
    }

    String state(long id) {
        return session(id).get("state").asText();
    }

    /** Waits for the first event of the session after {@code since} that matches. */
    JsonNode awaitEvent(long id, Instant since, Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (JsonNode event : events) {
                    if (event.get("id").asLong() == id
                            && !Instant.parse(event.get("time").asText()).isBefore(since)
                            && match.test(event)) {
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching event for session " + id + " within "
                            + timeout + "; events: " + events + "; now " + session(id));
                }
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The first event of the session since {@code since}, or null: without waiting. */
    JsonNode awaitEventOrNull(long id, Instant since) {
        synchronized (events) {
            for (JsonNode event : events) {
                if (event.get("id").asLong() == id
                        && !Instant.parse(event.get("time").asText()).isBefore(since)) {
                    return event;
                }
            }
            return null;
        }
    }

    JsonNode awaitState(long id, String state, Instant since, Duration timeout) {
        return awaitEvent(id, since, e -> e.get("state").asText().equals(state), timeout);
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
