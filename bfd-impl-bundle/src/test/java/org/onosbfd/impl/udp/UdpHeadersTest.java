package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checksums we write ourselves, against RFC 1071's definition word by word. */
class UdpHeadersTest {
    /** RFC 1071 as written: 16-bit words, an odd last byte padded with zero. */
    private static long wordByWord(byte[] bytes, int from, int length) {
        long sum = 0;
        for (int i = from; i < from + length; i += 2) {
            int low = i + 1 < from + length ? bytes[i + 1] & 0xFF : 0;
            sum += (bytes[i] & 0xFF) << 8 | low;
        }
        return sum;
    }

    @Test
    void thirtyTwoBitReadsFoldToTheSixteenBitSumAtEveryLengthAndOffset() {
        Random random = new Random(7);
        byte[] bytes = new byte[64];
        for (int round = 0; round < 200; round++) {
            random.nextBytes(bytes);
            if (round % 10 == 0) {
                java.util.Arrays.fill(bytes, (byte) 0xFF); // carries in every word
            }
            for (int from = 0; from < 4; from++) {
                for (int length = 0; length <= 48; length++) {
                    assertEquals(UdpHeaders.fold(wordByWord(bytes, from, length)),
                            UdpHeaders.fold(UdpHeaders.sum16(bytes, from, length)),
                            "offset " + from + ", length " + length);
                }
            }
        }
    }

    @Test
    void writtenPacketsVerifyAsAReceiverChecksThem() throws Exception {
        InetAddress from = InetAddress.getByName("10.90.0.1");
        InetAddress to = InetAddress.getByName("10.90.128.11");
        UdpHeaders headers = new UdpHeaders(from, 49152, to, 3784);
        Random random = new Random(11);
        for (int payload = 24; payload <= 27; payload++) {
            byte[] body = new byte[payload];
            random.nextBytes(body);
            byte[] bytes = new byte[128];
            int total = headers.write(bytes, ByteBuffer.wrap(body));
            UdpHeaders.writeIpv4Checksum(bytes);
            assertEquals(20 + 8 + payload, total);
            assertEquals(0xFFFF, UdpHeaders.fold(wordByWord(bytes, 0, 20)), "IPv4 header");
            int udpLength = 8 + payload;
            long pseudo = wordByWord(bytes, 12, 8) + 17 + udpLength;
            assertEquals(0xFFFF, UdpHeaders.fold(pseudo + wordByWord(bytes, 20, udpLength)),
                    "UDP, payload " + payload);
        }
    }
}
