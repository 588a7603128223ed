package org.onosbfd.impl.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** BIRD 2 in the peer's namespace with one BFD neighbor, driven through its control socket. */
final class BirdPeer implements PeerDaemon {
    private Path dir;
    private Spec spec;

    @Override
    public String name() {
        return "BIRD";
    }

    @Override
    public void start(Namespaces ns, Path directory, Spec s) {
        this.dir = directory;
        this.spec = s;
        String options = "interval " + s.intervalMillis + " ms; multiplier " + s.multiplier + ";"
                + (s.authType == null ? ""
                : " authentication " + s.authType + "; password \"" + s.secret + "\" { id "
                + s.keyId + "; };");
        String conf = "router id " + Namespaces.B4 + ";\n"
                + "log \"" + dir.resolve("bird.log") + "\" all;\n"
                + "protocol device { }\n"
                + "protocol bfd {\n"
                + "  interface \"*\" { " + options + " };\n"
                + "  multihop { " + options + " };\n"
                // BIRD's grammar: neighbor <ip> [dev "<iface>"] [local <ip>] [multihop <switch>]
                + "  neighbor " + s.ourAddress
                + (s.interfaceName != null ? " dev \"" + s.interfaceName + "\"" : "")
                + " local " + s.peerAddress
                + (s.multihop ? " multihop yes" : "") + ";\n"
                + "}\n";
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("bird.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Shell.inNamespace(ns.b, "bird", "-c", dir.resolve("bird.conf").toString(),
                "-s", dir.resolve("bird.ctl").toString(), "-P", dir.resolve("bird.pid").toString());
    }

    @Override
    public String state() {
        String table = Shell.tryRun(List.of("birdc", "-s", dir.resolve("bird.ctl").toString(),
                "show", "bfd", "sessions"));
        if (table == null) {
            return "unknown";
        }
        for (String line : table.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 3 && columns[0].equals(spec.ourAddress)) {
                // "IP address  Interface  State  Since ...": the interface column may be empty
                // for multihop sessions.
                for (String column : columns) {
                    String lower = column.toLowerCase(Locale.ROOT);
                    if (lower.equals("up") || lower.equals("down") || lower.equals("init")
                            || lower.equals("admindown")) {
                        return lower;
                    }
                }
            }
        }
        return "unknown";
    }

    @Override
    public void close() {
        Shell.stop(dir.resolve("bird.pid"));
    }

    @Override
    public String toString() {
        return name();
    }
}
