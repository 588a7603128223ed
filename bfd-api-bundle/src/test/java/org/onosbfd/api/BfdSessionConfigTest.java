package org.onosbfd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Input a session must refuse, with the field at fault and the accepted form. */
class BfdSessionConfigTest {
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static BfdSessionConfig.Builder session(String peer, String local) {
        return BfdSessionConfig.builder().peerAddress(address(peer)).localAddress(address(local));
    }

    private static BfdException refused(BfdSessionConfig.Builder builder) {
        BfdException e = assertThrows(BfdException.class, builder::build);
        assertEquals(BfdException.Kind.INVALID, e.kind());
        return e;
    }

    @Test
    void aPeerThatIsTheLocalAddressIsRefused() {
        BfdException e = refused(session("10.0.0.1", "10.0.0.1"));
        assertEquals("peerAddress", e.field());
        assertTrue(e.getMessage().contains("other than localAddress"), e.getMessage());
        assertEquals("peerAddress", refused(session("2001:db8::1", "2001:db8:0::1")).field());
    }

    @Test
    void interfaceNamesAreRefusedWithControlCharactersSpacesOrExcessLength() {
        for (String bad : new String[] {"eth1\nERROR forged log line", "eth\u001b[31m1", "eth\u00001",
                "eth 1", "\u00e9th1", "x".repeat(65)}) {
            BfdException e = refused(session("10.0.0.2", "10.0.0.1").interfaceName(bad));
            assertEquals("interface", e.field());
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\u001b")
                    || e.getMessage().contains("\u0000"), "the message repeats no control: "
                    + e.getMessage());
        }
    }

    @Test
    void interfacesAndSwitchPortsAreAccepted() {
        for (String good : new String[] {"eth1", "veth-a.100", "of:0000000000000001/3",
                "x".repeat(64)}) {
            assertEquals(good, session("10.0.0.2", "10.0.0.1").interfaceName(good).build()
                    .path().interfaceName());
        }
    }
}
