package org.onosbfd.impl.punt;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.onlab.packet.ARP;
import org.onlab.packet.Ethernet;
import org.onlab.packet.MacAddress;
import org.onlab.packet.VlanId;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.manager.BfdManager;
import org.onosbfd.impl.manager.ManagerHarness;
import org.onosproject.TestApplicationId;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.packet.DefaultInboundPacket;
import org.onosproject.net.packet.PacketContextAdapter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The punted path, one core: a BFD frame punted from a switch port, parsed by onlab as ONOS's
 * packet-in does, taken by the punted transport and processed by the core ({@code bfdFrame});
 * and an ARP request for an address the controller speaks for, answered with an emitted reply
 * ({@code arpRequest}). Run with {@code -prof gc} for allocation per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PuntedPathBenchmark {
    private static final ConnectPoint ONE = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final ConnectPoint TWO = ConnectPoint.deviceConnectPoint("of:0000000000000002/1");
    private static final MacAddress MAC = MacAddress.valueOf("02:bf:d0:00:00:01");

    private long now = 10_000_000_000L;
    private PuntTransport transport;
    private byte[] bfdFrame;
    private byte[] arpRequest;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        EmulatedNetwork network = new EmulatedNetwork();
        network.link(ONE, TWO);
        BfdManager manager = ManagerHarness.create(() -> now, Clock.systemUTC(), new Random(1),
                Runnable::run);
        transport = new PuntTransport(network, new TestApplicationId("bench"), MAC, () -> now,
                device -> true);
        manager.bindTransport(transport);
        ManagerHarness.startOnCallerThread(manager);
        long a = manager.addSession(config(ONE, "10.0.0.1", "10.0.0.2")).id();
        manager.addSession(config(TWO, "10.0.0.2", "10.0.0.1"));
        for (int i = 0; i < 3000; i++) {
            now += 1_000_000;
            ManagerHarness.loop(manager).runOnce();
        }
        if (manager.session(a).orElseThrow().state() != BfdState.UP) {
            throw new IllegalStateException("not Up");
        }
        // The last control frame from 10.0.0.2 to 10.0.0.1 (both ends share the controller's
        // MAC, so the address tells the direction): replayed as if punted again and again.
        int toOne = org.onlab.packet.IPv4.toIPv4Address("10.0.0.1");
        Ethernet last = network.emitted.stream()
                .filter(f -> f.getEtherType() == Ethernet.TYPE_IPV4
                        && ((org.onlab.packet.IPv4) f.getPayload()).getDestinationAddress() == toOne
                        && ((org.onlab.packet.IPv4) f.getPayload()).getProtocol()
                        == org.onlab.packet.IPv4.PROTOCOL_UDP)
                .reduce((x, y) -> y).orElseThrow();
        bfdFrame = last.serialize();
        arpRequest = ARP.buildArpRequest(MacAddress.valueOf("02:00:00:00:00:99").toBytes(),
                InetAddress.getByName("10.0.0.2").getAddress(),
                InetAddress.getByName("10.0.0.1").getAddress(), VlanId.NO_VID).serialize();
        network.link(ONE, ConnectPoint.deviceConnectPoint("of:00000000000000ff/1"));
        network.emitted.clear();
        network.up = false;
        // What is measured must do the work: one BFD punt is one more packet accepted by the
        // core, one ARP punt one reply emitted.
        long before = manager.session(a).orElseThrow().counters().rxPackets();
        punt(bfdFrame);
        if (manager.session(a).orElseThrow().counters().rxPackets() != before + 1) {
            throw new IllegalStateException("the replayed frame is not accepted by the core");
        }
        punt(arpRequest);
        if (network.emitted.size() != 1
                || network.emitted.get(0).getEtherType() != Ethernet.TYPE_ARP) {
            throw new IllegalStateException("the ARP request is not answered");
        }
        network.keepEmitted = false;
    }

    private static BfdSessionConfig config(ConnectPoint port, String local, String peer)
            throws Exception {
        return BfdSessionConfig.builder().interfaceName(port.toString())
                .localAddress(InetAddress.getByName(local))
                .peerAddress(InetAddress.getByName(peer))
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000).build();
    }

    private void punt(byte[] frame) throws Exception {
        Ethernet parsed = Ethernet.deserializer().deserialize(frame, 0, frame.length);
        transport.process(new PacketContextAdapter(0,
                new DefaultInboundPacket(ONE, parsed, ByteBuffer.wrap(frame)), null, false));
    }

    @Benchmark
    public void bfdFrame() throws Exception {
        punt(bfdFrame);
    }

    @Benchmark
    public void arpRequest() throws Exception {
        punt(arpRequest);
    }
}
