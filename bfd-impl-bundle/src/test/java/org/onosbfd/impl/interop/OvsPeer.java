package org.onosbfd.impl.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open vSwitch 3.1's own BFD on a port of a userspace bridge in the peer's namespace: there is
 * no kernel module here, so ovsdb-server and ovs-vswitchd run by hand with the netdev datapath,
 * every socket, database and log in a directory of the test's. OVS speaks IPv4 single hop only,
 * from the port itself (it never answers ARP, so our namespace is given its MAC), and reads the
 * port ahead of its namespace's nftables: a cut is made on our side (see
 * {@link Namespaces#cut()}).
 */
final class OvsPeer implements PeerDaemon {
    private static final Pattern STATE = Pattern.compile("(?<![_a-z])state=\"?([a-z_]+)");

    private Path dir;
    private String namespace;
    private String port;

    @Override
    public String name() {
        return "OVS";
    }

    /** A command of OVS's in the peer's namespace, every file of it in the test's directory. */
    private List<String> ovs(String... command) {
        String d = dir.toString();
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "env",
                "OVS_RUNDIR=" + d, "OVS_LOGDIR=" + d, "OVS_DBDIR=" + d));
        full.addAll(List.of(command));
        return full;
    }

    private String vsctl(String... args) {
        List<String> command = ovs("ovs-vsctl", "--timeout=10",
                "--db=unix:" + dir.resolve("db.sock"));
        command.addAll(List.of(args));
        return Shell.run(command);
    }

    @Override
    public void start(Namespaces ns, Path directory, Spec s) {
        if (s.multihop || s.ourAddress.contains(":")) {
            throw new IllegalArgumentException("OVS speaks BFD over IPv4 single hop only");
        }
        this.dir = directory;
        this.namespace = ns.b;
        this.port = ns.vethB;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String d = dir.toString();
        Shell.run(ovs("ovsdb-tool", "create", d + "/conf.db",
                "/usr/share/openvswitch/vswitch.ovsschema"));
        Shell.run(ovs("ovsdb-server", d + "/conf.db", "--remote=punix:" + d + "/db.sock",
                "--pidfile=" + d + "/ovsdb-server.pid", "--unixctl=" + d + "/ovsdb-server.ctl",
                "--log-file=" + d + "/ovsdb-server.log", "--detach"));
        vsctl("--no-wait", "init");
        Shell.run(ovs("ovs-vswitchd", "unix:" + d + "/db.sock",
                "--pidfile=" + d + "/ovs-vswitchd.pid", "--unixctl=" + d + "/ovs-vswitchd.ctl",
                "--log-file=" + d + "/ovs-vswitchd.log", "--detach"));
        String ourMac = Shell.inNamespace(ns.a, "cat", "/sys/class/net/" + ns.vethA + "/address")
                .trim();
        String ovsMac = Shell.inNamespace(ns.b, "cat", "/sys/class/net/" + port + "/address")
                .trim();
        vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                "--", "add-port", "br0", port);
        vsctl("set", "interface", port, "bfd:enable=true",
                "bfd:min_tx=" + s.intervalMillis, "bfd:min_rx=" + s.intervalMillis,
                "bfd:bfd_src_ip=" + s.peerAddress, "bfd:bfd_dst_ip=" + s.ourAddress,
                // Linux drops OVS's default destination MAC (00:23:20:00:00:01) as another
                // host's: address our interface.
                "bfd:bfd_local_dst_mac=" + ourMac);
        // OVS never answers ARP for its BFD address.
        Shell.inNamespace(ns.a, "ip", "neigh", "replace", s.peerAddress, "lladdr", ovsMac,
                "dev", ns.vethA, "nud", "permanent");
    }

    @Override
    public String state() {
        String status = Shell.tryRun(ovs("ovs-vsctl", "--timeout=5",
                "--db=unix:" + dir.resolve("db.sock"), "get", "interface", port, "bfd_status"));
        if (status == null) {
            return "unknown";
        }
        Matcher m = STATE.matcher(status);
        return m.find() ? m.group(1) : "unknown";
    }

    @Override
    public void close() {
        Shell.stop(dir.resolve("ovs-vswitchd.pid"));
        Shell.stop(dir.resolve("ovsdb-server.pid"));
    }

    @Override
    public String toString() {
        return name();
    }
}
