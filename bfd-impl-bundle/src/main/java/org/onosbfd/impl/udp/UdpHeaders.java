package org.onosbfd.impl.udp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The IP and UDP headers of the packets we write ourselves (batched control packets, echo
 * packets), prepared once per path and completed per packet: TTL / hop limit 255 (RFC 5881
 * §5), DSCP CS6, don't fragment, and the UDP checksum (RFC 768) computed here. The IPv4 header
 * checksum is the kernel's on a raw IP socket; below it (AF_PACKET), {@link #writeIpv4Checksum}
 * adds it.
 */
final class UdpHeaders {
    static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    static final int UDP_HEADER = 8;
    private static final int CS6 = 0xC0;
    private static final int IPV4_DONT_FRAGMENT = 0x40;
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    final boolean ipv4;
    private final byte[] headers;
    /** The sum of the UDP pseudo-header's addresses and protocol and of both ports. */
    private final long partialChecksum;

    UdpHeaders(InetAddress from, int sourcePort, InetAddress to, int destinationPort) {
        byte[] source = from.getAddress();
        byte[] destination = to.getAddress();
        ipv4 = source.length == 4;
        int ip = ipv4 ? IPV4_HEADER : IPV6_HEADER;
        headers = new byte[ip + UDP_HEADER];
        if (ipv4) {
            headers[0] = 0x45;
            headers[1] = (byte) CS6;
            headers[6] = IPV4_DONT_FRAGMENT;
            headers[8] = (byte) 255;
            headers[9] = Libc.IPPROTO_UDP;
            System.arraycopy(source, 0, headers, 12, 4);
            System.arraycopy(destination, 0, headers, 16, 4);
        } else {
            headers[0] = (byte) (0x60 | CS6 >>> 4);
            headers[1] = (byte) ((CS6 & 0x0F) << 4);
            headers[6] = Libc.IPPROTO_UDP;
            headers[7] = (byte) 255;
            System.arraycopy(source, 0, headers, 8, 16);
            System.arraycopy(destination, 0, headers, 24, 16);
        }
        headers[ip] = (byte) (sourcePort >>> 8);
        headers[ip + 1] = (byte) sourcePort;
        headers[ip + 2] = (byte) (destinationPort >>> 8);
        headers[ip + 3] = (byte) destinationPort;
        partialChecksum = sum16(source, 0, source.length)
                + sum16(destination, 0, destination.length) + Libc.IPPROTO_UDP + sourcePort
                + destinationPort;
    }

    int length() {
        return headers.length;
    }

    /** Reads ahead of a send ({@code BfdTransmitter.warm}); the value means nothing. */
    long warm() {
        return partialChecksum + headers[0];
    }

    /**
     * Writes the headers and the payload (a heap buffer, position to limit) into {@code bytes},
     * with the lengths and the UDP checksum.
     *
     * @return the packet's length
     */
    int write(byte[] bytes, ByteBuffer packet) {
        int payload = packet.remaining();
        int ip = headers.length - UDP_HEADER;
        int udpLength = UDP_HEADER + payload;
        int total = ip + udpLength;
        System.arraycopy(headers, 0, bytes, 0, headers.length);
        System.arraycopy(packet.array(), packet.arrayOffset() + packet.position(), bytes,
                headers.length, payload);
        if (ipv4) {
            bytes[2] = (byte) (total >>> 8);
            bytes[3] = (byte) total;
        } else {
            bytes[4] = (byte) (udpLength >>> 8);
            bytes[5] = (byte) udpLength;
        }
        bytes[ip + 4] = (byte) (udpLength >>> 8);
        bytes[ip + 5] = (byte) udpLength;
        // RFC 768: the pseudo-header's UDP length and the header's own both count.
        long sum = partialChecksum + 2L * udpLength + sum16(bytes, headers.length, payload);
        int checksum = ~fold(sum) & 0xFFFF;
        if (checksum == 0) {
            checksum = 0xFFFF; // 0 means "no checksum" (RFC 768)
        }
        bytes[ip + 6] = (byte) (checksum >>> 8);
        bytes[ip + 7] = (byte) checksum;
        return total;
    }

    /** The IPv4 header checksum (RFC 791), for packets the kernel's IP layer does not see. */
    static void writeIpv4Checksum(byte[] bytes) {
        bytes[10] = 0;
        bytes[11] = 0;
        int checksum = ~fold(sum16(bytes, 0, IPV4_HEADER)) & 0xFFFF;
        bytes[10] = (byte) (checksum >>> 8);
        bytes[11] = (byte) checksum;
    }

    /**
     * RFC 1071: the sum of 16-bit words, an odd last byte padded with zero. It is read 32 bits
     * at a time: 2^16 is 1 modulo 2^16 - 1, so a 32-bit word adds what its two halves would, and
     * {@link #fold} makes the sums the same 16 bits (§2(B)); half the reads, on every packet.
     */
    static long sum16(byte[] bytes, int from, int length) {
        long sum = 0;
        int end = from + length;
        int i = from;
        for (; i + 3 < end; i += 4) {
            sum += (int) BIG_ENDIAN_INT.get(bytes, i) & 0xFFFF_FFFFL;
        }
        if (i + 1 < end) {
            sum += (bytes[i] & 0xFF) << 8 | bytes[i + 1] & 0xFF;
            i += 2;
        }
        if (i < end) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** RFC 1071: the one's complement sum folded to 16 bits. */
    static int fold(long sum) {
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
