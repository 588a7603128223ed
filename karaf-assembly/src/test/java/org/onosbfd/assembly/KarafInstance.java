package org.onosbfd.assembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A copy of the built distribution running as a child process on free ports, driven through
 * {@code bin/client -b} as an operator's script would. Test-only.
 */
final class KarafInstance implements AutoCloseable {
    /** What a shell command printed and how it exited. */
    static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    final Path home;
    final int sshPort;
    final int httpPort;
    private Process process;

    private KarafInstance(Path home, int sshPort, int httpPort, Process process) {
        this.home = home;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
        this.process = process;
    }

    /** What a test changes in a copied distribution before it starts. */
    interface Preparation {
        void prepare(Path home) throws IOException;
    }

    /** Copies the assembly, assigns free ports, starts it and waits until bfd answers. */
    static KarafInstance start(Path assembly, Duration deadline) throws IOException {
        return start(assembly, home -> { }, "bfd:sessions", deadline);
    }

    /**
     * Copies a Karaf distribution, prepares the copy, assigns free ports, starts it and waits
     * until {@code readyCommand} succeeds.
     */
    static KarafInstance start(Path distribution, Preparation preparation, String readyCommand,
                               Duration deadline) throws IOException {
        // One level down, as Karaf lies inside an ONOS installation: ONOS keeps installed
        // applications beside it, in ../apps.
        Path home = Files.createTempDirectory("bfd-karaf-").resolve("karaf");
        copyTree(distribution, home);
        preparation.prepare(home);
        int ssh = freePort();
        replaceLine(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", "sshPort = " + ssh);
        replaceLine(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshHost",
                "sshHost = 127.0.0.1");
        replaceLine(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort",
                "rmiRegistryPort = " + freePort());
        replaceLine(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort",
                "rmiServerPort = " + freePort());
        // BFD's own ports too: a BFD daemon on this host must not break the test, nor it the daemon.
        Files.writeString(home.resolve("etc/org.onosbfd.udp.cfg"),
                "singleHopPort = " + freeUdpPort() + "\nmultihopPort = " + freeUdpPort() + "\n");
        int http = freePort();
        replaceLine(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port",
                "org.osgi.service.http.port = " + http);
        KarafInstance karaf = new KarafInstance(home, ssh, http, launch(home));
        karaf.awaitCommand(readyCommand, deadline);
        return karaf;
    }

    private static Process launch(Path home) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("console.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }

    /** kill -9 of the JVM (and the script around it), then a fresh start of the same home. */
    void crashAndRestart(Duration deadline) throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Karaf did not die", e);
        }
        process = launch(home);
        awaitCommand("bfd:sessions", deadline);
    }

    /** Runs one shell command in batch mode, as the default karaf user. */
    Result run(String command) {
        return runAs("karaf", "karaf", command);
    }

    /** Adds a user of the karaf realm (read at each login): {@code roles} as "viewer,ssh". */
    void addUser(String name, String password, String roles) throws IOException {
        Files.writeString(home.resolve("etc/users.properties"),
                "\n" + name + " = " + password + "," + roles + "\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** Runs one shell command in batch mode as another user. */
    Result runAs(String user, String password, String command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(),
                    "-a", Integer.toString(sshPort), "-h", "127.0.0.1", "-u", user,
                    "-p", password, "-r", "3", "-d", "1", "-b")
                    .directory(home.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process client = builder.start();
            client.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().close();
            String output = new String(client.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            if (!client.waitFor(60, TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IllegalStateException("bin/client hung on: " + command);
            }
            return new Result(client.exitValue(), output.replaceAll("\u001B\\[[;\\d]*m", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls a command until it succeeds or the deadline passes. */
    Result awaitCommand(String command, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        Result last = null;
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Karaf exited: " + consoleLog());
            }
            last = run(command);
            if (last.exitCode == 0) {
                return last;
            }
        }
        throw new IllegalStateException("'" + command + "' never succeeded; last " + last
                + "\nconsole:\n" + consoleLog());
    }

    /** Polls a command until its output satisfies {@code done} (20 s at most); returns it. */
    String awaitOutput(String command, java.util.function.Predicate<String> done) {
        return awaitOutput(command, Duration.ofSeconds(20), done);
    }

    /** Polls a command until its output satisfies {@code done} within the time; returns it. */
    String awaitOutput(String command, Duration within, java.util.function.Predicate<String> done) {
        long deadline = System.nanoTime() + within.toNanos();
        String output;
        while (!done.test(output = run(command).output)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + command + "' never matched:\n" + output);
            }
        }
        return output;
    }

    /** Polls karaf.log until it contains the text (20 s at most). */
    void awaitLog(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!karafLog().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never logged: " + text);
            }
            Thread.onSpinWait();
        }
    }

    String consoleLog() {
        try {
            return Files.readString(home.resolve("console.log"));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    String karafLog() {
        try {
            return Files.readString(home.resolve("data/log/karaf.log"));
        } catch (IOException e) {
            return "(no karaf.log: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        // The script runs the JVM as a child: stop both, and wait, before deleting their files.
        java.util.List<ProcessHandle> all = new java.util.ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
                try {
                    handle.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception again) {
                    throw new IOException("process " + handle.pid() + " would not die", again);
                }
            }
        }
        deleteTree(home.getParent());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Replaces the line setting {@code key}, or adds it (to a new file if there is none). */
    private static void replaceLine(Path file, String key, String replacement) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file)
                : new java.util.ArrayList<>();
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith(key + " ") || line.startsWith(key + "=")) {
                lines.set(i, replacement);
                found = true;
            }
        }
        if (!found) {
            lines.add(replacement);
        }
        Files.write(file, lines);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                    throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                    throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)),
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                    throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
