package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdState;

/**
 * {@link LoopbackUdpIT}'s tests again, IPv4 single hop read from a packet ring
 * ({@link ReceiveRing}) instead of the UDP socket, where the host allows it (CAP_NET_RAW).
 */
class LoopbackRingIT extends LoopbackUdpIT {
    @Override
    UdpTransport newTransport() {
        UdpTransport transport = super.newTransport();
        transport.receiveThroughRing();
        return transport;
    }

    @Test
    void singleHopDatagramsComeThroughTheRingAndTheSocketTakesNone() throws Exception {
        Assumptions.assumeTrue(transport.readsThroughRing(), "a packet ring needs CAP_NET_RAW");
        long a = add("127.0.0.1", "127.0.0.2", false);
        long b = add("127.0.0.2", "127.0.0.1", false);
        await("both Up", () -> session(a).state() == BfdState.UP
                && session(b).state() == BfdState.UP);
        long rx = session(a).counters().rxPackets();
        await("100 more packets", () -> session(a).counters().rxPackets() > rx + 100);
        // Each datagram once: through the ring and not also through the socket, which would
        // make a receive more packets than its peer sent.
        long received = session(a).counters().rxPackets();
        long sent = session(b).counters().txPackets();
        assertTrue(received <= sent, received + " received of " + sent + " sent");
        Map<String, Long> udp = manager.statistics().transports().get("udp");
        assertTrue(udp.get("datagramsReceived") >= received, udp.toString());
        assertEquals(0, udp.get("ringChecksumErrors"), udp.toString());
        assertEquals(0, udp.get("ringMalformed"), udp.toString());
        assertEquals(0, session(a).counters().droppedPackets());
    }
}
