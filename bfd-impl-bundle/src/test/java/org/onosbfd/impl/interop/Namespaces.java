package org.onosbfd.impl.interop;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Two network namespaces made by the test, joined by a veth pair: ours ("a") and the peer's
 * ("b"). Only these addresses are used, all inside the two namespaces:
 * <pre>
 *   a: 10.77.1.1/24  fd00:77:1::1/64  fe80::77:1 (veth)   lo: 10.77.255.1  fd00:77:ff::1
 *   b: 10.77.1.2/24  fd00:77:1::2/64  fe80::77:2 (veth)   lo: 10.77.255.2  fd00:77:ff::2
 * </pre>
 * The loopback addresses are routed across the veth for multihop sessions.
 */
final class Namespaces implements AutoCloseable {
    static final String A4 = "10.77.1.1";
    static final String B4 = "10.77.1.2";
    static final String A6 = "fd00:77:1::1";
    static final String B6 = "fd00:77:1::2";
    static final String A_LINK_LOCAL = "fe80::77:1";
    static final String B_LINK_LOCAL = "fe80::77:2";
    static final String A_LOOP4 = "10.77.255.1";
    static final String B_LOOP4 = "10.77.255.2";
    static final String A_LOOP6 = "fd00:77:ff::1";
    static final String B_LOOP6 = "fd00:77:ff::2";

    final String a;
    final String b;
    final String vethA;
    final String vethB;

    Namespaces() {
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        a = "bfdA" + id;
        b = "bfdB" + id;
        vethA = "vA" + id;
        vethB = "vB" + id;
        try {
            Shell.run("ip", "netns", "add", a);
            Shell.run("ip", "netns", "add", b);
            Shell.run("ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB);
            Shell.run("ip", "link", "set", vethA, "netns", a);
            Shell.run("ip", "link", "set", vethB, "netns", b);
            configure(a, vethA, A4, A6, A_LINK_LOCAL, A_LOOP4, A_LOOP6, B4, B6, B_LOOP4, B_LOOP6);
            configure(b, vethB, B4, B6, B_LINK_LOCAL, B_LOOP4, B_LOOP6, A4, A6, A_LOOP4, A_LOOP6);
            // BIRD takes its source ports from the kernel's ephemeral range: make it RFC 5881's.
            Shell.inNamespace(b, "sysctl", "-qw", "net.ipv4.ip_local_port_range=49152 65535");
        } catch (RuntimeException e) {
            close(); // nobody else will: the caller never gets the object
            throw e;
        }
    }

    private static void configure(String ns, String veth, String v4, String v6, String linkLocal,
                                  String loop4, String loop6, String peer4, String peer6,
                                  String peerLoop4, String peerLoop6) {
        Shell.inNamespace(ns, "sysctl", "-qw", "net.ipv6.conf.all.keep_addr_on_down=1");
        Shell.inNamespace(ns, "ip", "link", "set", "lo", "up");
        Shell.inNamespace(ns, "ip", "addr", "add", v4 + "/24", "dev", veth);
        Shell.inNamespace(ns, "ip", "-6", "addr", "add", v6 + "/64", "dev", veth, "nodad");
        Shell.inNamespace(ns, "ip", "-6", "addr", "add", linkLocal + "/64", "dev", veth, "nodad");
        Shell.inNamespace(ns, "ip", "addr", "add", loop4 + "/32", "dev", "lo");
        Shell.inNamespace(ns, "ip", "-6", "addr", "add", loop6 + "/128", "dev", "lo", "nodad");
        Shell.inNamespace(ns, "ip", "link", "set", veth, "up");
        Shell.inNamespace(ns, "ip", "route", "add", peerLoop4 + "/32", "via", peer4);
        Shell.inNamespace(ns, "ip", "-6", "route", "add", peerLoop6 + "/128", "via", peer6);
    }

    /**
     * Drops BFD, control and echo, every way in both namespaces (nftables): a silent link
     * failure. Both, since a peer may read its port ahead of its own namespace's filters (Open
     * vSwitch's userspace datapath does); forwarded too, since echo packets are looped by the
     * other side's forwarding.
     */
    void cut() {
        for (String ns : new String[] {a, b}) {
            StringBuilder rules = new StringBuilder("add table inet bfdcut");
            for (String hook : new String[] {"input", "output", "forward"}) {
                rules.append("; add chain inet bfdcut ").append(hook).append(" { type filter hook ")
                        .append(hook).append(" priority -10; }; add rule inet bfdcut ")
                        .append(hook).append(" udp dport { 3784, 3785, 4784 } drop");
            }
            Shell.inNamespace(ns, "nft", rules.toString());
        }
    }

    void restore() {
        for (String ns : new String[] {a, b}) {
            Shell.inNamespace(ns, "nft", "delete table inet bfdcut");
        }
    }

    @Override
    public void close() {
        for (String ns : new String[] {a, b}) {
            String pids = Shell.tryRun(java.util.List.of("ip", "netns", "pids", ns));
            if (pids != null && !pids.isBlank()) {
                Shell.tryRun(java.util.List.of("sh", "-c", "kill -9 " + pids.replace('\n', ' ')));
            }
            Shell.tryRun(java.util.List.of("ip", "netns", "del", ns));
        }
    }
}
