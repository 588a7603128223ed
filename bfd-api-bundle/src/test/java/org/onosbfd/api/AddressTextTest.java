package org.onosbfd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** RFC 5952 text, with its own examples. */
class AddressTextTest {
    private static String text(String literal) throws Exception {
        return AddressText.of(InetAddress.getByName(literal));
    }

    @Test
    void ipv6IsWrittenAsRfc5952Says() throws Exception {
        assertEquals("fd00:77::2", text("fd00:77:0:0:0:0:0:2"));
        assertEquals("2001:db8::1", text("2001:0DB8:0000:0000:0000:0000:0000:0001")); // §4.1, §4.3
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8::1:1:1:1:1")); // §4.2.2: not one group
        assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1")); // §4.2.3: the first run
        assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1")); // §4.2.3: the longest run
        assertEquals("::", text("::"));
        assertEquals("::1", text("::1"));
        assertEquals("fe80::", text("fe80::"));
        assertEquals("1:2:3:4:5:6:7:8", text("1:2:3:4:5:6:7:8"));
    }

    @Test
    void ipv4IsTheDottedQuad() throws Exception {
        assertEquals("10.0.0.1", text("10.0.0.1"));
    }
}
