package org.onosbfd.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSessionConfig;

/** RFC 4007 §11 zones: "fe80::2%eth1" names the session's interface. */
class BfdJsonZoneTest {
    private static BfdSessionConfig decode(String json) {
        return BfdJson.decodeConfig(BfdJson.parse(json), null);
    }

    @Test
    void aZoneNamesTheInterface() {
        BfdSessionConfig config = decode("{\"peerAddress\": \"fe80::2%eth1\", "
                + "\"localAddress\": \"fe80::1\"}");
        assertEquals("eth1", config.path().interfaceName());
        assertEquals("fe80::2", org.onosbfd.api.AddressText.of(config.path().peerAddress()));
        assertEquals("eth1", decode("{\"peerAddress\": \"fe80::2%eth1\", \"localAddress\": "
                + "\"fe80::1%eth1\", \"interface\": \"eth1\"}").path().interfaceName());
    }

    @Test
    void aZoneThatContradictsTheInterfaceOrFollowsAnotherAddressIsRefused() {
        BfdException other = assertThrows(BfdException.class, () -> decode("{\"peerAddress\": "
                + "\"fe80::2%eth1\", \"localAddress\": \"fe80::1\", \"interface\": \"eth2\"}"));
        assertEquals("peerAddress", other.field());
        assertEquals("localAddress", assertThrows(BfdException.class, () -> decode(
                "{\"peerAddress\": \"fe80::2%eth1\", \"localAddress\": \"fe80::1%eth2\"}"))
                .field());
        assertEquals("peerAddress", assertThrows(BfdException.class, () -> decode(
                "{\"peerAddress\": \"10.0.0.2%eth1\", \"localAddress\": \"10.0.0.1\"}")).field());
        assertEquals("peerAddress", assertThrows(BfdException.class, () -> decode(
                "{\"peerAddress\": \"2001:db8::2%eth1\", \"localAddress\": \"2001:db8::1\"}"))
                .field());
    }
}
