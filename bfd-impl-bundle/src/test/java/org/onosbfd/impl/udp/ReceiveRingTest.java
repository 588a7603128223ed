package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Reading frames as the kernel leaves them in a TPACKET_V2 ring: the header checks and
 * checksums the IP layer would have made, the TTL, interface and arrival time, and the cursor.
 */
class ReceiveRingTest {
    private static final int FRAMES = 4;
    /** Where the kernel puts a datagram socket's packet: after the header and sockaddr_ll. */
    private static final int NETWORK_OFFSET = 80;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_LOSING = 1 << 2;
    private static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    private static final int TP_STATUS_CSUM_VALID = 1 << 7;

    private final Memory memory = new Memory((long) FRAMES * ReceiveRing.FRAME_SIZE);
    private final ReceiveRing ring;
    private final byte[] source = new byte[4];
    private final byte[] destination = new byte[4];

    ReceiveRingTest() {
        memory.clear();
        ring = ReceiveRing.over(memory, FRAMES);
    }

    /** A valid single-hop datagram, 10.0.0.1:49152 to 10.0.0.2:3784, TTL 255. */
    private static byte[] datagram(byte[] bfd) throws Exception {
        UdpHeaders headers = new UdpHeaders(InetAddress.getByName("10.0.0.1"), 49152,
                InetAddress.getByName("10.0.0.2"), 3784);
        byte[] bytes = new byte[headers.length() + bfd.length];
        headers.write(bytes, ByteBuffer.wrap(bfd));
        UdpHeaders.writeIpv4Checksum(bytes);
        return bytes;
    }

    private static byte[] bfd() {
        byte[] bfd = new byte[24];
        bfd[0] = 0x20;
        bfd[1] = (byte) 0xC3; // Up, multiplier 3
        bfd[3] = 24;
        bfd[7] = 7;
        return bfd;
    }

    /** Hands frame {@code index} to "user space" as the kernel does. */
    private void put(int index, byte[] packet, int status, int interfaceIndex, long seconds,
                     int nanos) {
        long frame = (long) index * ReceiveRing.FRAME_SIZE;
        memory.setInt(frame + 4, packet.length);
        memory.setInt(frame + 8, packet.length);
        memory.setShort(frame + 12, (short) NETWORK_OFFSET);
        memory.setShort(frame + 14, (short) NETWORK_OFFSET);
        memory.setInt(frame + 16, (int) seconds);
        memory.setInt(frame + 20, nanos);
        memory.setInt(frame + 36, interfaceIndex);
        memory.write(frame + NETWORK_OFFSET, packet, 0, packet.length);
        memory.setInt(frame, status);
    }

    @Test
    void aValidDatagramIsReadInPlaceWithItsTtlInterfaceAndArrival() throws Exception {
        assertFalse(ring.ready(), "nothing handed over yet");
        put(0, datagram(bfd()), TP_STATUS_USER, 5, 3_000_000_000L, 250);
        assertTrue(ring.ready());
        assertFalse(ring.losing());
        assertTrue(ring.parse(source, destination));
        assertArrayEquals(new byte[] {10, 0, 0, 1}, source);
        assertArrayEquals(new byte[] {10, 0, 0, 2}, destination);
        assertEquals(255, ring.ttl());
        assertEquals(5, ring.interfaceIndex());
        // tp_sec is unsigned: a time past 2038 is not negative.
        assertEquals(3_000_000_000L * 1_000_000_000L + 250, ring.wallNanos());
        ByteBuffer payload = ring.payload();
        assertEquals(24, payload.remaining());
        assertEquals((byte) 0xC3, payload.get(payload.position() + 1));
        ring.release();
        assertEquals(0, memory.getInt(0), "the frame is the kernel's again");
        assertFalse(ring.ready(), "the cursor moved to frame 1, which is still the kernel's");
    }

    @Test
    void theDiscriminatorsAheadAreReadWithoutMovingTheCursorOrTheCurrentPacket()
            throws Exception {
        byte[] bfd = bfd();
        bfd[11] = 42; // Your Discriminator 42
        put(FRAMES - 1, datagram(bfd), TP_STATUS_USER, 1, 1, 0);
        for (int i = 0; i < FRAMES - 1; i++) { // the cursor to the last frame
            put(i, datagram(bfd()), TP_STATUS_USER, 1, 1, 0);
            assertTrue(ring.ready());
            ring.release();
        }
        put(0, datagram(bfd()), TP_STATUS_USER, 1, 1, 0);
        assertTrue(ring.ready());
        assertTrue(ring.parse(source, destination)); // the wire's limit is this packet's now
        assertEquals(42, ring.yourDiscriminatorAhead(0));
        assertEquals(0, ring.yourDiscriminatorAhead(1), "past the end: frame 0, discriminator 0");
        bfd[8] = (byte) 0x80;
        put(0, datagram(bfd), TP_STATUS_USER, 1, 1, 0);
        assertEquals(0x8000_002A, ring.yourDiscriminatorAhead(1), "unsigned on the wire");
        assertEquals(0, ring.yourDiscriminatorAhead(2), "a frame still the kernel's");
        assertEquals(24, ring.payload().remaining(), "the current packet is untouched");
    }

    @Test
    void theCursorWrapsAroundTheRing() throws Exception {
        for (int lap = 0; lap < 2; lap++) {
            for (int i = 0; i < FRAMES; i++) {
                put(i, datagram(bfd()), TP_STATUS_USER, 1, 1, 0);
                assertTrue(ring.ready(), "frame " + i + " of lap " + lap);
                assertTrue(ring.parse(source, destination));
                ring.release();
            }
        }
        assertFalse(ring.ready());
    }

    @Test
    void aWrongIpHeaderChecksumIsCountedAndSkipped() throws Exception {
        byte[] packet = datagram(bfd());
        packet[11] ^= 1;
        put(0, packet, TP_STATUS_USER, 1, 1, 0);
        assertTrue(ring.ready());
        assertFalse(ring.parse(source, destination));
        assertEquals(1, ring.checksumErrors());
    }

    @Test
    void aWrongUdpChecksumIsCountedUnlessTheDeviceVerifiedIt() throws Exception {
        byte[] packet = datagram(bfd());
        packet[28 + 5] ^= 1; // a byte of the BFD packet
        put(0, packet, TP_STATUS_USER, 1, 1, 0);
        assertTrue(ring.ready());
        assertFalse(ring.parse(source, destination));
        assertEquals(1, ring.checksumErrors());
        ring.release();
        // The same bytes where the device says it checked the checksum: taken as they are.
        put(1, datagram(bfd()), TP_STATUS_USER | TP_STATUS_CSUM_VALID, 1, 1, 0);
        assertTrue(ring.ready());
        assertTrue(ring.parse(source, destination));
        ring.release();
        // Sent from this host with the checksum left to the device: only a partial sum there.
        put(2, packet, TP_STATUS_USER | TP_STATUS_CSUMNOTREADY, 1, 1, 0);
        assertTrue(ring.ready());
        assertTrue(ring.parse(source, destination));
        assertEquals(1, ring.checksumErrors());
    }

    @Test
    void aZeroUdpChecksumMeansNoneOverIpv4() throws Exception {
        byte[] packet = datagram(bfd());
        packet[26] = 0;
        packet[27] = 0;
        put(0, packet, TP_STATUS_USER, 1, 1, 0);
        assertTrue(ring.ready());
        assertTrue(ring.parse(source, destination));
        assertEquals(0, ring.checksumErrors());
    }

    @Test
    void truncatedOrInconsistentDatagramsAreMalformed() throws Exception {
        byte[] packet = datagram(bfd());
        put(0, packet, TP_STATUS_USER, 1, 1, 0);
        memory.setInt(8, packet.length - 4); // captured less than the packet's length
        assertTrue(ring.ready());
        assertFalse(ring.parse(source, destination));
        ring.release();
        byte[] longUdp = datagram(bfd());
        longUdp[25] = (byte) 200; // UDP length beyond the IP packet
        put(1, longUdp, TP_STATUS_USER, 1, 1, 0);
        assertTrue(ring.ready());
        assertFalse(ring.parse(source, destination));
        ring.release();
        byte[] ipv6 = datagram(bfd());
        ipv6[0] = 0x65;
        put(2, ipv6, TP_STATUS_USER, 1, 1, 0);
        assertTrue(ring.ready());
        assertFalse(ring.parse(source, destination));
        assertEquals(3, ring.malformed());
        assertEquals(0, ring.checksumErrors());
    }

    @Test
    void theKernelsLossFlagIsSeen() throws Exception {
        put(0, datagram(bfd()), TP_STATUS_USER | TP_STATUS_LOSING, 1, 1, 0);
        assertTrue(ring.ready());
        assertTrue(ring.losing());
    }
}
