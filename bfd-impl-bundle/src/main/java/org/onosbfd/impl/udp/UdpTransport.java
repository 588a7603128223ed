package org.onosbfd.impl.udp;

import com.sun.jna.Memory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.spi.BfdPacketReceiver;
import org.onosbfd.api.spi.BfdTransmitter;
import org.onosbfd.api.spi.BfdTransport;
import org.onosbfd.impl.runtime.LoopPolledTransport;
import org.onosbfd.impl.runtime.PinnedThreads;
import org.onosbfd.impl.runtime.RealtimeScheduling;
import org.onosbfd.impl.runtime.Waiter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BFD over the controller host's own UDP/IP stack: RFC 5881 single hop on port 3784 and RFC 5883
 * multihop on 4784, IPv4 and IPv6, with GTSM (RFC 5881 §5): every packet leaves with TTL / hop
 * limit 255 and DSCP CS6, and every received packet carries its TTL to the core, which drops
 * single-hop packets below 255 (Linux does not enforce IP_MINTTL for UDP).
 *
 * <p>Receiving: one socket per port and family, all served by one {@link ReceiveLoop} thread
 * with batched recvmmsg; demultiplexing is the core's (by discriminator, destination address
 * and interface). Sending: one socket per session, bound to the session's local address and a
 * source port from 49152-65535 that stays the session's for its life (RFC 5881 §4), and to its
 * interface when it has one. When the event loop reads the sockets itself and the host allows
 * raw sockets, packets are not sent from that socket but queued and sent in batches with the
 * same source address and port ({@link BatchSender}); the socket then only holds the port. The
 * packets of Up single-hop IPv4 sessions go below the IP layer ({@link LinkLayer}) once the
 * kernel has resolved the peer ({@link NeighbourTable}).
 */
@Component(immediate = true, service = BfdTransport.class,
        configurationPid = "org.onosbfd.udp", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = UdpTransport.Config.class)
public class UdpTransport implements BfdTransport, LoopPolledTransport {

    /** Component configuration (etc/org.onosbfd.udp.cfg). */
    @ObjectClassDefinition(name = "BFD host-socket transport")
    public @interface Config {
        @AttributeDefinition(description = "UDP port for single-hop control packets (RFC 5881)")
        int singleHopPort() default 3784;

        @AttributeDefinition(description = "UDP port for multihop control packets (RFC 5883)")
        int multihopPort() default 4784;

        @AttributeDefinition(description = "Receive buffer of each receiving socket, bytes: "
                + "enough to hold every packet of a stall of the event loop (about 1 KiB of "
                + "kernel memory per queued packet). Used only while packets wait.")
        int receiveBufferBytes() default DEFAULT_RECEIVE_BUFFER;

        @AttributeDefinition(description = "Send the packets of all sessions in batches "
                + "(sendmmsg on a raw socket; needs CAP_NET_RAW) instead of one system call "
                + "per packet")
        boolean batchedSending() default true;

        @AttributeDefinition(description = "With batched sending, send the packets of Up "
                + "single-hop IPv4 sessions below the IP layer (AF_PACKET) to the peer's MAC "
                + "from the kernel's neighbour table, skipping the kernel's route and address "
                + "lookups; netfilter's OUTPUT chain does not see them")
        boolean linkLayerSending() default true;

        @AttributeDefinition(description = "Read IPv4 single-hop control packets from a packet "
                + "ring shared with the kernel (PACKET_RX_RING; needs CAP_NET_RAW) instead of "
                + "the UDP socket: no system call and no copy per packet. They are read before "
                + "netfilter's INPUT chain sees them; the UDP socket keeps the port and drops "
                + "what reaches it, which the kernel counts as UDP receive errors")
        boolean ringReceiving() default false;

        @AttributeDefinition(description = "With batched sending, how often a thread pinned to "
                + "each CPU checks that the event loop runs, µs (100-100000; 0: no such "
                + "threads). When the loop is more than 10 ms late (its CPU taken away by a "
                + "virtual machine's host), these threads repeat Up sessions' last periodic "
                + "packets at their rate, so that our lateness does not make peers declare "
                + "them Down")
        int standbyPeriodMicros() default DEFAULT_STANDBY_PERIOD_MICROS;

        @AttributeDefinition(description = "The SCHED_FIFO priority the standby threads ask "
                + "for (1-99; 0: normal scheduling, under which the busy CPU's other threads "
                + "take turns with them)")
        int standbyPriority() default RealtimeScheduling.DEFAULT_PRIORITY;
    }

    static final int DEFAULT_STANDBY_PERIOD_MICROS = 2_000;
    private static final int MIN_STANDBY_PERIOD_MICROS = 100;
    private static final int MAX_STANDBY_PERIOD_MICROS = 100_000;

    /** 256 MiB: a one-second stall at 10,000 sessions × 50 ms (200,000 packets) fits. */
    static final int DEFAULT_RECEIVE_BUFFER = 256 << 20;

    private static final Logger log = LoggerFactory.getLogger(UdpTransport.class);
    /** DSCP CS6 (network control) in the TOS / traffic class byte. */
    private static final int CS6 = 0xC0;

    private int singleHopPort = 3784;
    private int multihopPort = 4784;
    private int receiveBufferBytes = DEFAULT_RECEIVE_BUFFER;
    private boolean batchedSending = true;
    private boolean linkLayerSending = true;
    private boolean ringReceiving;
    private int standbyPeriodMicros = DEFAULT_STANDBY_PERIOD_MICROS;
    private int standbyPriority = RealtimeScheduling.DEFAULT_PRIORITY;
    /** Sends for the loop while it is late; null without batched sending. */
    private volatile Standby standby;
    private PinnedThreads standbyThreads = PinnedThreads.none();
    /** Batch senders per family, when batching; used on the event loop only. */
    private BatchSender batch4;
    private BatchSender batch6;
    /** Below the IP layer, for Up single-hop IPv4 sessions; null when not allowed. */
    private BatchSender linkLayer;
    /** Peers' MACs, for echo and the link-layer sender. */
    private final NeighbourTable neighbours = new NeighbourTable();
    /** Sends our echo packets (IPv4 single hop); null without CAP_NET_RAW. */
    private EchoSender echo;
    private final List<ReceiveLoop.Endpoint> endpoints = new ArrayList<>();
    /** Where IPv4 single-hop datagrams are read, when not from their socket. */
    private volatile ReceiveRing receiveRing;
    private volatile ReceiveLoop receiveLoop;
    // Written by the BFD event loop only (every transmitter sends from it), read by displays.
    private volatile long datagramsSent;
    private volatile long sendErrors;
    private Thread receiveThread;
    private int wakeFd = -1;
    private boolean ipv6Available;
    /** Source ports held by sessions; used on the event loop only. */
    private final SourcePorts sourcePorts = new SourcePorts(new SecureRandom());
    /** The sessions' native records; taken and returned on the event loop. */
    private final NativeRecords records = new NativeRecords();
    /** The bytes to send, in native memory; transmitters are called on the event loop only. */
    private final Memory sendBuffer = new Memory(256);

    public UdpTransport() {
    }

    /** A transport on other ports (tests, or two instances on one host). */
    public UdpTransport(int singleHopPort, int multihopPort) {
        this.singleHopPort = singleHopPort;
        this.multihopPort = multihopPort;
    }

    @Activate
    void activate(Config config) {
        singleHopPort = config.singleHopPort();
        multihopPort = config.multihopPort();
        receiveBufferBytes = config.receiveBufferBytes();
        batchedSending = config.batchedSending();
        linkLayerSending = config.linkLayerSending();
        ringReceiving = config.ringReceiving();
        standbyPeriodMicros = config.standbyPeriodMicros();
        if (standbyPeriodMicros != 0 && (standbyPeriodMicros < MIN_STANDBY_PERIOD_MICROS
                || standbyPeriodMicros > MAX_STANDBY_PERIOD_MICROS)) {
            log.warn("BFD: standbyPeriodMicros {} is outside {}-{} (or 0); using {}",
                    standbyPeriodMicros, MIN_STANDBY_PERIOD_MICROS, MAX_STANDBY_PERIOD_MICROS,
                    DEFAULT_STANDBY_PERIOD_MICROS);
            standbyPeriodMicros = DEFAULT_STANDBY_PERIOD_MICROS;
        }
        standbyPriority = config.standbyPriority();
        if (standbyPriority < 0 || standbyPriority > RealtimeScheduling.MAX_PRIORITY) {
            log.warn("BFD: standbyPriority {} is outside 0-{}; using {}", standbyPriority,
                    RealtimeScheduling.MAX_PRIORITY, RealtimeScheduling.DEFAULT_PRIORITY);
            standbyPriority = RealtimeScheduling.DEFAULT_PRIORITY;
        }
    }

    @Override
    public Map<String, Long> counters() {
        ReceiveLoop loop = receiveLoop;
        Map<String, Long> counters = new LinkedHashMap<>();
        BatchSender b4 = batch4;
        BatchSender b6 = batch6;
        BatchSender link = linkLayer;
        counters.put("datagramsSent", datagramsSent + (b4 != null ? b4.sent() : 0)
                + (b6 != null ? b6.sent() : 0) + (link != null ? link.sent() : 0));
        counters.put("linkLayerSent", link != null ? link.sent() : 0);
        Standby standing = standby;
        counters.put("standbySent", standing != null ? standing.sent() : 0);
        counters.put("standbyErrors", standing != null ? standing.errors() : 0);
        counters.put("sendErrors", sendErrors + (b4 != null ? b4.errors() : 0)
                + (b6 != null ? b6.errors() : 0) + (link != null ? link.errors() : 0));
        counters.put("datagramsReceived", loop != null ? loop.datagramsReceived() : 0);
        counters.put("truncatedControl", loop != null ? loop.truncatedControl() : 0);
        counters.put("receiveErrors", loop != null ? loop.receiveErrors() : 0);
        counters.put("receiveBufferDrops", loop != null ? loop.receiveBufferDrops() : 0);
        ReceiveRing ring = receiveRing;
        counters.put("ringChecksumErrors", ring != null ? ring.checksumErrors() : 0);
        counters.put("ringMalformed", ring != null ? ring.malformed() : 0);
        EchoSender echoSender = echo;
        counters.put("echoSent", echoSender != null ? echoSender.sent() : 0);
        counters.put("echoUnresolved", echoSender != null ? echoSender.unresolved() : 0);
        counters.put("echoReceived", loop != null ? loop.echoReceived() : 0);
        return counters;
    }

    @Override
    public String name() {
        return "udp";
    }

    /** Reads IPv4 single hop through a packet ring ({@link Config#ringReceiving()}). */
    void receiveThroughRing() {
        ringReceiving = true;
    }

    /** True when IPv4 single-hop datagrams are read from a packet ring. */
    boolean readsThroughRing() {
        return receiveRing != null;
    }

    /** True when a standby sends for the loop while it is late (batched sending, threads). */
    boolean hasStandby() {
        return standby != null && standbyThreads.size() > 0;
    }

    @Override
    public boolean canCarry(BfdPath path) {
        if (!path.isIpv4() && !ipv6Available) {
            return false;
        }
        // An interface this host has; connect points ("of:.../3") belong to the punted transport.
        return path.interfaceName() == null || Sockets.interfaceIndex(path.interfaceName()) != 0;
    }

    @Override
    public String whyNotCarried(BfdPath path) {
        if (!path.isIpv4() && !ipv6Available) {
            return "IPv6 is not available on this host";
        }
        String name = path.interfaceName();
        // No Linux interface name holds a '/': this is a switch's connect point.
        return name.contains("/")
                ? name + " is a switch port, carried through the switch inside ONOS"
                : "no interface " + name + " on this host";
    }

    /** Starts with a receiving thread of its own. */
    @Override
    public synchronized void start(BfdPacketReceiver receiver) throws IOException {
        openSockets(receiver, false);
        receiveThread = new Thread(receiveLoop, "bfd-udp-receive");
        receiveThread.setDaemon(true);
        receiveThread.setPriority(Thread.MAX_PRIORITY);
        receiveThread.start();
    }

    /** Starts without a thread: the event loop sleeps in the returned waiter and reads. */
    @Override
    public synchronized Waiter startOnLoop(BfdPacketReceiver receiver) throws IOException {
        openSockets(receiver, true);
        return receiveLoop;
    }

    /**
     * Opens the receiving sockets and, when configured, the batch senders: only {@code onLoop},
     * the event loop both sending and reading, since the loop flushes the batch before it waits.
     */
    private void openSockets(BfdPacketReceiver receiver, boolean onLoop) throws IOException {
        try {
            endpoints.add(singleHopIpv4(onLoop));
            endpoints.add(receiveSocket(true, multihopPort, true, false));
            openEcho();
            try {
                endpoints.add(receiveSocket(false, singleHopPort, false, false));
                endpoints.add(receiveSocket(false, multihopPort, true, false));
                ipv6Available = true;
            } catch (IOException e) {
                log.warn("BFD over IPv6 unavailable on this host: {}", e.getMessage());
            }
            wakeFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        } catch (IOException | com.sun.jna.LastErrorException e) {
            closeEndpoints();
            throw e instanceof IOException ? (IOException) e : new IOException("eventfd()", e);
        }
        if (onLoop && batchedSending) {
            openBatchSenders();
        }
        if (echo != null || linkLayer != null) {
            neighbours.start();
        }
        receiveLoop = new ReceiveLoop(endpoints, receiver, wakeFd, this::flushBatches);
        if (batch4 != null && standbyPeriodMicros > 0) {
            ReceiveLoop loop = receiveLoop;
            standby = new Standby(loop::dueBy, System::nanoTime);
            standbyThreads = PinnedThreads.start("bfd-standby", standbyPeriodMicros * 1000L,
                    standbyPriority, standby::sendDue);
        }
        log.info("BFD host-socket transport listening on UDP {} (single hop{}) and {} "
                + "(multihop){}, sending {}", singleHopPort,
                receiveRing != null ? ", IPv4 through a packet ring" : "", multihopPort,
                ipv6Available ? ", IPv4 and IPv6" : ", IPv4 only",
                batch4 == null ? "one packet per system call" : linkLayer == null
                        ? "in batches (sendmmsg)"
                        : "in batches (sendmmsg), below the IP layer for Up single-hop IPv4");
    }

    /**
     * Echo (RFC 5881 §4): our echo packets come back to UDP 3785 (the port after the single-hop
     * one); they leave through {@link EchoSender}, which needs CAP_NET_RAW. Without either,
     * sessions run on control packets alone.
     */
    private void openEcho() {
        try {
            echo = EchoSender.open(System::nanoTime, neighbours);
            endpoints.add(receiveSocket(true, singleHopPort + 1, false, true));
        } catch (IOException e) {
            log.info("BFD host-socket transport: no echo ({})", e.getMessage());
            if (echo != null) {
                echo.close();
                echo = null;
            }
        }
    }

    private void openBatchSenders() {
        try {
            batch4 = BatchSender.open(true);
            batch6 = ipv6Available ? BatchSender.open(false) : null;
        } catch (IOException e) {
            log.info("BFD host-socket transport: no batched sending ({}); one system call per "
                    + "packet", e.getMessage());
            closeBatchSenders();
            return;
        }
        if (linkLayerSending) {
            try {
                linkLayer = BatchSender.openLinkLayer();
            } catch (IOException e) {
                log.info("BFD host-socket transport: every packet through the IP layer ({})",
                        e.getMessage());
            }
        }
    }

    private void flushBatches() {
        if (batch4 != null) {
            batch4.flush();
        }
        if (batch6 != null) {
            batch6.flush();
        }
        if (linkLayer != null) {
            linkLayer.flush();
        }
    }

    private void closeBatchSenders() {
        if (batch4 != null) {
            batch4.close();
            batch4 = null;
        }
        if (batch6 != null) {
            batch6.close();
            batch6 = null;
        }
        if (linkLayer != null) {
            linkLayer.close();
            linkLayer = null;
        }
    }

    /**
     * The IPv4 single-hop socket, read through a packet ring when configured and allowed, and
     * {@code onLoop}: the event loop then also stops the transport, so that the ring is never
     * unmapped while it is read.
     */
    private ReceiveLoop.Endpoint singleHopIpv4(boolean onLoop) throws IOException {
        ReceiveLoop.Endpoint socket = receiveSocket(true, singleHopPort, false, false);
        if (!ringReceiving || !onLoop) {
            return socket;
        }
        ReceiveRing ring = null;
        try {
            // As many datagrams as the socket's buffer holds (about 1 KiB of it per datagram).
            ring = ReceiveRing.open(singleHopPort, receiveBufferBytes / 1024);
            ReceiveRing.divert(socket.fd);
            receiveRing = ring;
            return socket.through(ring);
        } catch (IOException e) {
            log.warn("BFD host-socket transport: no packet ring ({}); reading the UDP socket",
                    e.getMessage());
            if (ring != null) {
                ring.close();
            }
            return socket;
        }
    }

    private ReceiveLoop.Endpoint receiveSocket(boolean ipv4, int port, boolean multihop,
                                               boolean echoPort) throws IOException {
        int fd = Sockets.open(ipv4);
        try {
            Sockets.setInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, "SO_REUSEADDR");
            setReceiveBuffer(fd);
            // Arrival times for the core (liveness is judged by them) and lost-packet counts.
            Sockets.setInt(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
            Sockets.setInt(fd, Libc.SOL_SOCKET, Libc.SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
            if (ipv4) {
                Sockets.setInt(fd, Libc.IPPROTO_IP, Libc.IP_RECVTTL, 1, "IP_RECVTTL");
                Sockets.setInt(fd, Libc.IPPROTO_IP, Libc.IP_PKTINFO, 1, "IP_PKTINFO");
            } else {
                Sockets.setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1, "IPV6_V6ONLY");
                Sockets.setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVHOPLIMIT, 1,
                        "IPV6_RECVHOPLIMIT");
                Sockets.setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVPKTINFO, 1,
                        "IPV6_RECVPKTINFO");
            }
            InetAddress any = InetAddress.getByAddress(new byte[ipv4 ? 4 : 16]);
            if (!Sockets.bind(fd, any, port, 0)) {
                throw new IOException("UDP port " + port + " (" + (ipv4 ? "IPv4" : "IPv6")
                        + ") is in use: is another BFD daemon running on this host?");
            }
            return new ReceiveLoop.Endpoint(fd, ipv4, multihop, echoPort);
        } catch (IOException e) {
            Sockets.close(fd);
            throw e;
        }
    }

    /** Beyond net.core.rmem_max when allowed (CAP_NET_ADMIN), else as much as the host lets. */
    private void setReceiveBuffer(int fd) throws IOException {
        try {
            Sockets.setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, receiveBufferBytes,
                    "SO_RCVBUFFORCE");
        } catch (IOException e) {
            Sockets.setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, receiveBufferBytes, "SO_RCVBUF");
        }
    }

    @Override
    public BfdTransmitter open(BfdPath path) throws IOException {
        boolean ipv4 = path.isIpv4();
        int fd = Sockets.open(ipv4);
        try {
            if (ipv4) {
                Sockets.setInt(fd, Libc.IPPROTO_IP, Libc.IP_TTL, 255, "IP_TTL");
                Sockets.setInt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, CS6, "IP_TOS");
            } else {
                Sockets.setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_UNICAST_HOPS, 255,
                        "IPV6_UNICAST_HOPS");
                Sockets.setInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_TCLASS, CS6, "IPV6_TCLASS");
            }
            int scope = 0;
            if (path.interfaceName() != null) {
                Sockets.bindToDevice(fd, path.interfaceName());
                scope = Sockets.interfaceIndex(path.interfaceName());
            }
            String portKey = portKey(path.localAddress(), scope);
            int port = bindSourcePort(fd, path.localAddress(), scope, portKey);
            int destinationPort = path.isMultihop() ? multihopPort : singleHopPort;
            Memory destination = Sockets.sockaddr(path.peerAddress(), destinationPort,
                    path.peerAddress().isLinkLocalAddress() ? scope : 0);
            BatchSender batch = ipv4 ? batch4 : batch6;
            BatchSender.Path batchPath = batch == null ? null : BatchSender.path(
                    path.localAddress(), port, path.peerAddress(), destinationPort, scope);
            log.debug("BFD {}: sending from port {}", path, port);
            EchoSender echoSender = echo;
            Standby standing = standby;
            boolean belowIp = linkLayer != null && batchPath != null && path.isIpv4()
                    && !path.isMultihop();
            boolean keepsCopy = batchPath != null && standing != null;
            // The session's native record: the standby's copy and the link-layer destination.
            NativeRecords.Record record = belowIp || keepsCopy ? records.take() : null;
            return new Transmitter(fd, portKey, port, destination, batch, batchPath,
                    belowIp ? new LinkLayerRoute(path,
                            BatchSender.linkLayerPath(batchPath.headers, record)) : null,
                    echoSender == null ? null : echoSender.route(path, port),
                    keepsCopy ? standing.copy(record) : null, record);
        } catch (IOException e) {
            Sockets.close(fd);
            throw e;
        }
    }

    /**
     * Where an Up session's packets go below the IP layer: to the peer's MAC from the neighbour
     * table, on the session's interface or, without one, the one the kernel reaches the peer
     * through. A session that is not Up, or whose peer the table does not hold, sends through
     * the IP layer: the kernel then resolves the peer, and the table learns it. Event loop only.
     */
    private final class LinkLayerRoute {
        private final NeighbourTable.Lookup peer;
        private final BatchSender.Path path;

        LinkLayerRoute(BfdPath session, BatchSender.Path path) {
            this.peer = neighbours.lookup(session.peerAddress().getHostAddress(),
                    session.interfaceName());
            this.path = path;
        }

        /** Reads ahead of a send ({@link Transmitter#warm}); the value means nothing. */
        long warm() {
            NeighbourTable.Neighbour neighbour = peer.current();
            return path.warm() + (neighbour == null ? 0 : neighbour.interfaceIndex);
        }

        /**
         * Queues an Up packet below the IP layer; false when it must go through the IP layer.
         */
        boolean queue(ByteBuffer upPacket, Standby.Copy keep, long now) {
            NeighbourTable.Neighbour neighbour = peer.current();
            if (neighbour == null) {
                return false;
            }
            // nextHop() rewrites the native address only when the neighbour changed.
            path.nextHop(neighbour.interfaceIndex, neighbour.mac);
            linkLayer.queue(path, upPacket, keep, now);
            return true;
        }
    }

    /** A free port for the session's life, skipping those our sessions hold (O(1) binds). */
    private int bindSourcePort(int fd, InetAddress local, int scope, String portKey)
            throws IOException {
        int bindScope = local.isLinkLocalAddress() ? scope : 0;
        return sourcePorts.acquire(portKey, port -> Sockets.bind(fd, local, port, bindScope));
    }

    /** Ports are per address, and per interface for a link-local one. */
    private static String portKey(InetAddress local, int scope) {
        return AddressText.of(local) + (local.isLinkLocalAddress() ? "%" + scope : "");
    }

    @Override
    public synchronized void stop() {
        if (receiveLoop != null) {
            receiveLoop.stop();
            if (receiveThread != null) {
                try {
                    receiveThread.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                receiveThread = null;
            }
            receiveLoop = null;
        }
        neighbours.stop();
        // Before the batch senders' sockets, which the standby sends through, are closed.
        standbyThreads.stop();
        standbyThreads = PinnedThreads.none();
        standby = null;
        closeBatchSenders();
        closeEndpoints();
    }

    private void closeEndpoints() {
        endpoints.forEach(e -> Sockets.close(e.fd));
        if (receiveRing != null) {
            receiveRing.close();
            receiveRing = null;
        }
        endpoints.clear();
        if (wakeFd >= 0) {
            Sockets.close(wakeFd);
            wakeFd = -1;
        }
        if (echo != null) {
            echo.close();
            echo = null;
        }
    }

    /** One session's socket. */
    private final class Transmitter implements BfdTransmitter {
        private final int fd;
        private final String portKey;
        private final int sourcePort;
        private final Memory destination;
        /** Where this session's packets are batched; null: sent from its own socket. */
        private final BatchSender batch;
        private final BatchSender.Path batchPath;
        /** Below the IP layer while Up; null: always through the IP layer. */
        private final LinkLayerRoute linkLayerRoute;
        /** Where echo packets go; null: this path carries no echo. */
        private final EchoSender.Route echoRoute;
        /** What the standby repeats while the loop is late; null without one. */
        private final Standby.Copy standbyCopy;
        /** The native record the copy and the link-layer path are in; null without them. */
        private final NativeRecords.Record record;
        private boolean closed;

        Transmitter(int fd, String portKey, int sourcePort, Memory destination,
                    BatchSender batch, BatchSender.Path batchPath, LinkLayerRoute linkLayerRoute,
                    EchoSender.Route echoRoute, Standby.Copy standbyCopy,
                    NativeRecords.Record record) {
            this.fd = fd;
            this.portKey = portKey;
            this.sourcePort = sourcePort;
            this.destination = destination;
            this.batch = batch;
            this.batchPath = batchPath;
            this.linkLayerRoute = linkLayerRoute;
            this.echoRoute = echoRoute;
            this.standbyCopy = standbyCopy;
            this.record = record;
        }

        @Override
        public boolean sendEcho(ByteBuffer packet) {
            return echoRoute != null && !closed && echoRoute.send(packet);
        }

        @Override
        public boolean returnsEcho() {
            return echoRoute != null && echoRoute.returnsEcho;
        }

        @Override
        public long warm() {
            long sum = sourcePort;
            if (standbyCopy != null) {
                sum += standbyCopy.warm();
            }
            if (linkLayerRoute != null) {
                sum += linkLayerRoute.warm();
            }
            return sum;
        }

        @Override
        public void send(ByteBuffer packet) {
            if (closed) {
                return;
            }
            if (batch != null && packet.hasArray()) {
                boolean up = Standby.reportsUp(packet);
                Standby.Copy keep = standbyCopy == null ? null : standbyCopy.keeping(packet, up);
                // The standby's clock: when the loop's turn began.
                long now = keep == null ? 0 : receiveLoop.lastWake();
                if (!up || linkLayerRoute == null || !linkLayerRoute.queue(packet, keep, now)) {
                    batch.queue(batchPath, packet, keep, now);
                }
                return;
            }
            int length = packet.remaining();
            if (packet.hasArray()) {
                sendBuffer.write(0, packet.array(), packet.arrayOffset() + packet.position(),
                        length);
            } else {
                for (int i = 0; i < length; i++) {
                    sendBuffer.setByte(i, packet.get(packet.position() + i));
                }
            }
            // A datagram that cannot leave (no route, buffer full) is a lost packet: BFD's
            // detection timer at the peer is the answer to that, not an exception here.
            if (Libc.sendto(fd, sendBuffer, length, Libc.MSG_DONTWAIT, destination,
                    (int) destination.size()) < 0) {
                sendErrors++;
            } else {
                datagramsSent++;
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Standby standing = standby;
                if (standing != null && standbyCopy != null) {
                    standing.forget(standbyCopy);
                }
                if (record != null) {
                    // A packet of ours still queued would be sent from the record's next owner.
                    flushBatches();
                    records.give(record);
                }
                Sockets.close(fd);
                sourcePorts.release(portKey, sourcePort);
            }
        }

        @Override
        public String toString() {
            return "udp source port " + sourcePort;
        }
    }
}
