package org.onosbfd.impl.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The BFD datagrams in a capture file (classic pcap or pcapng, Ethernet link type): UDP payloads
 * to ports 3784, 4784 and 3785 with their addresses and TTL. Test-only, just enough of both
 * formats for the captures in src/test/resources/pcaps.
 */
final class CapturedBfd {
    final InetAddress source;
    final InetAddress destination;
    final int ttl;
    final int destinationPort;
    final byte[] payload;

    private CapturedBfd(InetAddress source, InetAddress destination, int ttl, int destinationPort,
                        byte[] payload) {
        this.source = source;
        this.destination = destination;
        this.ttl = ttl;
        this.destinationPort = destinationPort;
        this.payload = payload;
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(payload);
    }

    static List<CapturedBfd> read(String resource) {
        try (InputStream in = CapturedBfd.class.getResourceAsStream("/pcaps/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + resource);
            }
            ByteBuffer file = ByteBuffer.wrap(in.readAllBytes());
            List<byte[]> frames = file.getInt(0) == 0x0A0D0D0A ? pcapng(file) : pcap(file);
            List<CapturedBfd> datagrams = new ArrayList<>();
            for (byte[] frame : frames) {
                CapturedBfd datagram = parseEthernet(ByteBuffer.wrap(frame));
                if (datagram != null) {
                    datagrams.add(datagram);
                }
            }
            return datagrams;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> pcap(ByteBuffer file) {
        file.order(file.getInt(0) == 0xA1B2C3D4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        List<byte[]> frames = new ArrayList<>();
        for (int offset = 24; offset + 16 <= file.limit(); ) {
            int captured = file.getInt(offset + 8);
            frames.add(Arrays.copyOfRange(file.array(), offset + 16, offset + 16 + captured));
            offset += 16 + captured;
        }
        return frames;
    }

    private static List<byte[]> pcapng(ByteBuffer file) {
        // The byte-order magic of the section header tells the endianness of every block.
        file.order(file.getInt(8) == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        List<byte[]> frames = new ArrayList<>();
        for (int offset = 0; offset + 12 <= file.limit(); ) {
            int type = file.getInt(offset);
            int length = file.getInt(offset + 4);
            if (type == 6) { // Enhanced Packet Block
                int captured = file.getInt(offset + 20);
                frames.add(Arrays.copyOfRange(file.array(), offset + 28, offset + 28 + captured));
            }
            offset += length;
        }
        return frames;
    }

    private static CapturedBfd parseEthernet(ByteBuffer frame) {
        int etherType = frame.getShort(12) & 0xFFFF;
        int ip = 14;
        if (etherType == 0x8100) {
            etherType = frame.getShort(16) & 0xFFFF;
            ip = 18;
        }
        int udp;
        int ttl;
        byte[] source;
        byte[] destination;
        if (etherType == 0x0800 && frame.get(ip + 9) == 17) {
            udp = ip + (frame.get(ip) & 0x0F) * 4;
            ttl = frame.get(ip + 8) & 0xFF;
            source = Arrays.copyOfRange(frame.array(), ip + 12, ip + 16);
            destination = Arrays.copyOfRange(frame.array(), ip + 16, ip + 20);
        } else if (etherType == 0x86DD && frame.get(ip + 6) == 17) {
            udp = ip + 40;
            ttl = frame.get(ip + 7) & 0xFF;
            source = Arrays.copyOfRange(frame.array(), ip + 8, ip + 24);
            destination = Arrays.copyOfRange(frame.array(), ip + 24, ip + 40);
        } else {
            return null;
        }
        int port = frame.getShort(udp + 2) & 0xFFFF;
        if (port != 3784 && port != 4784 && port != 3785) {
            return null;
        }
        int length = (frame.getShort(udp + 4) & 0xFFFF) - 8;
        try {
            return new CapturedBfd(InetAddress.getByAddress(source),
                    InetAddress.getByAddress(destination), ttl, port,
                    Arrays.copyOfRange(frame.array(), udp + 8, udp + 8 + length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
