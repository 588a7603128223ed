#!/usr/bin/env python3
"""The load harness behind BENCHMARKS.md ("Hold under load"). Run as root, after a build
(scripts/run.sh or mvn install -DskipTests).

Two network namespaces joined by a veth pair, created here and deleted at the end: ours ("a")
runs a copy of the BFD distribution; the peer ("b") runs a second copy, or BIRD 2 with --bird.
Each side gets K addresses on the veth and the N sessions are N distinct address pairs
(a_i, b_j), configured by writing etc/bfd.json, as an operator would. Nothing leaves the two
namespaces.

What it reports, as JSON lines on stdout and in OUT.json:
  - the time from writing the configuration to every session Up on both sides;
  - per measured window: Up->Down transitions on each side, CPU seconds of each process
    (utime + stime from /proc), packets sent and received, CPU microseconds per packet, and
    the load average before and after the window, and the CPU time the
    hypervisor stole from this VM from configuration to the window and in it;
  - optional disturbances inside the window: --hog K busy loops, --stall N SIGSTOPs of our JVM,
    --malformed N crafted packets, --list-sessions GET /sessions calls;
  - optional --cut P: P pairs cut with nftables at the end, and for each the delay between the
    peer's last packet's arrival plus the detection time and the Down;
  - optional --profile: perf samples of both processes in the window, with the kernel's share
    and its heaviest functions (sampling perturbs the window: read its CPU figures apart).

Examples (BENCHMARKS.md has the numbers):
  scripts/load.py --sessions 10000 --interval-ms 50 --seconds 600
  scripts/load.py --sessions 1000 --interval-ms 10 --seconds 600
  scripts/load.py --sessions 1000 --interval-ms 50 --seconds 60 --bird
  scripts/load.py --sessions 1000 --interval-ms 50 --seconds 60 --bird --profile
  scripts/load.py --sessions 1000 --interval-ms 50 --seconds 60 --hog 4
  scripts/load.py --sessions 100 --interval-ms 50 --our-tx-ms 300 --seconds 60 --stall 20
  scripts/load.py --sessions 1000 --interval-ms 50 --seconds 30 --malformed 100000 --cut 50
"""

import argparse
import datetime
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSEMBLY = os.path.join(ROOT, "karaf-assembly", "target", "assembly")
NS_A, NS_B = "bfdload-a", "bfdload-b"
VETH_A, VETH_B = "bfdload-va", "bfdload-vb"
TICKS = os.sysconf("SC_CLK_TCK")
# 26 bytes, A bit, Length 26, Auth Len 3: the packet that once crashed the decoder.
JVM_OPTS = ""
MALFORMED = bytes.fromhex("2044031a00000001000000000000000000000000000000000203")


def profiler(pid, seconds, workdir, side):
    """perf samples of one process (all its threads) for the window: (process, data file)."""
    data = os.path.join(workdir, "perf-%s.data" % side)
    recorder = subprocess.Popen(["perf", "record", "-q", "-F", "999", "-e", "cpu-clock",
                                 "-p", str(pid), "-o", data, "--", "sleep", str(seconds)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return recorder, data


def kernel_profile(data):
    """The kernel's share of the samples and its 15 heaviest functions, self time, in %."""
    report = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children",
                             "--sort", "sym", "--percent-limit", "0"], check=False, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    kernel, symbols = 0.0, []
    for line in report.splitlines():
        fields = line.split()
        # "  12.34%  [k] symbol": [k] kernel, [.] user space (the JIT's code is unnamed).
        if len(fields) >= 3 and fields[0].endswith("%") and fields[1] == "[k]":
            share = float(fields[0][:-1])
            kernel += share
            if len(symbols) < 15:
                symbols.append([fields[2], share])
    return {"kernelPercent": round(kernel, 1), "topKernelSymbols": symbols}


def log(message):
    print(time.strftime("%H:%M:%S ") + message, file=sys.stderr, flush=True)


def run(*args, check=True, capture=True, ns=None):
    command = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    result = subprocess.run(command, check=False, text=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.STDOUT if capture else None)
    if check and result.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(command), result.stdout))
    return result.stdout if capture else ""


def addresses(side, count):
    """Side 0 ("a") is 10.90.0.0/24 and up, side 1 ("b") 10.90.128.0/24 and up."""
    return ["10.90.%d.%d" % (side * 128 + i // 250, i % 250 + 1) for i in range(count)]


def square_side(sessions):
    """Addresses a side for N sessions over distinct address pairs: the ceiling of sqrt(N)."""
    return max(1, math.ceil(math.sqrt(sessions)))


class Namespaces:
    def __init__(self, per_side, threaded_napi=False):
        self.cleanup()
        run("ip", "netns", "add", NS_A)
        run("ip", "netns", "add", NS_B)
        run("ip", "link", "add", VETH_A, "type", "veth", "peer", "name", VETH_B)
        run("ip", "link", "set", VETH_A, "netns", NS_A)
        run("ip", "link", "set", VETH_B, "netns", NS_B)
        for ns, veth, side in ((NS_A, VETH_A, 0), (NS_B, VETH_B, 1)):
            run("ip", "link", "set", "lo", "up", ns=ns)
            run("ip", "link", "set", veth, "up", ns=ns)
            batch = "".join("addr add %s/16 dev %s\n" % (a, veth)
                            for a in addresses(side, per_side))
            subprocess.run(["ip", "-n", ns, "-batch", "-"], input=batch, text=True, check=True)
            run("sysctl", "-qw", "net.ipv4.ip_local_port_range=49152 65535", ns=ns)
            if threaded_napi:
                # GRO on makes the veth receive through NAPI; threaded, that work runs in a
                # kernel thread per end instead of inside the sending process's system call,
                # as a NIC's receive runs in its interrupt and NAPI context, not the sender's.
                run("ethtool", "-K", veth, "gro", "on", "tso", "off", ns=ns)
                run("sh", "-c", "echo 1 > /sys/class/net/%s/threaded" % veth, ns=ns)

    @staticmethod
    def napi_threads():
        """The pids of the veth pair's NAPI kernel threads (with --threaded-napi)."""
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/comm" % entry) as f:
                        name = f.read().strip()
                except OSError:
                    continue
                # "napi/bfdload-va-262", or cut to 15 characters by older kernels.
                if name.startswith(("napi/" + VETH_A[:10], "napi/" + VETH_B[:10])):
                    pids.append(int(entry))
        return pids

    @staticmethod
    def cleanup():
        for ns in (NS_A, NS_B):
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def stat_cpu_seconds(text):
    """(user, system) CPU seconds from the text of a /proc stat file (utime, stime)."""
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def cpu_seconds(pid):
    """(user, system) CPU seconds of a process, all its threads."""
    with open("/proc/%d/stat" % pid) as f:
        return stat_cpu_seconds(f.read())


def thread_cpu_seconds(pid):
    """CPU seconds (user + system) of a process's threads, summed by name with any trailing
    number dropped ("bfd-standby-1" counts as "bfd-standby-"); threads gone since are lost."""
    by_name = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                text = f.read()
        except OSError:
            continue
        name = re.sub(r"\d+$", "", text[text.index("(") + 1:text.rindex(")")])
        by_name[name] = by_name.get(name, 0) + sum(stat_cpu_seconds(text))
    return by_name


def busiest_threads(before, after, elapsed, count=6):
    """The thread names that used the most CPU between two readings, as shares of a core."""
    used = {name: seconds - before.get(name, 0) for name, seconds in after.items()}
    top = sorted(used.items(), key=lambda item: -item[1])[:count]
    return {name: round(seconds / elapsed, 3) for name, seconds in top if seconds > 0}


def steal_seconds():
    """CPU time the hypervisor gave to others while this VM's vCPUs wanted to run, all vCPUs."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return int(fields[8]) / TICKS


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def cfg_property(text):
    """An --property argument, KEY=VALUE, as (key, value); anything else is refused by name."""
    key, eq, value = (part.strip() for part in text.partition("="))
    if not eq or not key or not value:
        raise argparse.ArgumentTypeError("%r is not KEY=VALUE" % text)
    return key, value


class Ours:
    """A copy of the distribution in a namespace, driven through REST with curl."""

    def __init__(self, name, ns, workdir, realtime=True, batched=True, properties=(),
                 link_layer=True, ring=False):
        self.name, self.ns = name, ns
        self.home = os.path.join(workdir, name)
        shutil.copytree(ASSEMBLY, self.home, symlinks=True)
        with open(os.path.join(self.home, "etc", "org.onosbfd.cfg"), "a") as f:
            f.write("\nrealtimePriority = %d\n" % (10 if realtime else 0))
            for key, value in properties:
                f.write("%s = %s\n" % (key, value))
        with open(os.path.join(self.home, "etc", "org.onosbfd.udp.cfg"), "a") as f:
            if not batched:
                f.write("\nbatchedSending = false\n")
            if not link_layer:
                f.write("\nlinkLayerSending = false\n")
            if ring:
                f.write("\nringReceiving = true\n")
        env = dict(os.environ)
        env.setdefault("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
        # Pauses of the whole JVM (GC, safepoints) are where a late packet would come from.
        env["EXTRA_JAVA_OPTS"] = (env.get("EXTRA_JAVA_OPTS", "") + " " + JVM_OPTS
                                  + " -Xlog:gc,safepoint:file="
                                  + os.path.join(self.home, "gc.log") + ":uptime").strip()
        self.console = open(os.path.join(self.home, "console.log"), "w")
        self.process = subprocess.Popen(
            ["ip", "netns", "exec", ns, os.path.join(self.home, "bin", "karaf"), "server"],
            cwd=self.home, env=env, stdout=self.console, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.pid = None
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                self.stats()
                break
            except (RuntimeError, ValueError):
                time.sleep(1)
        else:
            raise RuntimeError("%s did not start; see %s" % (name, self.home))
        self.pid = self.java_pid()

    def java_pid(self):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    cmdline = f.read().split(b"\0")
            except OSError:
                continue
            if cmdline and cmdline[0].endswith(b"java") and \
                    ("-Dkaraf.home=" + self.home).encode() in cmdline:
                return int(pid)
        raise RuntimeError("no JVM for " + self.home)

    def rest(self, path, timeout=30):
        out = run("curl", "-sf", "-m", str(timeout), "-u", "karaf:karaf",
                  "http://127.0.0.1:8181/onos/bfd" + path, ns=self.ns)
        return json.loads(out)

    def stats(self):
        return self.rest("/stats")

    def configure(self, sessions):
        path = os.path.join(self.home, "etc", "bfd.json")
        with open(path + ".new", "w") as f:
            json.dump({"keys": [], "sessions": sessions}, f)
        os.rename(path + ".new", path)

    def log_lines(self):
        try:
            with open(os.path.join(self.home, "data", "log", "karaf.log"), "rb") as f:
                return sum(1 for _ in f)
        except OSError:
            return 0

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.console.close()

    def counters(self):
        s = self.stats()
        udp = s["transports"].get("udp", {})
        return {"up": s["sessionsByState"].get("UP", 0), "settling": s["sessionsSettling"],
                "logLines": self.log_lines(),
                "downTransitions": s["counters"]["downTransitions"],
                "sent": udp.get("datagramsSent", 0), "received": udp.get("datagramsReceived", 0),
                "linkLayerSent": udp.get("linkLayerSent", 0),
                "standbySent": udp.get("standbySent", 0),
                "receiveBufferDrops": udp.get("receiveBufferDrops", 0),
                "drops": s["counters"]["drops"]}


class Bird:
    def __init__(self, ns, workdir, pairs, interval_ms, multiplier):
        conf = ["router id 10.90.128.1;", "protocol device { }", "protocol bfd {",
                '  interface "*" { interval %d ms; multiplier %d; };' % (interval_ms, multiplier)]
        conf += ["  neighbor %s local %s;" % (a, b) for a, b in pairs]
        conf.append("}")
        self.dir = os.path.join(workdir, "bird")
        os.makedirs(self.dir)
        with open(os.path.join(self.dir, "bird.conf"), "w") as f:
            f.write("\n".join(conf) + "\n")
        self.ctl = os.path.join(self.dir, "bird.ctl")
        # BIRD daemonizes: its output must not be a pipe we wait on.
        subprocess.run(["ip", "netns", "exec", ns, "bird", "-c",
                        os.path.join(self.dir, "bird.conf"), "-s", self.ctl,
                        "-P", os.path.join(self.dir, "bird.pid")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:  # the daemon writes its pid file after forking
            with open(os.path.join(self.dir, "bird.pid")) as f:
                text = f.read().strip()
            if text or time.time() > deadline:
                break
            time.sleep(0.1)
        self.pid = int(text)
        self.ns = ns

    def up_and_flaps(self):
        """Sessions Up, and the "Since" column of each, to tell flaps afterwards."""
        table = run("birdc", "-s", self.ctl, "show", "bfd", "sessions", ns=self.ns)
        up, since = 0, {}
        for line in table.splitlines():
            c = line.split()
            if len(c) >= 4 and c[0].startswith("10.90."):
                up += c[2] == "Up"
                since[c[0] + " " + c[1]] = c[3] + (" " + c[4] if len(c) > 4 else "")
        return up, since

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except OSError:
            pass


def session_json(local, peer, interface, tx_ms, rx_ms, multiplier):
    return {"peerAddress": peer, "localAddress": local, "interface": interface,
            "desiredMinTxInterval": tx_ms * 1000, "requiredMinRxInterval": rx_ms * 1000,
            "detectMultiplier": multiplier}


def hogs(count):
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stall(pid, times, pause):
    """SIGSTOP for `pause` seconds, `times` times, one every 3 s (detection of the other way
    has recovered long before the next)."""
    for _ in range(times):
        os.kill(pid, signal.SIGSTOP)
        time.sleep(pause)
        os.kill(pid, signal.SIGCONT)
        time.sleep(3)


def flood(ns, source, destination, count):
    """UDP packets at TTL 255 from the peer namespace, as fast as Python sends them."""
    code = ("import socket\n"
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)\n"
            "s.bind(('%s', 0))\n"
            "p = bytes.fromhex('%s')\n"
            "for _ in range(%d): s.sendto(p, ('%s', 3784))\n") % (
        source, MALFORMED.hex(), count, destination)
    run(sys.executable, "-c", code, ns=ns)


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def cut(ours_b, pairs, detection_ms, count, ns_b):
    """Cuts `count` pairs where they enter b (netdev ingress on its veth: before a socket or a
    packet ring sees them); for each, the Down's delay past detection since the last packet's
    arrival, from b's own record (ms)."""
    chosen = pairs[:: max(1, len(pairs) // count)][:count]
    rules = ["add table netdev bfdcut", "add chain netdev bfdcut ingress "
             "{ type filter hook ingress device %s priority -10; }" % VETH_B]
    rules += ["add rule netdev bfdcut ingress ip saddr %s ip daddr %s udp dport 3784 drop" % p
              for p in chosen]
    subprocess.run(["ip", "netns", "exec", ns_b, "nft", "-f", "-"], input="\n".join(rules),
                   text=True, check=True)
    time.sleep(detection_ms / 1000 * 3 + 1)
    sessions = {(s["localAddress"], s["peerAddress"]): s
                for s in ours_b.rest("/sessions", timeout=60)["sessions"]}
    delays = []
    for a, b in chosen:
        s = sessions[(b, a)]
        if s["state"] == "UP" or "lastPacketArrival" not in s["timing"]:
            delays.append(None)
            continue
        heard = parse_time(s["timing"]["lastPacketArrival"])
        down = parse_time(s["lastStateChange"])
        delays.append(((down - heard).total_seconds() * 1000) - detection_ms)
    run("nft", "delete", "table", "netdev", "bfdcut", ns=ns_b)
    return delays


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(math.ceil(p / 100 * len(ordered))) - 1)]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sessions", type=int, default=1000)
    p.add_argument("--interval-ms", type=int, default=50)
    p.add_argument("--our-tx-ms", type=int, help="our side's TX interval (default: interval)")
    p.add_argument("--multiplier", type=int, default=3)
    p.add_argument("--seconds", type=int, default=60, help="the measured window")
    p.add_argument("--settle", type=int, default=10, help="seconds between all sessions at their configured intervals and the window")
    p.add_argument("--bird", action="store_true", help="BIRD 2 as the peer instead of ours")
    p.add_argument("--no-interface", action="store_true", help="sessions not bound to the veth")
    p.add_argument("--no-realtime", action="store_true", help="realtimePriority = 0")
    p.add_argument("--no-batch", action="store_true", help="batchedSending = false")
    p.add_argument("--no-link-layer", action="store_true", help="linkLayerSending = false")
    p.add_argument("--ring", action="store_true", help="ringReceiving = true (a packet ring)")
    p.add_argument("--property", action="append", default=[], metavar="KEY=VALUE",
                   type=cfg_property,
                   help="a property of etc/org.onosbfd.cfg for both our instances "
                        "(e.g. turnSpacingMicros=1000); repeatable")
    p.add_argument("--hog", type=int, default=0, help="busy-loop processes during the window")
    p.add_argument("--stall", type=int, default=0, help="SIGSTOPs of our JVM in the window")
    p.add_argument("--stall-ms", type=int, default=400)
    p.add_argument("--malformed", type=int, default=0, help="malformed packets in the window")
    p.add_argument("--list-sessions", type=int, default=0,
                   help="GET /sessions calls on our side during the window")
    p.add_argument("--cut", type=int, default=0, help="pairs cut after the window")
    p.add_argument("--out", default=None, help="where to write the JSON result")
    p.add_argument("--keep", action="store_true", help="keep the instances' directories")
    p.add_argument("--jvm-opts", default="",
                   help="extra JVM options for both instances; write --jvm-opts=-X..., "
                        "with the =, as the value starts with -")
    p.add_argument("--profile", action="store_true",
                   help="sample both processes with perf during the window (cpu-clock, "
                        "999 Hz) and report where their kernel time goes")
    p.add_argument("--threaded-napi", action="store_true",
                   help="the veth pair receives through threaded NAPI (needs ethtool): the "
                        "kernel's receive work is charged to its own threads, reported as "
                        "\"napi\", not to the process that sent the packet")
    p.add_argument("--rt-unthrottled", action="store_true",
                   help="kernel.sched_rt_runtime_us = -1 for the run: Linux then no longer "
                        "stops a real-time thread that used 95 %% of its CPU for the rest "
                        "of each second (50 ms), which an event loop near a whole CPU hits "
                        "(README, \"Scale\")")
    p.add_argument("--address-per-session", action="store_true",
                   help="one address pair per session, as --bird has, also between ours")
    args = p.parse_args()
    global JVM_OPTS
    JVM_OPTS = args.jvm_opts
    if os.geteuid() != 0:
        sys.exit("load.py needs root (network namespaces)")
    if not os.path.isdir(ASSEMBLY):
        sys.exit("build first: mvn -B install -DskipTests")

    if args.bird or args.address_per_session:
        # BIRD keeps one session per neighbour address: one address pair per session
        # (--address-per-session gives two instances of ours the same layout).
        per_side = args.sessions
        side_a, side_b = addresses(0, per_side), addresses(1, per_side)
        pairs = list(zip(side_a, side_b))
    else:
        per_side = square_side(args.sessions)
        side_a, side_b = addresses(0, per_side), addresses(1, per_side)
        pairs = [(side_a[i // per_side], side_b[i % per_side]) for i in range(args.sessions)]
    our_tx = args.our_tx_ms or args.interval_ms
    result = {"sessions": args.sessions, "intervalMs": args.interval_ms, "ourTxMs": our_tx,
              "multiplier": args.multiplier, "peer": "bird" if args.bird else "ours",
              "windowSeconds": args.seconds, "hog": args.hog, "stalls": args.stall,
              "malformed": args.malformed, "addressesPerSide": per_side,
              "properties": dict(args.property), "ring": args.ring,
              "nproc": os.cpu_count()}
    workdir = tempfile.mkdtemp(prefix="bfd-load-")
    os.chmod(workdir, 0o755)
    log("namespaces %s/%s, %d addresses a side, %d sessions" % (NS_A, NS_B, per_side,
                                                                args.sessions))
    Namespaces(per_side, args.threaded_napi)
    # Thousands of on-link neighbours: the kernel's neighbour table (shared by every
    # namespace) forgets entries past 512 by default. Raised for the run only, as is the
    # real-time limit with --rt-unthrottled.
    settings = {"net.ipv4.neigh.default.gc_thresh1": 4096,
                "net.ipv4.neigh.default.gc_thresh2": 16384,
                "net.ipv4.neigh.default.gc_thresh3": 32768}
    if args.rt_unthrottled:
        settings["kernel.sched_rt_runtime_us"] = -1
    thresholds = {}
    for name, value in settings.items():
        thresholds[name] = run("sysctl", "-n", name).strip()
        run("sysctl", "-qw", "%s=%d" % (name, value))
    result["rtRuntimeMicros"] = int(run("sysctl", "-n", "kernel.sched_rt_runtime_us"))
    ours = peer = bird = None
    try:
        ours = Ours("a", NS_A, workdir, not args.no_realtime, not args.no_batch, args.property,
                    not args.no_link_layer, args.ring)
        if args.bird:
            bird = Bird(NS_B, workdir, pairs, args.interval_ms, args.multiplier)
        else:
            peer = Ours("b", NS_B, workdir, not args.no_realtime, not args.no_batch,
                        args.property, not args.no_link_layer, args.ring)
        log("started; configuring")
        steal_at_configuration = steal_seconds()
        iface_a = None if args.no_interface else VETH_A
        iface_b = None if args.no_interface else VETH_B
        configured = time.time()
        ours.configure([session_json(a, b, iface_a, our_tx, args.interval_ms, args.multiplier)
                        for a, b in pairs])
        if peer:
            peer.configure([session_json(b, a, iface_b, args.interval_ms, args.interval_ms,
                                         args.multiplier) for a, b in pairs])
        deadline = configured + max(120, args.sessions / 50)
        while time.time() < deadline:
            up_a = ours.counters()["up"]
            up_b = peer.counters()["up"] if peer else bird.up_and_flaps()[0]
            if up_a == args.sessions and up_b == args.sessions:
                break
            time.sleep(0.2)
        result["allUpSeconds"] = round(time.time() - configured, 2)
        result["upAtBringUp"] = [up_a, up_b]
        log("all up after %.1f s (%d / %d)" % (result["allUpSeconds"], up_a, up_b))
        result["bringUpDowns"] = [ours.counters()["downTransitions"],
                                  peer.counters()["downTransitions"] if peer else None]
        # Sessions that came Up send at 1 s until settled (upSettleMillis), then go fast.
        instances = [i for i in (ours, peer) if i]
        while time.time() < deadline and any(i.counters()["settling"] for i in instances):
            time.sleep(0.2)
        result["allSettledSeconds"] = round(time.time() - configured, 2)
        log("all at their configured intervals after %.1f s" % result["allSettledSeconds"])
        time.sleep(args.settle)

        before = {"a": ours.counters(), "b": peer.counters() if peer else None}
        bird_before = bird.up_and_flaps()[1] if bird else None
        pids = {"a": ours.pid, "b": peer.pid if peer else bird.pid}
        napi = Namespaces.napi_threads() if args.threaded_napi else []
        cpu_before = {k: cpu_seconds(v) for k, v in pids.items()}
        threads_before = {k: thread_cpu_seconds(v) for k, v in pids.items()}
        napi_before = sum(sum(cpu_seconds(p)) for p in napi)
        load_before = loadavg()
        steal_before = steal_seconds()
        started = time.time()
        profilers = {side: profiler(pid, args.seconds, workdir, side)
                     for side, pid in pids.items()} if args.profile else {}
        disturbers = hogs(args.hog)
        try:
            if args.stall:
                stall(ours.pid, args.stall, args.stall_ms / 1000)
            if args.malformed:
                flood(NS_B, side_b[0], side_a[0], args.malformed)
            for _ in range(args.list_sessions):
                ours.rest("/sessions", timeout=120)
            remaining = started + args.seconds - time.time()
            if remaining > 0:
                time.sleep(remaining)
        finally:
            for h in disturbers:
                h.kill()
        elapsed = time.time() - started
        cpu_after = {k: cpu_seconds(v) for k, v in pids.items()}
        threads_after = {k: thread_cpu_seconds(v) for k, v in pids.items()}
        napi_cpu = sum(sum(cpu_seconds(p)) for p in napi) - napi_before
        after = {"a": ours.counters(), "b": peer.counters() if peer else None}
        result["loadAverage"] = {"before": load_before, "after": loadavg()}
        # A disturbed window (or bring-up) shows here: the host did not run this VM.
        result["stealSeconds"] = {"configurationToWindow": round(steal_before
                                                                   - steal_at_configuration, 2),
                                  "window": round(steal_seconds() - steal_before, 2)}
        window = {"seconds": round(elapsed, 1)}
        for side in ("a", "b"):
            user = cpu_after[side][0] - cpu_before[side][0]
            system = cpu_after[side][1] - cpu_before[side][1]
            cpu = user + system
            entry = {"cpuSeconds": round(cpu, 2), "userSeconds": round(user, 2),
                     "systemSeconds": round(system, 2), "coreShare": round(cpu / elapsed, 3),
                     # Which threads it was: the event loop, the standby's, GC, the JIT.
                     "busiestThreads": busiest_threads(threads_before[side],
                                                       threads_after[side], elapsed)}
            if after[side]:
                packets = (after[side]["sent"] - before[side]["sent"]
                           + after[side]["received"] - before[side]["received"])
                entry.update({
                    "downs": after[side]["downTransitions"] - before[side]["downTransitions"],
                    "downsSinceConfiguration": after[side]["downTransitions"],
                    "up": after[side]["up"], "packets": packets,
                    "microsPerPacket": round(cpu * 1e6 / packets, 2) if packets else None,
                    "sentBelowIp": after[side]["linkLayerSent"] - before[side]["linkLayerSent"],
                    # Repeated by the standby while the loop was late (not in "packets").
                    "standbySent": after[side]["standbySent"] - before[side]["standbySent"],
                    "logLinesWritten": after[side]["logLines"] - before[side]["logLines"],
                    "receiveBufferDrops": after[side]["receiveBufferDrops"]
                    - before[side]["receiveBufferDrops"],
                    "droppedByReason": {
                        reason: count - before[side]["drops"].get(reason, 0)
                        for reason, count in after[side]["drops"].items()
                        if count != before[side]["drops"].get(reason, 0)}})
            else:
                up, since = bird.up_and_flaps()
                flapped = sum(1 for k, v in bird_before.items() if since.get(k) != v)
                # BIRD's packets are ours mirrored: same rate each way.
                packets = (after["a"]["sent"] - before["a"]["sent"]
                           + after["a"]["received"] - before["a"]["received"])
                entry.update({"up": up, "sessionsThatChanged": flapped, "packets": packets,
                              "microsPerPacket": round(cpu * 1e6 / packets, 2)
                              if packets else None})
            window[side] = entry
        for side, instance in (("a", ours), ("b", peer)):
            if instance:
                # After the window: lifetime figures of every session, bring-up included.
                listed = instance.rest("/sessions", timeout=120)["sessions"]
                window[side]["worstTxLatenessMs"] = max(
                    s["timing"]["maxTxLateness"] for s in listed) / 1000
                window[side]["smallestDetectionSlackMs"] = min(
                    s["timing"]["minDetectionSlack"] for s in listed) / 1000
        if napi:
            packets = window["a"]["packets"]
            window["napi"] = {"threads": len(napi), "cpuSeconds": round(napi_cpu, 2),
                              "coreShare": round(napi_cpu / elapsed, 3),
                              "microsPerPacket": round(napi_cpu * 1e6 / packets, 2)
                              if packets else None}
        for side, (recorder, data) in profilers.items():
            recorder.wait()
            window[side]["kernelProfile"] = kernel_profile(data)
        result["window"] = window
        log("window: " + json.dumps(window))
        if args.cut:
            delays = cut(peer, pairs, args.interval_ms * args.multiplier, args.cut, NS_B) \
                if peer else []
            measured = [d for d in delays if d is not None]
            result["cut"] = {"pairs": args.cut, "detected": len(measured),
                             "lateMsMin": round(min(measured), 3) if measured else None,
                             "lateMsMedian": round(percentile(measured, 50), 3)
                             if measured else None,
                             "lateMsP99": round(percentile(measured, 99), 3)
                             if measured else None,
                             "lateMsMax": round(max(measured), 3) if measured else None}
            log("cut: " + json.dumps(result["cut"]))
    finally:
        for side in (ours, peer, bird):
            if side:
                side.stop()
        Namespaces.cleanup()
        for name, value in thresholds.items():
            run("sysctl", "-qw", "%s=%s" % (name, value))
    print(json.dumps(result), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)
    if args.keep:
        log("kept " + workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
