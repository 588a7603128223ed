package org.onosbfd.onoscore.southbound;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.onlab.packet.ChassisId;
import org.onosproject.net.Device;
import org.onosproject.net.DeviceId;
import org.onosproject.net.MastershipRole;
import org.onosproject.net.PortNumber;
import org.onosproject.net.device.DefaultDeviceDescription;
import org.onosproject.net.device.DefaultPortDescription;
import org.onosproject.net.device.DeviceProvider;
import org.onosproject.net.device.DeviceProviderRegistry;
import org.onosproject.net.device.DeviceProviderService;
import org.onosproject.net.packet.OutboundPacket;
import org.onosproject.net.packet.PacketProvider;
import org.onosproject.net.packet.PacketProviderRegistry;
import org.onosproject.net.provider.ProviderId;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The southbound of a test inside Karaf: one OpenFlow-like switch, {@code of:0000000000000001}
 * with ports 1-4, connected to ONOS's real {@code DeviceManager} (which makes this instance
 * its master) and carrying what ONOS's {@code PacketManager} emits through it. It logs each
 * frame it is given, so that a test can see a BFD frame or ARP request leave through ONOS.
 * Test-only.
 */
@Component(immediate = true)
public final class OneSwitch implements DeviceProvider, PacketProvider {
    static final DeviceId SWITCH = DeviceId.deviceId("of:0000000000000001");
    private static final ProviderId PROVIDER = new ProviderId("of", "org.onosbfd.test.switch");
    private static final Logger LOG = LoggerFactory.getLogger(OneSwitch.class);

    @Reference
    private DeviceProviderRegistry deviceProviders;
    @Reference
    private PacketProviderRegistry packetProviders;

    private DeviceProviderService devices;
    private final AtomicLong emitted = new AtomicLong();

    @Activate
    void activate() {
        devices = deviceProviders.register(this);
        packetProviders.register(this);
        devices.deviceConnected(SWITCH, new DefaultDeviceDescription(URI.create(SWITCH.toString()),
                Device.Type.SWITCH, "onosbfd", "test switch", "1", "1", new ChassisId(1)));
        devices.updatePorts(SWITCH, List.of(1L, 2L, 3L, 4L).stream()
                .map(p -> DefaultPortDescription.builder().withPortNumber(PortNumber.portNumber(p))
                        .isEnabled(true).build())
                .collect(Collectors.toList()));
        LOG.info("test switch {} connected", SWITCH);
    }

    @Deactivate
    void deactivate() {
        devices.deviceDisconnected(SWITCH);
        packetProviders.unregister(this);
        deviceProviders.unregister(this);
    }

    @Override
    public ProviderId id() {
        return PROVIDER;
    }

    @Override
    public void emit(OutboundPacket packet) {
        LOG.info("test switch emitted frame {} (ethertype 0x{}) through {}",
                emitted.incrementAndGet(), Integer.toHexString(packet.data().getShort(12) & 0xffff),
                packet.treatment().allInstructions());
    }

    @Override
    public void triggerProbe(DeviceId deviceId) {
    }

    @Override
    public void roleChanged(DeviceId deviceId, MastershipRole newRole) {
    }

    @Override
    public boolean isReachable(DeviceId deviceId) {
        return SWITCH.equals(deviceId);
    }

    @Override
    public void changePortState(DeviceId deviceId, PortNumber portNumber, boolean enable) {
    }
}
