package org.onosbfd.impl.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.onosbfd.api.codec.BfdJson;

/**
 * FRR 8.4 bfdd in the peer's namespace, without systemd: zebra (needed for interface-bound
 * peers) and bfdd with every socket and file in a directory of the test's, owned by user frr.
 */
final class FrrPeer implements PeerDaemon {
    private Path dir;
    private Spec spec;

    @Override
    public String name() {
        return "FRR";
    }

    @Override
    public void start(Namespaces ns, Path directory, Spec s) {
        this.dir = directory;
        this.spec = s;
        StringBuilder conf = new StringBuilder("bfd\n peer ").append(s.ourAddress);
        if (s.multihop) {
            conf.append(" multihop");
        }
        conf.append(" local-address ").append(s.peerAddress);
        if (s.interfaceName != null) {
            conf.append(" interface ").append(s.interfaceName);
        }
        conf.append("\n  receive-interval ").append(s.intervalMillis)
                .append("\n  transmit-interval ").append(s.intervalMillis)
                .append("\n  detect-multiplier ").append(s.multiplier);
        if (s.echoIntervalMillis > 0) {
            conf.append("\n  echo-mode\n  echo transmit-interval ").append(s.echoIntervalMillis)
                    .append("\n  echo receive-interval ").append(s.echoIntervalMillis);
        }
        conf.append("\n !\n!\n");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("bfdd.conf"), conf);
            Files.writeString(dir.resolve("zebra.conf"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Shell.run("chown", "-R", "frr:frr", dir.toString());
        String d = dir.toString();
        Shell.inNamespace(ns.b, "/usr/lib/frr/zebra", "-d", "-F", "traditional",
                "-i", d + "/zebra.pid", "--vty_socket", d, "-z", d + "/zserv.api",
                "-f", d + "/zebra.conf", "--log", "file:" + d + "/zebra.log");
        Shell.inNamespace(ns.b, "/usr/lib/frr/bfdd", "-d", "-F", "traditional",
                "-i", d + "/bfdd.pid", "--vty_socket", d, "-z", d + "/zserv.api",
                "-f", d + "/bfdd.conf", "--bfdctl", d + "/bfdd.sock", "--log", "file:" + d + "/bfdd.log");
    }

    /** FRR's own view of the session (show bfd peers json). */
    JsonNode peer() {
        String json = Shell.tryRun(List.of("vtysh", "--vty_socket", dir.toString(), "-c",
                "show bfd peers json"));
        if (json == null) {
            return null;
        }
        for (JsonNode peer : BfdJson.parse(json)) {
            if (peer.path("peer").asText().equals(spec.ourAddress)) {
                return peer;
            }
        }
        return null;
    }

    /** FRR's packet counters for the session (show bfd peers counters json), or null. */
    JsonNode counters() {
        String json = Shell.tryRun(List.of("vtysh", "--vty_socket", dir.toString(), "-c",
                "show bfd peers counters json"));
        if (json != null) {
            for (JsonNode peer : BfdJson.parse(json)) {
                if (peer.path("peer").asText().equals(spec.ourAddress)) {
                    return peer;
                }
            }
        }
        return null;
    }

    @Override
    public String state() {
        JsonNode peer = peer();
        return peer == null ? "unknown" : peer.path("status").asText();
    }

    @Override
    public void close() {
        Shell.stop(dir.resolve("bfdd.pid"));
        Shell.stop(dir.resolve("zebra.pid"));
    }

    @Override
    public String toString() {
        return name();
    }
}
