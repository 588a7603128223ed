#!/usr/bin/env python3
"""What the kernel's own packet path costs at a load, with nothing of BFD on top: the floor
that BENCHMARKS.md compares our CPU per packet against. Run as root; needs gcc.

It builds scripts/kernel_floor.c and runs one copy in each of load.py's two namespaces, with
load.py's addresses and sessions (N address pairs over sqrt(N) addresses a side), each sending
its N packets every interval through AF_PACKET with sendmmsg() and receiving the peer's on a
UDP socket with recvmmsg(), the system calls, socket options and batches of our host-socket
transport (see the C file). It reports, per side, CPU per packet (user and kernel, over the
window, from getrusage) and the longest gap between two arrivals of a session by the kernel's
timestamps: a gap beyond the detection time is a Down that even this loop would have seen.
The load average before and after the window is reported too.

  scripts/kernel_floor.py --sessions 10000 --interval-ms 50 --seconds 60 [--ring]

--ring receives from a packet ring instead of recvmmsg(), as ringReceiving = true does.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load  # noqa: E402  (the namespaces, addresses and load average of the load harness)

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel_floor.c")


def mac(ns, interface):
    return load.run("cat", "/sys/class/net/%s/address" % interface, ns=ns).strip()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sessions", type=int, default=10000)
    p.add_argument("--interval-ms", type=int, default=50)
    p.add_argument("--multiplier", type=int, default=3)
    p.add_argument("--warmup", type=int, default=5, help="seconds before the window")
    p.add_argument("--seconds", type=int, default=60, help="the measured window")
    p.add_argument("--ring", action="store_true",
                   help="receive from a packet ring, as ringReceiving = true does")
    p.add_argument("--out", help="where to write the JSON result")
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("kernel_floor.py: run as root (namespaces, AF_PACKET, SCHED_FIFO)")
    per_side = load.square_side(args.sessions)
    with tempfile.TemporaryDirectory(prefix="bfd-floor-") as workdir:
        binary = os.path.join(workdir, "kernel_floor")
        subprocess.run(["gcc", "-O2", "-Wall", "-o", binary, SOURCE], check=True)
        load.Namespaces(per_side)
        try:
            sides = ((load.NS_A, load.VETH_A, 0), (load.NS_B, load.VETH_B, 1))
            macs = {ns: mac(ns, veth) for ns, veth, _ in sides}
            before = load.loadavg()
            processes = []
            for ns, veth, side in sides:
                peer_ns, _, peer_side = sides[1 - side]
                command = ["ip", "netns", "exec", ns, binary, veth, macs[peer_ns],
                           load.addresses(side, 1)[0], load.addresses(peer_side, 1)[0],
                           str(per_side), str(args.sessions), str(args.interval_ms),
                           str(args.multiplier), str(args.warmup), str(args.seconds),
                           "ring" if args.ring else "socket"]
                processes.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
            outputs = [process.communicate()[0] for process in processes]
            if any(process.returncode != 0 for process in processes):
                sys.exit("kernel_floor: a side failed (its error is above)")
            results = [json.loads(output) for output in outputs]
            after = load.loadavg()
        finally:
            load.Namespaces.cleanup()
    report = {"sessions": args.sessions, "intervalMs": args.interval_ms, "ring": args.ring,
              "addressesPerSide": per_side, "seconds": args.seconds,
              "loadAverageBefore": before, "loadAverageAfter": after,
              "a": results[0], "b": results[1]}
    print(json.dumps(report))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
