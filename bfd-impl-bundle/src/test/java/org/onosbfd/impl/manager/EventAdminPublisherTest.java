package org.onosbfd.impl.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.osgi.service.event.Event;

class EventAdminPublisherTest {
    @Test
    void aStateChangeBecomesAnOsgiEventWithTheSessionAsProperties() throws Exception {
        BfdSession session = BfdSession.builder().id(7)
                .config(BfdSessionConfig.builder().interfaceName("of:0000000000000001/3")
                        .localAddress(InetAddress.getByName("169.254.0.2"))
                        .peerAddress(InetAddress.getByName("169.254.0.3")).build())
                .state(BfdState.DOWN).remoteState(BfdState.UP)
                .localDiagnostic(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED)
                .lastStateChange(Instant.ofEpochMilli(1234)).transport("punt")
                .counters(new BfdCounters(0, 0, 0, 0, Map.of())).build();
        Event event = EventAdminPublisher.toOsgiEvent(new BfdEvent(BfdEvent.Type.STATE_CHANGED,
                session, BfdState.UP, Instant.ofEpochMilli(1234)));
        assertEquals("org/onosbfd/session/STATE_CHANGED", event.getTopic());
        assertEquals(7L, event.getProperty("id"));
        assertEquals("169.254.0.3", event.getProperty("peer"));
        assertEquals("169.254.0.2", event.getProperty("local"));
        assertEquals("of:0000000000000001/3", event.getProperty("interface"));
        assertEquals(false, event.getProperty("multihop"));
        assertEquals("DOWN", event.getProperty("state"));
        assertEquals("UP", event.getProperty("previousState"));
        assertEquals("CONTROL_DETECTION_TIME_EXPIRED", event.getProperty("diagnostic"));
        assertEquals(1234L, event.getProperty("timestamp"));
    }
}
