package org.onosbfd.impl.interop;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.onlab.packet.ARP;
import org.onlab.packet.DeserializationException;
import org.onlab.packet.Ethernet;
import org.onlab.packet.ICMP6;
import org.onlab.packet.IPv6;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.flow.instructions.Instruction;
import org.onosproject.net.flow.instructions.Instructions;
import org.onosproject.net.packet.DefaultInboundPacket;
import org.onosproject.net.packet.OutboundPacket;
import org.onosproject.net.packet.PacketContextAdapter;
import org.onosproject.net.packet.PacketProcessor;
import org.onosproject.net.packet.PacketServiceAdapter;

/**
 * ONOS's packet service for one switch port whose wire is a Linux veth end: frames emitted out
 * of the port are written to a raw socket on the veth, and every frame arriving on it is handed
 * to the processors as punted from that port. What ONOS and an OpenFlow switch do between the
 * controller and a port, minus the switch. Counts the ARP and neighbour discovery frames each
 * way. Test-only.
 */
final class VethPacketService extends PacketServiceAdapter implements AutoCloseable {
    private final ConnectPoint port;
    private final RawEthernet wire;
    private final List<PacketProcessor> processors = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;
    final AtomicLong arpRequestsOut = new AtomicLong();
    final AtomicLong arpRepliesOut = new AtomicLong();
    final AtomicLong arpRequestsIn = new AtomicLong();
    final AtomicLong arpRepliesIn = new AtomicLong();
    final AtomicLong solicitationsOut = new AtomicLong();
    final AtomicLong advertisementsOut = new AtomicLong();
    final AtomicLong solicitationsIn = new AtomicLong();
    final AtomicLong advertisementsIn = new AtomicLong();

    VethPacketService(ConnectPoint port, RawEthernet wire) {
        this.port = port;
        this.wire = wire;
        this.reader = new Thread(this::read, "veth-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void addProcessor(PacketProcessor processor, int priority) {
        processors.add(processor);
    }

    @Override
    public void removeProcessor(PacketProcessor processor) {
        processors.remove(processor);
    }

    @Override
    public void emit(OutboundPacket packet) {
        for (Instruction instruction : packet.treatment().allInstructions()) {
            if (instruction instanceof Instructions.OutputInstruction
                    && packet.sendThrough().equals(port.deviceId())
                    && ((Instructions.OutputInstruction) instruction).port().equals(port.port())) {
                byte[] frame = new byte[packet.data().remaining()];
                packet.data().duplicate().get(frame);
                count(frame, true);
                wire.send(frame);
            }
        }
    }

    private void read() {
        byte[] buffer = new byte[2048];
        while (running) {
            int length = wire.receive(buffer);
            if (length <= 0) {
                continue;
            }
            byte[] frame = Arrays.copyOf(buffer, length);
            Ethernet parsed = count(frame, false);
            if (parsed == null) {
                continue;
            }
            PacketContextAdapter context = new PacketContextAdapter(System.currentTimeMillis(),
                    new DefaultInboundPacket(port, parsed, ByteBuffer.wrap(frame)), null, false);
            for (PacketProcessor processor : processors) {
                processor.process(context);
            }
        }
    }

    private Ethernet count(byte[] frame, boolean out) {
        Ethernet parsed;
        try {
            parsed = Ethernet.deserializer().deserialize(frame, 0, frame.length);
        } catch (DeserializationException e) {
            return null;
        }
        if (parsed.getEtherType() == Ethernet.TYPE_ARP) {
            boolean request = ((ARP) parsed.getPayload()).getOpCode() == ARP.OP_REQUEST;
            (request ? (out ? arpRequestsOut : arpRequestsIn)
                    : (out ? arpRepliesOut : arpRepliesIn)).incrementAndGet();
        } else if (parsed.getEtherType() == Ethernet.TYPE_IPV6
                && ((IPv6) parsed.getPayload()).getNextHeader() == IPv6.PROTOCOL_ICMP6) {
            byte type = ((ICMP6) parsed.getPayload().getPayload()).getIcmpType();
            if (type == ICMP6.NEIGHBOR_SOLICITATION) {
                (out ? solicitationsOut : solicitationsIn).incrementAndGet();
            } else if (type == ICMP6.NEIGHBOR_ADVERTISEMENT) {
                (out ? advertisementsOut : advertisementsIn).incrementAndGet();
            }
        }
        return parsed;
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wire.close();
    }
}
