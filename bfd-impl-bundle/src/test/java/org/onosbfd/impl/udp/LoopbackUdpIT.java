package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.manager.BfdManager;
import org.onosbfd.impl.manager.ManagerHarness;

/**
 * The host-socket transport on loopback with the real event loop: two sessions in one instance,
 * 127.0.0.1 and 127.0.0.2 as each other's peer, over real UDP sockets on test ports.
 */
class LoopbackUdpIT {
    private static final int SINGLE_HOP = 13784;
    private static final int MULTIHOP = 14784;

    BfdManager manager;
    UdpTransport transport;

    @BeforeEach
    void start() {
        manager = ManagerHarness.create(System::nanoTime, Clock.systemUTC(), new SecureRandom(),
                Executors.newSingleThreadExecutor());
        transport = newTransport();
        manager.bindTransport(transport);
        manager.activate();
    }

    /** The transport under test, before it is bound. */
    UdpTransport newTransport() {
        return new UdpTransport(SINGLE_HOP, MULTIHOP);
    }

    @AfterEach
    void stop() {
        manager.deactivate();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, 10, condition);
    }

    /** Polls every 10 ms (each poll is a command on the loop) until true or the deadline. */
    private static void await(String what, int seconds, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(10);
        }
    }

    BfdSession session(long id) {
        return manager.session(id).orElseThrow();
    }

    long add(String local, String peer, boolean multihop) throws Exception {
        return add(local, peer, multihop, 20_000);
    }

    private long add(String local, String peer, boolean multihop, long interval) throws Exception {
        return add(local, peer, multihop, interval, 3);
    }

    private long add(String local, String peer, boolean multihop, long interval, int multiplier)
            throws Exception {
        return manager.addSession(BfdSessionConfig.builder()
                .localAddress(InetAddress.getByName(local)).peerAddress(InetAddress.getByName(peer))
                .multihop(multihop).desiredMinTxInterval(interval).requiredMinRxInterval(interval)
                .detectMultiplier(multiplier).build()).id();
    }

    @Test
    void twoSessionsInOneInstanceComeUpOverRealSockets() throws Exception {
        long a = add("127.0.0.1", "127.0.0.2", false);
        long b = add("127.0.0.2", "127.0.0.1", false);
        long started = System.nanoTime();
        await("both Up", () -> session(a).state() == BfdState.UP
                && session(b).state() == BfdState.UP);
        long upMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals("udp", session(a).transport());
        assertTrue(upMillis < 1000, "Up in " + upMillis + " ms: state changes are sent at once");
        // Steady state at 20 ms: packets flow both ways, nothing is dropped, no flap.
        long rx = session(a).counters().rxPackets();
        await("100 more packets", () -> session(a).counters().rxPackets() > rx + 100);
        assertEquals(0, session(a).counters().droppedPackets());
        assertEquals(0, session(a).counters().downTransitions());
        assertEquals(20_000, session(a).negotiatedTxInterval());
        // Deleting one end: the other detects it with diagnostic 1 within 3 × 20 ms (+ margin).
        manager.removeSession(b);
        await("a Down", () -> session(a).state() == BfdState.DOWN);
        assertEquals("CONTROL_DETECTION_TIME_EXPIRED", session(a).localDiagnostic().name());
    }

    @Test
    void steadyStateAllocatesNothingPerPacketOnTheEventLoop() throws Exception {
        // 5 ms × 10: the packet rate of a fast session, with a detection time (50 ms) that a
        // test JVM at normal priority on a busy 2-core machine keeps: a flap would allocate.
        long a = add("127.0.0.1", "127.0.0.2", false, 5_000, 10);
        long b = add("127.0.0.2", "127.0.0.1", false, 5_000, 10);
        await("both Up", () -> session(a).state() == BfdState.UP
                && session(b).state() == BfdState.UP);
        Thread loop = ManagerHarness.loop(manager).call(Thread::currentThread);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                        .getThreadMXBean();
        // 5 ms both ways: about 800 packets a second through timers, sendmmsg, ppoll, recvmmsg
        // and the core. Warm up (JIT) first; then measure a fixed window in which nothing but
        // BFD runs on the loop (no snapshot is asked for during it). A flap would build event
        // snapshots, so the window must have none. A window in which the busy host did not run
        // the loop (an excused stall is logged, which allocates) is disturbed: measure again.
        long warm = session(a).counters().rxPackets() + 1500;
        await("warm", 20, () -> session(a).counters().rxPackets() > warm);
        for (int window = 1; ; window++) {
            long flaps = session(a).counters().downTransitions()
                    + session(b).counters().downTransitions();
            long stalls = ManagerHarness.loop(manager).stallsExcused();
            long rx0 = session(a).counters().rxPackets() + session(a).counters().txPackets();
            long before = threads.getThreadAllocatedBytes(loop.getId());
            Thread.sleep(2000); // the measurement window itself, not a wait for a condition
            long bytes = threads.getThreadAllocatedBytes(loop.getId()) - before;
            long packets = session(a).counters().rxPackets() + session(a).counters().txPackets()
                    - rx0;
            packets *= 2; // session b handled as many
            System.out.println("LOOP ALLOCATION " + bytes + " bytes for " + packets
                    + " packets (window " + window + ")");
            if (ManagerHarness.loop(manager).stallsExcused() != stalls && window < 5) {
                continue;
            }
            assertEquals(flaps, session(a).counters().downTransitions()
                    + session(b).counters().downTransitions(), "no flap in the window");
            assertTrue(packets > 1500, packets + " packets in 2 s");
            assertTrue(bytes < packets, bytes + " bytes for " + packets + " packets");
            return;
        }
    }

    @Test
    void aBlockedLoopsSessionsStayUpThroughTheStandby() throws Exception {
        Assumptions.assumeTrue(transport.hasStandby(),
                "the standby sends through the batch senders' raw sockets: CAP_NET_RAW");
        long a = add("127.0.0.1", "127.0.0.2", false, 50_000, 3);
        long b = add("127.0.0.2", "127.0.0.1", false, 50_000, 3);
        await("both Up", () -> session(a).state() == BfdState.UP
                && session(b).state() == BfdState.UP);
        long warm = session(a).counters().rxPackets() + 20;
        await("20 packets at 50 ms", () -> session(a).counters().rxPackets() > warm);
        long downs = session(a).counters().downTransitions()
                + session(b).counters().downTransitions();
        long standbySent = transport.counters().get("standbySent");
        // Both ends' loop does nothing for 400 ms, as when the host takes its CPU away: the
        // peers' 150 ms detection would expire three times over without the standby.
        ManagerHarness.loop(manager).run(() -> {
            long until = System.nanoTime() + 400_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        });
        long after = session(a).counters().rxPackets() + 10;
        await("packets again", () -> session(a).counters().rxPackets() > after);
        assertEquals(downs, session(a).counters().downTransitions()
                + session(b).counters().downTransitions(), "no Down on either side");
        long repeated = transport.counters().get("standbySent") - standbySent;
        // About (400 - 10) / 50 packets a session, less the jitter: at least 5 each.
        assertTrue(repeated >= 10, repeated + " packets sent by the standby");
    }

    @Test
    void multihopSessionsComeUpOnTheirOwnPort() throws Exception {
        long a = add("127.0.0.1", "127.0.0.3", true);
        long b = add("127.0.0.3", "127.0.0.1", true);
        await("both Up", () -> session(a).state() == BfdState.UP
                && session(b).state() == BfdState.UP);
    }

    @Test
    void packetsWithoutTtl255AreCountedAndIgnored() throws Exception {
        long a = add("127.0.0.1", "127.0.0.2", false);
        // Plain Java sends with the kernel's default TTL (64): GTSM must refuse it.
        byte[] down = new byte[24];
        down[0] = 0x20;          // version 1
        down[1] = (byte) 0x40;   // state Down
        down[2] = 3;
        down[3] = 24;
        down[7] = 1;             // my discriminator 1
        try (DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            for (int i = 0; i < 5; i++) {
                socket.send(new DatagramPacket(down, down.length,
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), SINGLE_HOP)));
            }
        }
        await("5 TTL drops", () -> session(a).counters().drops(BfdDropReason.TTL) == 5);
        assertEquals(BfdState.DOWN, session(a).state());
        assertEquals(0, session(a).remoteDiscriminator());
        assertEquals(5, manager.statistics().counters().drops(BfdDropReason.TTL));
        // Below BFD: the transport saw the datagrams, sent without error, and had every TTL.
        // The five can be read before the session has sent anything counted (a Down session
        // sends a packet a second, §6.8.3): wait, with a deadline, for one that was sent.
        await("a packet sent", () -> manager.statistics().transports().get("udp")
                .get("datagramsSent") > 0);
        Map<String, Long> udp = manager.statistics().transports().get("udp");
        assertTrue(udp.get("datagramsReceived") >= 5, udp.toString());
        assertTrue(udp.get("datagramsSent") > 0, udp.toString());
        assertEquals(0, udp.get("sendErrors"), udp.toString());
        assertEquals(0, udp.get("truncatedControl"), udp.toString());
        assertEquals(0, udp.get("receiveErrors"), udp.toString());
    }
}
