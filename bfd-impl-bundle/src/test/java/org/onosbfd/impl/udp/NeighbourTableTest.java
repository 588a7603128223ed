package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighbourTableTest {
    private static final String HEADER =
            "IP address       HW type     Flags       HW address            Mask     Device";

    private static Map<String, NeighbourTable.Neighbour> parse(String... lines) {
        List<String> all = new java.util.ArrayList<>(List.of(HEADER));
        all.addAll(List.of(lines));
        return NeighbourTable.parse(all, name -> name.equals("eth0") ? 2 : name.equals("eth1")
                ? 3 : 0);
    }

    @Test
    void aCompleteEntryIsFoundByInterfaceAndByPeerAlone() {
        Map<String, NeighbourTable.Neighbour> table =
                parse("10.0.0.2         0x1         0x2         02:00:00:aa:bb:0c     *        eth0");
        NeighbourTable.Neighbour byDevice = table.get("10.0.0.2%eth0");
        assertEquals(0x020000aabb0cL, byDevice.mac);
        assertEquals(2, byDevice.interfaceIndex);
        assertEquals(byDevice, table.get("10.0.0.2"));
    }

    @Test
    void incompleteUnknownInterfaceAndMalformedMacEntriesAreLeftOut() {
        Map<String, NeighbourTable.Neighbour> table = parse(
                "10.0.0.3         0x1         0x0         00:00:00:00:00:00     *        eth0",
                "10.0.0.4         0x1         0x2         02:00:00:00:00:04     *        gone0",
                "10.0.0.5         0x1         0x2         02:00:00:00:04        *        eth0",
                "short line");
        assertTrue(table.isEmpty(), table.toString());
    }

    @Test
    void aPeerOnTwoInterfacesNeedsTheSessionsInterface() {
        Map<String, NeighbourTable.Neighbour> table = parse(
                "10.0.0.2         0x1         0x2         02:00:00:00:00:01     *        eth0",
                "10.0.0.2         0x1         0x2         02:00:00:00:00:02     *        eth1");
        assertNull(table.get("10.0.0.2"));
        assertEquals(0x020000000001L, table.get("10.0.0.2%eth0").mac);
        assertEquals(0x020000000002L, table.get("10.0.0.2%eth1").mac);
    }

    @Test
    void theGenerationChangesOnlyWhenAnEntryDoes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("arp");
        Files.writeString(file, HEADER + "\n"
                + "10.0.0.2         0x1         0x2         02:00:00:00:00:01     *        lo\n");
        NeighbourTable table = new NeighbourTable(file);
        NeighbourTable.Lookup lookup = table.lookup("10.0.0.2", "lo");
        assertEquals(0, table.generation());
        assertNull(lookup.current(), "nothing read yet");
        table.refresh();
        int first = table.generation();
        assertEquals(0x020000000001L, table.find("10.0.0.2", "lo").mac);
        table.refresh();
        assertEquals(first, table.generation(), "nothing changed");
        Files.writeString(file, HEADER + "\n"
                + "10.0.0.2         0x1         0x2         02:00:00:00:00:09     *        lo\n");
        table.refresh();
        assertEquals(first + 1, table.generation());
        assertEquals(0x020000000009L, table.find("10.0.0.2", null).mac);
        assertEquals(0x020000000009L, lookup.current().mac, "a lookup follows the change");
        Files.delete(file);
        table.refresh();
        assertEquals(first + 1, table.generation(), "a failed read keeps the last table");
    }
}
