package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 5881 §4 source ports: one per session, found in a few bind() calls however many. */
class SourcePortsTest {
    private final SourcePorts ports = new SourcePorts(new Random(1));
    /** Ports the kernel would refuse: held by this test's "other programs" or bound before. */
    private final Set<Integer> bound = new HashSet<>();
    private int binds;

    private boolean bind(int port) {
        binds++;
        return bound.add(port);
    }

    @Test
    void everyPortOfTheRangeGoesToOneSessionAtOneBindEach() throws IOException {
        for (int i = 0; i < SourcePorts.COUNT; i++) {
            int before = binds;
            int port = ports.acquire("10.0.0.1", this::bind);
            assertTrue(port >= 49152 && port <= 65535);
            assertEquals(1, binds - before, "session " + i + ": ports we hold are not tried");
        }
        IOException full = assertThrows(IOException.class,
                () -> ports.acquire("10.0.0.1", this::bind));
        assertTrue(full.getMessage().contains("held by BFD sessions"), full.getMessage());
        // Another address has its own range; a released port can be taken again.
        assertTrue(ports.acquire("10.0.0.2", port -> true) >= 49152);
        ports.release("10.0.0.1", 50000);
        bound.remove(50000);
        assertEquals(50000, ports.acquire("10.0.0.1", this::bind));
    }

    @Test
    void portsOtherProgramsHoldAreSkippedAndTheSearchIsBounded() throws IOException {
        for (int port = 49152; port <= 65535; port += 2) {
            bound.add(port); // every other port is someone else's
        }
        int port = ports.acquire("10.0.0.1", this::bind);
        assertEquals(1, port % 2);
        for (int p = 49153; p <= 65535; p += 2) {
            bound.add(p); // now all of them
        }
        binds = 0;
        IOException none = assertThrows(IOException.class,
                () -> ports.acquire("10.0.0.1", this::bind));
        assertEquals(SourcePorts.ATTEMPTS, binds);
        assertTrue(none.getMessage().contains("other programs"), none.getMessage());
    }
}
