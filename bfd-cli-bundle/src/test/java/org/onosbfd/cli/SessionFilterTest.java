package org.onosbfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;

class SessionFilterTest {
    private static BfdSession session(String peer, String local) {
        return BfdSession.builder().config(BfdSessionConfig.builder()
                .peerAddress(AddressText.parse("p", peer)).localAddress(AddressText.parse("l", local))
                .build()).counters(new BfdCounters(0, 0, 0, 0, java.util.Map.of())).build();
    }

    @Test
    void matchesAddressesAndPrefixesOfTheRightFamily() {
        Predicate<BfdSession> net = SessionFilter.peerMatching("10.1.0.0/16");
        assertTrue(net.test(session("10.1.200.3", "10.1.0.1")));
        assertFalse(net.test(session("10.2.0.3", "10.2.0.1")));
        assertFalse(net.test(session("fd00::1", "fd00::2")));
        assertTrue(SessionFilter.peerMatching("fd00::/64").test(session("fd00::1", "fd00::2")));
        assertTrue(SessionFilter.peerMatching("10.1.2.3").test(session("10.1.2.3", "10.1.2.1")));
        assertFalse(SessionFilter.peerMatching("10.1.2.3").test(session("10.1.2.4", "10.1.2.1")));
        assertTrue(SessionFilter.peerMatching("0.0.0.0/0").test(session("192.0.2.1", "192.0.2.2")));
    }

    @Test
    void refusesBadPrefixesAndHostNames() {
        for (String bad : new String[] {"10.1.0.0/33", "10.1.0.0/x", "router1", "10.1/8/9", "fd00::/129"}) {
            BfdException e = assertThrows(BfdException.class, () -> SessionFilter.peerMatching(bad));
            assertEquals("ADDRESS", e.field());
        }
    }

    @Test
    void statesParseAsOperatorsTypeThem() {
        assertEquals(BfdState.ADMIN_DOWN, SessionsCommand.parseState("admin-down"));
        assertEquals(BfdState.UP, SessionsCommand.parseState("UP"));
        assertEquals("--state", assertThrows(BfdException.class,
                () -> SessionsCommand.parseState("sideways")).field());
    }
}
