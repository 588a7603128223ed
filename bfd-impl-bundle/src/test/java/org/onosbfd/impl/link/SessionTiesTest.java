package org.onosbfd.impl.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.onosbfd.impl.punt.PuntedController.MS;
import static org.onosbfd.impl.punt.PuntedController.address;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.impl.punt.EmulatedNetwork;
import org.onosbfd.impl.punt.PuntedController;
import org.onosproject.TestApplicationId;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.config.InvalidFieldException;

/**
 * Sessions tied to a port and to a link show their state as annotations there, and nothing
 * else changes in the model; untying or removing the session removes the annotation.
 */
class SessionTiesTest {
    private static final ConnectPoint ONE = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final ConnectPoint TWO = ConnectPoint.deviceConnectPoint("of:0000000000000002/1");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EmulatedNetwork network = new EmulatedNetwork();
    private final PuntedController controller = new PuntedController(network);
    private final EmulatedTopology topology = new EmulatedTopology(controller::now);
    private final SessionTies ties = new SessionTies(controller.manager, topology.netcfg, topology,
            topology, Runnable::run);

    SessionTiesTest() {
        network.link(ONE, TWO);
        topology.lldpDiscovers(ONE, TWO);
    }

    private long session(ConnectPoint port, String local, String peer) {
        return controller.manager.addSession(BfdSessionConfig.builder()
                .interfaceName(port.toString()).localAddress(address(local))
                .peerAddress(address(peer)).desiredMinTxInterval(50_000)
                .requiredMinRxInterval(50_000).build()).id();
    }

    private static List<SessionTie> parse(String json) throws Exception {
        BfdAppConfig config = new BfdAppConfig();
        config.init(new TestApplicationId("org.onosbfd.bfd"), BfdAppConfig.KEY,
                MAPPER.readTree(json), MAPPER, c -> { });
        config.isValid();
        return config.ties();
    }

    private String portAnnotation(String key) {
        JsonNode node = topology.netcfg.portAnnotations.get(ONE);
        return node == null || !node.path("entries").has(key) ? null
                : node.path("entries").get(key).asText();
    }

    private String linkAnnotation(ConnectPoint src, ConnectPoint dst, String key) {
        return topology.getLink(src, dst).annotations().value(key);
    }

    @Test
    void tiedSessionsAnnotateTheirPortAndLinkWithTheirState() throws Exception {
        long atOne = session(ONE, "10.0.0.1", "10.0.0.2");
        long atTwo = session(TWO, "10.0.0.2", "10.0.0.1");
        ties.start(parse("{\"ties\": ["
                + "{\"peer\": \"10.0.0.2\", \"port\": \"of:0000000000000001/1\"},"
                + "{\"peer\": \"10.0.0.1\", \"interface\": \"of:0000000000000002/1\","
                + " \"link\": \"of:0000000000000001/1-of:0000000000000002/1\"}]}"));
        assertEquals("down", portAnnotation("bfd.10.0.0.2"));

        controller.runFor(3000 * MS);
        assertEquals("up", portAnnotation("bfd.10.0.0.2"));
        assertEquals("up", linkAnnotation(ONE, TWO, "bfd.10.0.0.1"));
        assertEquals("up", linkAnnotation(TWO, ONE, "bfd.10.0.0.1"));

        network.up = false;
        controller.runFor(1000 * MS);
        assertEquals("down", portAnnotation("bfd.10.0.0.2"));
        assertEquals("down", linkAnnotation(ONE, TWO, "bfd.10.0.0.1"));
        assertNotNull(topology.getLink(ONE, TWO), "a tie annotates; it never removes the link");

        controller.manager.removeSession(atOne);
        assertNull(portAnnotation("bfd.10.0.0.2"));
        ties.update(List.of());
        assertNull(linkAnnotation(ONE, TWO, "bfd.10.0.0.1"));
        assertNull(linkAnnotation(TWO, ONE, "bfd.10.0.0.1"));
        controller.manager.removeSession(atTwo);
    }

    @Test
    void badTiesAreRefusedNamingTheEntryAndField() {
        assertInvalid("ties[0].peer", "{\"ties\": [{\"port\": \"of:0000000000000001/1\"}]}");
        assertInvalid("ties[0].peer", "{\"ties\": [{\"peer\": \"router.example\","
                + " \"port\": \"of:0000000000000001/1\"}]}");
        assertInvalid("ties[1]", "{\"ties\": [{\"peer\": \"10.0.0.2\", \"port\": \"of:1/1\"},"
                + " {\"peer\": \"10.0.0.3\"}]}");
        assertInvalid("ties[0].link", "{\"ties\": [{\"peer\": \"10.0.0.2\","
                + " \"link\": \"of:0000000000000001/1\"}]}");
        assertInvalid("ties[0].colour", "{\"ties\": [{\"peer\": \"10.0.0.2\","
                + " \"port\": \"of:1/1\", \"colour\": \"red\"}]}");
        assertInvalid("ties", "{\"ties\": {\"peer\": \"10.0.0.2\"}}");
    }

    private static void assertInvalid(String field, String json) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> parse(json));
        assertEquals(field, e.field(), e.getMessage());
    }
}
