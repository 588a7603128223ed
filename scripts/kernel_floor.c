/*
 * The kernel's own cost of our packet path, with nothing of BFD on top: the floor that
 * BENCHMARKS.md compares our CPU per packet against. scripts/kernel_floor.py builds it with gcc
 * and runs one copy in each of load.py's namespaces.
 *
 * Each copy does what our host-socket transport does per packet and nothing else:
 *   - sends N prebuilt single-hop BFD packets (IPv4 with TTL 255 and CS6, UDP with its
 *     checksum, 24 bytes of control packet) every interval to the peer's MAC through one
 *     AF_PACKET datagram socket (the kernel writes the Ethernet header) with sendmmsg() in
 *     batches of BATCH, the due ones every TURN_US, as our loop's turns do;
 *   - receives on one UDP socket bound to port 3784 on the veth, waits in ppoll(), drains it
 *     with recvmmsg() in batches of BATCH with the same control messages we ask for
 *     (SO_TIMESTAMPNS, IP_RECVTTL, IP_PKTINFO, SO_RXQ_OVFL);
 *     or, with RECEIVE "ring", from a TPACKET_V2 packet ring (PACKET_RX_RING) behind the same
 *     BPF filter, the UDP socket then holding the port and dropping everything, as
 *     ReceiveRing does with ringReceiving = true;
 *   - runs its one thread under SCHED_FIFO, as our event loop does.
 * It keeps, per session (the sender's UDP source port), the longest gap between arrivals by the
 * kernel's timestamps: a gap longer than the detection time is a Down that even this loop would
 * have declared.
 *
 * Usage: kernel_floor IFNAME PEER_MAC LOCAL_BASE PEER_BASE ADDRESSES SESSIONS INTERVAL_MS
 *                     MULTIPLIER WARMUP_S WINDOW_S RECEIVE (socket or ring)
 * LOCAL_BASE/PEER_BASE: the first address of each side, as load.py numbers them
 * (10.90.0.1 and 10.90.128.1, 250 a /24). Prints one JSON line at the end.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h> /* ETH_P_IP */
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define TURN_US 2000
#define PACKET_LENGTH 52 /* 20 IPv4 + 8 UDP + 24 BFD */
#define FIRST_PORT 49152
#define MAX_SESSIONS 16384 /* the ports 49152-65535 */
#define RING_FRAME 256
#define RING_BLOCK (1 << 20)
#define RING_BLOCKS 64 /* 262,144 frames: a 256 MiB socket buffer's worth of datagrams */

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t realtime_minus_monotonic(void) {
    struct timespec r, m;
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m);
    return ((int64_t) r.tv_sec - m.tv_sec) * 1000000000 + (r.tv_nsec - m.tv_nsec);
}

/* Address i of a side, numbered as load.py's addresses(): 250 to a /24 from the base. */
static uint32_t address(uint32_t base, int i) {
    return base + ((uint32_t) (i / 250) << 8) + (uint32_t) (i % 250);
}

static uint16_t fold(uint32_t sum) {
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t) sum;
}

static uint32_t sum16(const uint8_t *p, int length) {
    uint32_t sum = 0;
    for (int i = 0; i + 1 < length; i += 2) {
        sum += (uint32_t) (p[i] << 8 | p[i + 1]);
    }
    return sum;
}

static void build_packet(uint8_t *ip, uint32_t src, uint32_t dst, uint16_t sport,
                         uint32_t discriminator) {
    memset(ip, 0, PACKET_LENGTH);
    uint8_t *udp = ip + 20, *bfd = udp + 8;
    ip[0] = 0x45;
    ip[1] = 0xc0; /* CS6, as RFC 5881 section 4 suggests */
    ip[3] = 20 + 8 + 24;
    ip[6] = 0x40; /* DF */
    ip[8] = 255;  /* GTSM, RFC 5881 section 5 */
    ip[9] = IPPROTO_UDP;
    uint32_t s = htonl(src), d = htonl(dst);
    memcpy(ip + 12, &s, 4);
    memcpy(ip + 16, &d, 4);
    uint16_t check = htons((uint16_t) ~fold(sum16(ip, 20)));
    memcpy(ip + 10, &check, 2);
    udp[0] = sport >> 8;
    udp[1] = sport & 0xff;
    udp[2] = 3784 >> 8;
    udp[3] = 3784 & 0xff;
    udp[5] = 8 + 24;
    bfd[0] = 0x20;        /* version 1 */
    bfd[1] = 3 << 6 | 3;  /* Up, detect multiplier 3 */
    bfd[3] = 24;
    uint32_t mine = htonl(discriminator);
    memcpy(bfd + 4, &mine, 4);
    memcpy(bfd + 8, &mine, 4);
    uint32_t pseudo = sum16(ip + 12, 8) + IPPROTO_UDP + 8 + 24 + sum16(udp, 8 + 24);
    uint16_t udp_check = htons((uint16_t) ~fold(pseudo));
    memcpy(udp + 6, &udp_check, 2);
}

static int parse_mac(const char *text, uint8_t *mac) {
    return sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
                  &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

struct counters {
    uint64_t sent, received, overflow_drops, send_errors;
    struct rusage usage;
    int64_t at;
};

static void snapshot(struct counters *c, uint64_t sent, uint64_t received, uint64_t drops,
                     uint64_t errors) {
    c->sent = sent;
    c->received = received;
    c->overflow_drops = drops;
    c->send_errors = errors;
    getrusage(RUSAGE_SELF, &c->usage);
    c->at = now_ns();
}

/* One sendmmsg() of the queued packets, counting what went and what did not. */
static void send_batch(int tx, struct mmsghdr *out, int queued, uint64_t *sent,
                       uint64_t *send_errors) {
    int n = sendmmsg(tx, out, (unsigned int) queued, 0);
    int went = n > 0 ? n : 0;
    *sent += (uint64_t) went;
    *send_errors += (uint64_t) (queued - went);
}

static void attach(int fd, struct sock_filter *code, unsigned short length, const char *what) {
    struct sock_fprog program = {length, code};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) < 0) {
        die(what);
    }
}

/* A TPACKET_V2 receive ring on every interface keeping unfragmented UDP to port 3784 sent to
   this host's MAC; the UDP socket `udp` keeps the port and takes nothing. As ReceiveRing. */
static uint8_t *open_ring(int udp, int *ring_fd) {
    struct sock_filter none[] = {{BPF_RET | BPF_K, 0, 0, 0}};
    attach(udp, none, 1, "SO_ATTACH_FILTER (udp)");
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        die("socket(AF_PACKET ring)");
    }
    struct sock_filter bfd[] = {
        {BPF_LD | BPF_W | BPF_ABS, 0, 0, SKF_AD_OFF + SKF_AD_PKTTYPE},
        {BPF_JMP | BPF_JEQ | BPF_K, 0, 8, PACKET_HOST},
        {BPF_LD | BPF_B | BPF_ABS, 0, 0, 9},
        {BPF_JMP | BPF_JEQ | BPF_K, 0, 6, IPPROTO_UDP},
        {BPF_LD | BPF_H | BPF_ABS, 0, 0, 6},
        {BPF_JMP | BPF_JSET | BPF_K, 4, 0, 0x3fff},
        {BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0},
        {BPF_LD | BPF_H | BPF_IND, 0, 0, 2},
        {BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 3784},
        {BPF_RET | BPF_K, 0, 0, RING_FRAME},
        {BPF_RET | BPF_K, 0, 0, 0},
    };
    attach(fd, bfd, sizeof bfd / sizeof bfd[0], "SO_ATTACH_FILTER (ring)");
    int version = TPACKET_V2;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0) {
        die("PACKET_VERSION");
    }
    struct tpacket_req request = {RING_BLOCK, RING_BLOCKS, RING_FRAME,
                                  RING_BLOCK / RING_FRAME * RING_BLOCKS};
    if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &request, sizeof request) < 0) {
        die("PACKET_RX_RING");
    }
    uint8_t *ring = mmap(NULL, (size_t) RING_BLOCK * RING_BLOCKS, PROT_READ | PROT_WRITE,
                         MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED) {
        die("mmap");
    }
    struct sockaddr_ll everywhere = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP)};
    if (bind(fd, (struct sockaddr *) &everywhere, sizeof everywhere) < 0) {
        die("bind(ring)");
    }
    *ring_fd = fd;
    return ring;
}

/* Keeps the longest gap between arrivals of session s. */
static void arrived(int64_t *last_arrival, int64_t *longest_gap, int s, int64_t arrival) {
    if (s >= 0 && s < MAX_SESSIONS) {
        if (last_arrival[s] != 0 && arrival - last_arrival[s] > longest_gap[s]) {
            longest_gap[s] = arrival - last_arrival[s];
        }
        last_arrival[s] = arrival;
    }
}

static double seconds(struct timeval t) {
    return t.tv_sec + t.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 12 || (strcmp(argv[11], "socket") != 0 && strcmp(argv[11], "ring") != 0)) {
        fprintf(stderr, "usage: %s IFNAME PEER_MAC LOCAL_BASE PEER_BASE ADDRESSES SESSIONS "
                "INTERVAL_MS MULTIPLIER WARMUP_S WINDOW_S socket|ring\n", argv[0]);
        return 2;
    }
    int use_ring = strcmp(argv[11], "ring") == 0;
    const char *ifname = argv[1];
    uint8_t peer_mac[6];
    struct in_addr local_base, peer_base;
    if (parse_mac(argv[2], peer_mac) || !inet_aton(argv[3], &local_base)
            || !inet_aton(argv[4], &peer_base)) {
        fprintf(stderr, "bad MAC or address\n");
        return 2;
    }
    int addresses = atoi(argv[5]), sessions = atoi(argv[6]), interval_ms = atoi(argv[7]);
    int multiplier = atoi(argv[8]), warmup_s = atoi(argv[9]), window_s = atoi(argv[10]);
    if (addresses < 1 || sessions < 1 || sessions > MAX_SESSIONS || interval_ms < 1
            || multiplier < 1 || warmup_s < 0 || window_s < 1
            || (int64_t) addresses * addresses < sessions) {
        fprintf(stderr, "bad counts (sessions 1-%d, at most ADDRESSES squared)\n", MAX_SESSIONS);
        return 2;
    }
    int ifindex = (int) if_nametoindex(ifname);
    if (ifindex == 0) {
        die("if_nametoindex");
    }

    /* Sending: one AF_PACKET datagram socket of protocol 0 (it receives nothing), as
       LinkLayer opens it. */
    int tx = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (tx < 0) {
        die("socket(AF_PACKET)");
    }
    int sndbuf = 4 << 20;
    setsockopt(tx, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
                             .sll_ifindex = ifindex, .sll_halen = 6};
    memcpy(to.sll_addr, peer_mac, 6);

    /* Receiving: one UDP socket on port 3784 of the veth, as UdpTransport's. */
    int rx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (rx < 0) {
        die("socket(UDP)");
    }
    int one = 1, rcvbuf = 32 << 20;
    setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    setsockopt(rx, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    setsockopt(rx, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
    setsockopt(rx, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
    setsockopt(rx, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
    if (setsockopt(rx, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t) strlen(ifname)) < 0) {
        die("SO_BINDTODEVICE");
    }
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(3784)};
    if (bind(rx, (struct sockaddr *) &any, sizeof any) < 0) {
        die("bind(3784)");
    }

    int ring_fd = -1;
    uint8_t *ring = use_ring ? open_ring(rx, &ring_fd) : NULL;
    unsigned ring_frames = RING_BLOCK / RING_FRAME * RING_BLOCKS, ring_at = 0;

    struct sched_param fifo = {.sched_priority = 10};
    int realtime = sched_setscheduler(0, SCHED_FIFO, &fifo) == 0;

    /* Session s is the pair (local s / addresses, peer s % addresses), source port 49152 + s. */
    uint8_t *prebuilt = malloc((size_t) sessions * PACKET_LENGTH);
    for (int s = 0; s < sessions; s++) {
        build_packet(prebuilt + (size_t) s * PACKET_LENGTH,
                     address(ntohl(local_base.s_addr), s / addresses),
                     address(ntohl(peer_base.s_addr), s % addresses),
                     (uint16_t) (FIRST_PORT + s), (uint32_t) s + 1);
    }

    struct mmsghdr out[BATCH], in[BATCH];
    struct iovec out_iov[BATCH], in_iov[BATCH];
    uint8_t in_data[BATCH][256], in_control[BATCH][192];
    struct sockaddr_in in_names[BATCH];
    for (int i = 0; i < BATCH; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].msg_hdr.msg_name = &to;
        out[i].msg_hdr.msg_namelen = sizeof to;
        out[i].msg_hdr.msg_iov = &out_iov[i];
        out[i].msg_hdr.msg_iovlen = 1;
        out_iov[i].iov_len = PACKET_LENGTH;
        memset(&in[i], 0, sizeof in[i]);
        in[i].msg_hdr.msg_name = &in_names[i];
        in[i].msg_hdr.msg_iov = &in_iov[i];
        in[i].msg_hdr.msg_iovlen = 1;
        in[i].msg_hdr.msg_control = in_control[i];
        in_iov[i].iov_base = in_data[i];
        in_iov[i].iov_len = sizeof in_data[i];
    }

    /* The interval is cut into slots of one turn; session s goes out in slot s % slots. */
    int64_t interval_ns = (int64_t) interval_ms * 1000000, turn_ns = TURN_US * 1000;
    int slots = (int) (interval_ns / turn_ns);
    if (slots < 1) {
        slots = 1;
    }
    int64_t detection_ns = multiplier * interval_ns;
    int64_t *last_arrival = calloc(MAX_SESSIONS, sizeof(int64_t));
    int64_t *longest_gap = calloc(MAX_SESSIONS, sizeof(int64_t));
    uint64_t sent = 0, received = 0, drops = 0, send_errors = 0;
    int64_t wall_offset = realtime_minus_monotonic();
    int64_t start = now_ns(), window_start = start + (int64_t) warmup_s * 1000000000;
    int64_t end = window_start + (int64_t) window_s * 1000000000;
    int64_t next_turn = start, worst_turn_lateness = 0;
    int64_t turn = 0;
    int in_window = 0;
    /* Taken at the window's start, which the loop always passes before its end. */
    struct counters before, after;
    struct pollfd pfd = {.fd = use_ring ? ring_fd : rx, .events = POLLIN};

    for (;;) {
        int64_t now = now_ns();
        if (!in_window && now >= window_start) {
            in_window = 1;
            snapshot(&before, sent, received, drops, send_errors);
            memset(longest_gap, 0, MAX_SESSIONS * sizeof(int64_t));
        }
        if (now >= end) {
            break;
        }
        if (now >= next_turn) {
            if (in_window && now - next_turn > worst_turn_lateness) {
                worst_turn_lateness = now - next_turn;
            }
            /* Every slot due since the last turn, so that a late turn catches up. */
            int64_t due_turn = (now - start) / turn_ns;
            for (; turn <= due_turn; turn++) {
                int slot = (int) (turn % slots), queued = 0;
                for (int s = slot; s < sessions; s += slots) {
                    out_iov[queued].iov_base = prebuilt + (size_t) s * PACKET_LENGTH;
                    if (++queued == BATCH) {
                        send_batch(tx, out, queued, &sent, &send_errors);
                        queued = 0;
                    }
                }
                if (queued > 0) {
                    send_batch(tx, out, queued, &sent, &send_errors);
                }
            }
            next_turn = start + turn * turn_ns;
            wall_offset = realtime_minus_monotonic();
        }
        int64_t wait = next_turn - now_ns();
        struct timespec timeout = {.tv_sec = 0, .tv_nsec = wait > 0 ? wait : 0};
        if (ppoll(&pfd, 1, &timeout, NULL) <= 0) {
            continue;
        }
        while (use_ring) {
            struct tpacket2_hdr *frame = (struct tpacket2_hdr *) (ring + (size_t) ring_at
                                                                  * RING_FRAME);
            if (!(__atomic_load_n(&frame->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) {
                break;
            }
            if (frame->tp_status & TP_STATUS_LOSING) {
                struct tpacket_stats stats;
                socklen_t length = sizeof stats;
                if (getsockopt(ring_fd, SOL_PACKET, PACKET_STATISTICS, &stats, &length) == 0) {
                    drops += stats.tp_drops;
                }
            }
            const uint8_t *ip = (const uint8_t *) frame + frame->tp_net;
            const uint8_t *udp = ip + (ip[0] & 15) * 4;
            arrived(last_arrival, longest_gap, (udp[0] << 8 | udp[1]) - FIRST_PORT,
                    (int64_t) frame->tp_sec * 1000000000 + frame->tp_nsec - wall_offset);
            __atomic_store_n(&frame->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
            ring_at = ring_at + 1 == ring_frames ? 0 : ring_at + 1;
            received++;
        }
        while (!use_ring) {
            /* recvmmsg() overwrites these three; the buffers stay where they were set. */
            for (int i = 0; i < BATCH; i++) {
                in[i].msg_hdr.msg_namelen = sizeof in_names[i];
                in[i].msg_hdr.msg_controllen = sizeof in_control[i];
                in[i].msg_hdr.msg_flags = 0;
            }
            int n = recvmmsg(rx, in, BATCH, 0, NULL);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                int64_t arrival = 0;
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&in[i].msg_hdr); c != NULL;
                        c = CMSG_NXTHDR(&in[i].msg_hdr, c)) {
                    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
                        struct timespec t;
                        memcpy(&t, CMSG_DATA(c), sizeof t);
                        arrival = (int64_t) t.tv_sec * 1000000000 + t.tv_nsec - wall_offset;
                    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
                        uint32_t overflow;
                        memcpy(&overflow, CMSG_DATA(c), sizeof overflow);
                        drops = overflow;
                    }
                }
                arrived(last_arrival, longest_gap, ntohs(in_names[i].sin_port) - FIRST_PORT,
                        arrival);
            }
            received += (uint64_t) n;
            if (n < BATCH) {
                break;
            }
        }
    }
    snapshot(&after, sent, received, drops, send_errors);

    int64_t worst_gap = 0;
    int would_be_downs = 0, heard = 0;
    for (int s = 0; s < MAX_SESSIONS; s++) {
        if (longest_gap[s] > 0) {
            heard++;
        }
        if (longest_gap[s] > worst_gap) {
            worst_gap = longest_gap[s];
        }
        if (longest_gap[s] > detection_ns) {
            would_be_downs++;
        }
    }
    double user = seconds(after.usage.ru_utime) - seconds(before.usage.ru_utime);
    double kernel = seconds(after.usage.ru_stime) - seconds(before.usage.ru_stime);
    double window = (after.at - before.at) / 1e9;
    uint64_t packets = (after.sent - before.sent) + (after.received - before.received);
    printf("{\"realtime\": %s, \"window_s\": %.3f, \"sent\": %llu, \"received\": %llu, "
           "\"send_errors\": %llu, \"receive_buffer_drops\": %llu, \"user_s\": %.3f, "
           "\"kernel_s\": %.3f, \"cores\": %.3f, \"us_per_packet\": %.3f, "
           "\"us_per_packet_user\": %.3f, \"us_per_packet_kernel\": %.3f, "
           "\"sessions_heard\": %d, \"worst_gap_ms\": %.3f, \"gaps_over_detection\": %d, "
           "\"worst_turn_lateness_ms\": %.3f}\n",
           realtime ? "true" : "false", window,
           (unsigned long long) (after.sent - before.sent),
           (unsigned long long) (after.received - before.received),
           (unsigned long long) (after.send_errors - before.send_errors),
           (unsigned long long) (after.overflow_drops - before.overflow_drops),
           user, kernel, (user + kernel) / window,
           packets ? (user + kernel) * 1e6 / packets : 0.0,
           packets ? user * 1e6 / packets : 0.0, packets ? kernel * 1e6 / packets : 0.0,
           heard, worst_gap / 1e6, would_be_downs, worst_turn_lateness / 1e6);
    return 0;
}
