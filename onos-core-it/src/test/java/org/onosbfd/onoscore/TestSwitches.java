package org.onosbfd.onoscore;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.onlab.packet.ChassisId;
import org.onlab.packet.DeserializationException;
import org.onlab.packet.Ethernet;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.Device;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Link;
import org.onosproject.net.MastershipRole;
import org.onosproject.net.PortNumber;
import org.onosproject.net.device.DefaultDeviceDescription;
import org.onosproject.net.device.DefaultPortDescription;
import org.onosproject.net.device.DeviceProvider;
import org.onosproject.net.device.DeviceProviderRegistry;
import org.onosproject.net.device.DeviceProviderService;
import org.onosproject.net.flow.CompletedBatchOperation;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.FlowRuleProvider;
import org.onosproject.net.flow.FlowRuleProviderRegistry;
import org.onosproject.net.flow.FlowRuleProviderService;
import org.onosproject.net.flow.criteria.Criterion;
import org.onosproject.net.flow.criteria.PortCriterion;
import org.onosproject.net.flow.instructions.Instruction;
import org.onosproject.net.flow.instructions.Instructions;
import org.onosproject.net.flow.oldbatch.FlowRuleBatchEntry;
import org.onosproject.net.flow.oldbatch.FlowRuleBatchOperation;
import org.onosproject.net.link.DefaultLinkDescription;
import org.onosproject.net.link.LinkProvider;
import org.onosproject.net.link.LinkProviderRegistry;
import org.onosproject.net.link.LinkProviderService;
import org.onosproject.net.packet.DefaultInboundPacket;
import org.onosproject.net.packet.DefaultPacketContext;
import org.onosproject.net.packet.OutboundPacket;
import org.onosproject.net.packet.PacketProvider;
import org.onosproject.net.packet.PacketProviderRegistry;
import org.onosproject.net.packet.PacketProviderService;
import org.onosproject.net.provider.ProviderId;

/**
 * The southbound of the test: OpenFlow-like switches joined by wires, seen by ONOS through the
 * four provider roles a real southbound plays. As a device provider it connects switches and
 * their ports; as a packet provider it carries an emitted frame out of a port, over the wire,
 * into the packet-in of the port at the other end (a switch with the controller's punt rule);
 * as a flow rule provider it keeps each switch's table and acknowledges batches; a second,
 * LLDP-like link provider reports the wires as links. A wire can be cut silently in one
 * direction: frames sent that way are lost and nothing is reported, as when a fibre breaks.
 * Frames travel on one fabric thread, as they would arrive from the network. Test-only.
 */
final class TestSwitches implements DeviceProvider, PacketProvider, FlowRuleProvider {
    static final ProviderId OF = new ProviderId("of", "org.onosbfd.onoscore.switches");
    static final ProviderId LLDP = new ProviderId("lldp", "org.onosbfd.onoscore.lldp");

    private final Map<ConnectPoint, ConnectPoint> wires = new ConcurrentHashMap<>();
    /** Ports whose outgoing frames are lost: one direction of a cut wire. */
    private final Set<ConnectPoint> cutEgress = ConcurrentHashMap.newKeySet();
    private final Map<DeviceId, Set<FlowRule>> tables = new ConcurrentHashMap<>();
    private final ExecutorService fabric = Executors.newSingleThreadExecutor(
            r -> new Thread(r, "test-switch-fabric"));
    private final LinkProvider lldp = () -> LLDP;
    private DeviceProviderService deviceProviderService;
    private PacketProviderService packetProviderService;
    private FlowRuleProviderService flowRuleProviderService;
    private LinkProviderService lldpService;

    TestSwitches(OnosCore core) {
        deviceProviderService = core.service(DeviceProviderRegistry.class).register(this);
        packetProviderService = core.service(PacketProviderRegistry.class).register(this);
        flowRuleProviderService = core.service(FlowRuleProviderRegistry.class).register(this);
        lldpService = core.service(LinkProviderRegistry.class).register(lldp);
    }

    @Override
    public ProviderId id() {
        return OF;
    }

    static DeviceId switchId(int number) {
        return DeviceId.deviceId(String.format("of:%016x", number));
    }

    static ConnectPoint port(int switchNumber, long port) {
        return new ConnectPoint(switchId(switchNumber), PortNumber.portNumber(port));
    }

    /** A switch with these ports connects to the controller. */
    void connect(int number, long... ports) {
        DeviceId id = switchId(number);
        tables.put(id, ConcurrentHashMap.newKeySet());
        deviceProviderService.deviceConnected(id, new DefaultDeviceDescription(
                URI.create(id.toString()), Device.Type.SWITCH, "onosbfd", "test switch", "1",
                "1", new ChassisId(number)));
        List<org.onosproject.net.device.PortDescription> descriptions = new ArrayList<>();
        for (long port : ports) {
            descriptions.add(DefaultPortDescription.builder()
                    .withPortNumber(PortNumber.portNumber(port)).isEnabled(true).build());
        }
        deviceProviderService.updatePorts(id, descriptions);
    }

    /** A wire between two ports; the LLDP-like provider discovers it, both directions. */
    void wire(ConnectPoint a, ConnectPoint b) {
        wires.put(a, b);
        wires.put(b, a);
        lldpDiscovers(a, b);
    }

    /** The LLDP-like provider reports the wire as a link, both directions (its next probe). */
    void lldpDiscovers(ConnectPoint a, ConnectPoint b) {
        lldpService.linkDetected(new DefaultLinkDescription(a, b, Link.Type.DIRECT));
        lldpService.linkDetected(new DefaultLinkDescription(b, a, Link.Type.DIRECT));
    }

    /** Frames sent out of {@code from} are lost from now on; nothing is reported to anyone. */
    void cut(ConnectPoint from) {
        cutEgress.add(from);
    }

    void repair(ConnectPoint from) {
        cutEgress.remove(from);
    }

    /**
     * The switches' view of where traffic entering at {@code ingress} goes: follows the flow
     * tables hop by hop (matching the in-port, taking the output) and the wires, and returns
     * the ports it leaves by, ending at an edge port; empty when it is dropped on the way (no
     * rule, or a cut wire).
     */
    Optional<List<ConnectPoint>> trace(ConnectPoint ingress) {
        List<ConnectPoint> hops = new ArrayList<>();
        ConnectPoint in = ingress;
        for (int hop = 0; hop < tables.size(); hop++) {
            Optional<ConnectPoint> out = forward(in);
            if (out.isEmpty() || cutEgress.contains(out.get())) {
                return Optional.empty();
            }
            hops.add(out.get());
            ConnectPoint next = wires.get(out.get());
            if (next == null) {
                return Optional.of(hops); // an edge port: delivered
            }
            in = next;
        }
        return Optional.empty(); // a loop
    }

    private Optional<ConnectPoint> forward(ConnectPoint in) {
        for (FlowRule rule : tables.getOrDefault(in.deviceId(), Set.of())) {
            Criterion inPort = rule.selector().getCriterion(Criterion.Type.IN_PORT);
            if (inPort != null && ((PortCriterion) inPort).port().equals(in.port())) {
                for (Instruction instruction : rule.treatment().allInstructions()) {
                    if (instruction instanceof Instructions.OutputInstruction) {
                        return Optional.of(new ConnectPoint(in.deviceId(),
                                ((Instructions.OutputInstruction) instruction).port()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ PacketProvider

    @Override
    public void emit(OutboundPacket packet) {
        byte[] bytes = new byte[packet.data().remaining()];
        packet.data().duplicate().get(bytes);
        for (Instruction instruction : packet.treatment().allInstructions()) {
            if (instruction instanceof Instructions.OutputInstruction) {
                ConnectPoint out = new ConnectPoint(packet.sendThrough(),
                        ((Instructions.OutputInstruction) instruction).port());
                ConnectPoint in = wires.get(out);
                if (in != null && !cutEgress.contains(out)) {
                    fabric.execute(() -> packetIn(in, bytes));
                }
            }
        }
    }

    private void packetIn(ConnectPoint in, byte[] bytes) {
        Ethernet frame;
        try {
            frame = Ethernet.deserializer().deserialize(bytes, 0, bytes.length);
        } catch (DeserializationException e) {
            throw new AssertionError("a malformed frame was emitted", e);
        }
        packetProviderService.processPacket(new DefaultPacketContext(System.currentTimeMillis(),
                new DefaultInboundPacket(in, frame, ByteBuffer.wrap(bytes)), null, false) {
            @Override
            public void send() {
                // nothing punted here is sent back through its context
            }
        });
    }

    // ------------------------------------------------------------------ FlowRuleProvider

    @Override
    public void applyFlowRule(FlowRule... flowRules) {
        for (FlowRule rule : flowRules) {
            tables.get(rule.deviceId()).add(rule);
        }
    }

    @Override
    public void removeFlowRule(FlowRule... flowRules) {
        for (FlowRule rule : flowRules) {
            tables.get(rule.deviceId()).remove(rule);
        }
    }

    @Override
    public void executeBatch(FlowRuleBatchOperation batch) {
        fabric.execute(() -> {
            Set<FlowRule> table = tables.get(batch.deviceId());
            for (FlowRuleBatchEntry entry : batch.getOperations()) {
                if (entry.operator() == FlowRuleBatchEntry.FlowRuleOperation.REMOVE) {
                    table.remove(entry.target());
                } else {
                    table.remove(entry.target()); // MODIFY replaces the rule's treatment
                    table.add(entry.target());
                }
            }
            flowRuleProviderService.batchOperationCompleted(batch.id(),
                    new CompletedBatchOperation(true, Collections.emptySet(), batch.deviceId()));
        });
    }

    // ------------------------------------------------------------------ DeviceProvider

    @Override
    public void triggerProbe(DeviceId deviceId) {
    }

    @Override
    public void roleChanged(DeviceId deviceId, MastershipRole newRole) {
        deviceProviderService.receivedRoleReply(deviceId, newRole, newRole);
    }

    @Override
    public boolean isReachable(DeviceId deviceId) {
        return tables.containsKey(deviceId);
    }

    @Override
    public void changePortState(DeviceId deviceId, PortNumber portNumber, boolean enable) {
    }

    /** The number of rules in each switch's table, and the cut ports. */
    @Override
    public String toString() {
        Map<String, Integer> rules = new java.util.TreeMap<>();
        tables.forEach((device, table) -> rules.put(device.toString(), table.size()));
        return "flow rules " + rules + ", cut " + cutEgress;
    }

    /** Unregisters the providers and stops the fabric. */
    void close(OnosCore core) throws InterruptedException {
        core.service(LinkProviderRegistry.class).unregister(lldp);
        core.service(FlowRuleProviderRegistry.class).unregister(this);
        core.service(PacketProviderRegistry.class).unregister(this);
        core.service(DeviceProviderRegistry.class).unregister(this);
        fabric.shutdown();
        fabric.awaitTermination(5, TimeUnit.SECONDS);
    }
}
