package org.onosbfd.impl.udp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packets we send below the IP layer, through an {@code AF_PACKET} datagram socket to a
 * neighbour's MAC (packet(7)): the kernel writes the Ethernet header, we write the rest,
 * the IPv4 header checksum included ({@link UdpHeaders#writeIpv4Checksum}). Used for our echo
 * packets, which the IP layer would deliver to ourselves, and for the control packets of Up
 * single-hop IPv4 sessions, which skip the kernel's route, source-address and neighbour lookups.
 * Such packets are not seen by netfilter's OUTPUT chain; they are seen by packet captures.
 */
final class LinkLayer {
    private static final int AF_PACKET = 17;
    private static final int ETH_P_IP = 0x0800;
    /** struct sockaddr_ll. */
    static final int ADDRESS_SIZE = 20;

    private LinkLayer() {
    }

    /**
     * A socket of protocol 0, which receives nothing unless bound to one ({@link ReceiveRing}
     * binds it to IPv4); needs CAP_NET_RAW.
     */
    static int open() throws IOException {
        try {
            return Libc.socket(AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK
                    | Libc.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("AF_PACKET socket: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 1 ? " (needs CAP_NET_RAW)" : ""), e);
        }
    }

    /** A sockaddr_ll, to be filled by {@link #address(Memory, int, long)}. */
    static Memory newAddress() {
        Memory address = new Memory(ADDRESS_SIZE);
        address.clear();
        return address;
    }

    /**
     * An IPv4 packet to {@code mac} (48 bits) out of interface {@code index}. Makes a buffer
     * each call: for setting up, not for each packet.
     */
    static void address(Memory address, int index, long mac) {
        address(address.getByteBuffer(0, ADDRESS_SIZE).order(ByteOrder.nativeOrder()), 0, index,
                mac);
    }

    /**
     * The same sockaddr_ll written at {@code at} in native memory in the host's byte order, every
     * byte of it (the memory may hold an earlier one).
     */
    static void address(ByteBuffer memory, int at, int index, long mac) {
        memory.putShort(at, (short) AF_PACKET);
        memory.put(at + 2, (byte) (ETH_P_IP >>> 8)).put(at + 3, (byte) ETH_P_IP); // network order
        memory.putInt(at + 4, index);
        memory.putShort(at + 8, (short) 0).put(at + 10, (byte) 0); // sll_hatype, sll_pkttype
        memory.put(at + 11, (byte) 6);
        for (int i = 0; i < 8; i++) {
            memory.put(at + 12 + i, i < 6 ? (byte) (mac >>> 8 * (5 - i)) : 0);
        }
    }
}
