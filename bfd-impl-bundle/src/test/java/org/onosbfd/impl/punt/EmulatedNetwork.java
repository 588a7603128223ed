package org.onosbfd.impl.punt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onlab.packet.DeserializationException;
import org.onlab.packet.Ethernet;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.flow.instructions.Instruction;
import org.onosproject.net.flow.instructions.Instructions;
import org.onosproject.net.packet.DefaultInboundPacket;
import org.onosproject.net.packet.OutboundPacket;
import org.onosproject.net.packet.PacketContextAdapter;
import org.onosproject.net.packet.PacketPriority;
import org.onosproject.net.packet.PacketProcessor;
import org.onosproject.net.packet.PacketServiceAdapter;

/**
 * Switches joined by links, as ONOS's packet service sees them: a frame emitted out of a port
 * arrives as a {@link org.onosproject.net.packet.PacketContext} at the port at the link's other
 * end, at once, for every processor. Test-only.
 */
public final class EmulatedNetwork extends PacketServiceAdapter {
    private final List<PacketProcessor> processors = new ArrayList<>();
    private final Map<ConnectPoint, ConnectPoint> links = new HashMap<>();
    final List<Ethernet> emitted = new ArrayList<>();
    int requests;
    public boolean up = true;
    /** Whether emitted frames are kept for inspection (off in benchmarks). */
    boolean keepEmitted = true;

    public void link(ConnectPoint a, ConnectPoint b) {
        links.put(a, b);
        links.put(b, a);
    }

    @Override
    public void addProcessor(PacketProcessor processor, int priority) {
        processors.add(processor);
    }

    @Override
    public void removeProcessor(PacketProcessor processor) {
        processors.remove(processor);
    }

    int processors() {
        return processors.size();
    }

    @Override
    public void requestPackets(org.onosproject.net.flow.TrafficSelector selector,
                               PacketPriority priority, org.onosproject.core.ApplicationId appId) {
        requests++;
    }

    @Override
    public void cancelPackets(org.onosproject.net.flow.TrafficSelector selector,
                              PacketPriority priority, org.onosproject.core.ApplicationId appId) {
        requests--;
    }

    @Override
    public void emit(OutboundPacket packet) {
        ConnectPoint out = null;
        for (Instruction instruction : packet.treatment().allInstructions()) {
            if (instruction instanceof Instructions.OutputInstruction) {
                out = new ConnectPoint(packet.sendThrough(),
                        ((Instructions.OutputInstruction) instruction).port());
            }
        }
        byte[] bytes = new byte[packet.data().remaining()];
        packet.data().duplicate().get(bytes);
        Ethernet frame;
        try {
            frame = Ethernet.deserializer().deserialize(bytes, 0, bytes.length);
        } catch (DeserializationException e) {
            throw new AssertionError("the transport emitted a malformed frame", e);
        }
        if (keepEmitted) {
            emitted.add(frame);
        }
        ConnectPoint in = links.get(out);
        if (!up || in == null) {
            return;
        }
        PacketContextAdapter context = new PacketContextAdapter(0,
                new DefaultInboundPacket(in, frame, ByteBuffer.wrap(bytes)), null, false);
        for (PacketProcessor processor : new ArrayList<>(processors)) {
            processor.process(context);
        }
    }
}
