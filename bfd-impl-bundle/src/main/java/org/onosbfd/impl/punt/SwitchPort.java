package org.onosbfd.impl.punt;

import java.util.Objects;
import org.onlab.packet.Ethernet;
import org.onlab.packet.VlanId;
import org.onosproject.net.ConnectPoint;

/**
 * Where a punted session lives: a switch port and, optionally, a VLAN on it. Written as a
 * session's interface the way Linux names a VLAN sub-interface: {@code of:0000000000000001/3}
 * untagged, {@code of:0000000000000001/3.100} for VLAN 100.
 */
final class SwitchPort {
    final ConnectPoint connectPoint;
    /** {@link VlanId#NONE} when untagged. */
    final VlanId vlan;

    SwitchPort(ConnectPoint connectPoint, VlanId vlan) {
        this.connectPoint = connectPoint;
        this.vlan = vlan;
    }

    /**
     * The port and VLAN a punted frame arrived on. A priority-tagged frame (VLAN ID 0, IEEE
     * 802.1Q) carries no VLAN: it belongs to the untagged port.
     */
    static SwitchPort of(ConnectPoint receivedFrom, Ethernet frame) {
        short vid = frame.getVlanID();
        return new SwitchPort(receivedFrom, vid == 0 ? VlanId.NONE : VlanId.vlanId(vid));
    }

    /** The port a session's interface names, or null when it names none. */
    static SwitchPort parse(String interfaceName) {
        if (interfaceName == null || !interfaceName.contains(":") || !interfaceName.contains("/")) {
            return null;
        }
        String port = interfaceName;
        VlanId vlan = VlanId.NONE;
        int dot = interfaceName.lastIndexOf('.');
        if (dot > interfaceName.lastIndexOf('/')) {
            port = interfaceName.substring(0, dot);
            try {
                int id = Integer.parseInt(interfaceName.substring(dot + 1));
                if (id < 1 || id > 4094) {
                    return null;
                }
                vlan = VlanId.vlanId((short) id);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return new SwitchPort(ConnectPoint.deviceConnectPoint(port), vlan);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The interface name: what received packets report, so that §6.3 matches the session. */
    @Override
    public String toString() {
        return vlan.equals(VlanId.NONE) ? connectPoint.toString() : connectPoint + "." + vlan;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwitchPort && ((SwitchPort) o).connectPoint.equals(connectPoint)
                && ((SwitchPort) o).vlan.equals(vlan);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectPoint, vlan);
    }
}
