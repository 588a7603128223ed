package org.onosbfd.impl.punt;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.onlab.packet.Data;
import org.onlab.packet.Ethernet;
import org.onlab.packet.IPv4;
import org.onlab.packet.IPv6;
import org.onlab.packet.MacAddress;
import org.onlab.packet.UDP;
import org.onlab.packet.VlanId;

/**
 * BFD control packets as Ethernet frames for a switch port, tagged when the session is on a
 * VLAN (RFC 5881 §4-§5): UDP to 3784 from a
 * source port of the session's, IPv4 with TTL 255 and DSCP CS6 or IPv6 with hop limit 255 and
 * traffic class CS6; onlab computes the IP and UDP checksums when it serializes.
 */
final class PuntedFrames {
    /** DSCP CS6 in the TOS / traffic class byte. */
    private static final byte CS6 = (byte) 0xC0;

    private PuntedFrames() {
    }

    static byte[] control(MacAddress source, MacAddress destination, VlanId vlan,
                          InetAddress sourceIp, InetAddress destinationIp, int sourcePort,
                          int destinationPort, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        UDP udp = new UDP();
        udp.setSourcePort(sourcePort);
        udp.setDestinationPort(destinationPort);
        udp.setPayload(new Data(bytes));
        Ethernet frame = new Ethernet().setSourceMACAddress(source)
                .setDestinationMACAddress(destination).setVlanID(vlan.toShort());
        if (sourceIp instanceof Inet4Address) {
            IPv4 ip = new IPv4();
            ip.setSourceAddress(ByteBuffer.wrap(sourceIp.getAddress()).getInt());
            ip.setDestinationAddress(ByteBuffer.wrap(destinationIp.getAddress()).getInt());
            ip.setTtl((byte) 255);
            ip.setDiffServ(CS6);
            ip.setProtocol(IPv4.PROTOCOL_UDP);
            ip.setPayload(udp);
            frame.setEtherType(Ethernet.TYPE_IPV4).setPayload(ip);
        } else {
            IPv6 ip = new IPv6();
            ip.setSourceAddress(sourceIp.getAddress());
            ip.setDestinationAddress(destinationIp.getAddress());
            ip.setHopLimit((byte) 255);
            ip.setTrafficClass(CS6);
            ip.setNextHeader(IPv6.PROTOCOL_UDP);
            ip.setPayload(udp);
            frame.setEtherType(Ethernet.TYPE_IPV6).setPayload(ip);
        }
        return frame.serialize();
    }
}
