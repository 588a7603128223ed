package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NativeRecordsTest {
    /** RFC 5880 §4.1 header and the longest authentication section (§4.4, SHA1: 28). */
    private static final int LONGEST_BFD_PACKET = 24 + 28;
    private static final int IPV6_HEADER = 40;

    @Test
    void recordsArePackedCacheLinePairsAndReturnedOnesServeFirst() {
        NativeRecords records = new NativeRecords();
        NativeRecords.Record first = records.take();
        NativeRecords.Record second = records.take();
        assertEquals(0, first.address % NativeRecords.RECORD, "aligned to a pair of lines");
        assertEquals(first.address + NativeRecords.RECORD, second.address,
                "sessions made together lie together");
        assertEquals(NativeRecords.RECORD, first.memory.capacity());
        records.give(first);
        assertSame(first, records.take(), "a freed record before fresh memory");
        for (int i = 0; i < 20_000; i++) {
            assertNotEquals(0, records.take().address); // more than one chunk's worth
        }
    }

    @Test
    void theLongestPacketLeavesTheLinkLayerAddressIntact() throws Exception {
        assertTrue(IPV6_HEADER + UdpHeaders.UDP_HEADER + LONGEST_BFD_PACKET
                <= NativeRecords.ADDRESS_AT, "the packet's room");
        NativeRecords.Record record = new NativeRecords().take();
        BatchSender.Path ip = BatchSender.path(InetAddress.getByName("192.0.2.1"), 49152,
                InetAddress.getByName("192.0.2.2"), 3784, 0);
        BatchSender.Path below = BatchSender.linkLayerPath(ip.headers, record);
        below.nextHop(7, 0x0200_5E00_0001L);
        assertEquals(record.address + NativeRecords.ADDRESS_AT, below.destinationAddress);
        assertEquals(LinkLayer.ADDRESS_SIZE, below.destinationLength);

        Standby.Copy copy = new Standby(() -> 0, () -> 0).copy(record);
        byte[] bytes = new byte[MessageBatch.SLOT];
        java.util.Arrays.fill(bytes, (byte) 0x55);
        int longest = NativeRecords.ADDRESS_AT;
        assertEquals(record.address, copy.keep(bytes, longest, 3, below, 0));

        ByteBuffer address = record.memory;
        int at = NativeRecords.ADDRESS_AT;
        assertEquals(17, address.getShort(at), "AF_PACKET");
        assertEquals(0x08, address.get(at + 2), "ETH_P_IP, network byte order");
        assertEquals(0x00, address.get(at + 3));
        assertEquals(7, address.getInt(at + 4), "the interface");
        assertEquals(6, address.get(at + 11), "a 6-byte MAC");
        byte[] mac = {0x02, 0x00, 0x5E, 0x00, 0x00, 0x01};
        for (int i = 0; i < mac.length; i++) {
            assertEquals(mac[i], address.get(at + 12 + i), "MAC byte " + i);
        }
        assertEquals(0x55, copy.packetByte(longest - 1), "the packet up to its room");
    }
}
