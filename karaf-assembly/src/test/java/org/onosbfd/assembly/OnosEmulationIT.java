package org.onosbfd.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distribution as it would be inside ONOS, as far as this machine allows: ONOS's real API
 * bundles (onos-api 2.7.0 with onlab and their dependencies) are installed into the running
 * instance, and a bundle standing in for ONOS's core ({@link org.onosbfd.assembly.onos.EmulatedOnos}) registers ONOS's
 * services. BFD's implementation bundle, refreshed, wires its optional ONOS imports and enables
 * its ONOS components under the real SCR; when ONOS's services go away they withdraw.
 */
class OnosEmulationIT {
    private static KarafInstance karaf;
    private static String onosBundle;

    @BeforeAll
    static void bootAndAddOnos() throws Exception {
        karaf = KarafInstance.start(Path.of(System.getProperty("bfd.assembly.dir")),
                Duration.ofSeconds(120));
        KarafInstance.Result api = karaf.run("bundle:install -s "
                + String.join(" ", OnosBundles.api("2.7.0")));
        assertEquals(0, api.exitCode, api.toString());
        KarafInstance.Result core = karaf.run("bundle:install -s file:"
                + OnosBundles.standInCore());
        assertEquals(0, core.exitCode, core.toString());
        onosBundle = core.output.replaceAll("(?s).*Bundle ID: (\\d+).*", "$1");
        // BFD was resolved without ONOS: a refresh wires its optional imports, as installing
        // the feature into ONOS would from the start.
        KarafInstance.Result refresh = karaf.run("bundle:refresh org.onosbfd.bfd-impl-bundle");
        assertEquals(0, refresh.exitCode, refresh.toString());
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    void onosComponentsRunUnderScrWithTheRealOnosApiAndWithdrawWhenOnosGoes() {
        for (String component : new String[] {"punt.PuntTransportComponent",
            "link.LinkLivenessComponent", "handover.OnosHandoverStore",
            "manager.EventAdminPublisher"}) {
            karaf.awaitLog("present, org.onosbfd.impl." + component + " enabled");
        }
        karaf.awaitLog("BFD punted-packet transport ready");
        karaf.awaitLog("emulated ONOS: PacketService.addProcessor");
        karaf.awaitLog("emulated ONOS: PacketService.requestPackets");
        karaf.awaitLog("emulated ONOS: netcfg registerConfigFactory");
        // Started once, however SCR's bind and the service's activation interleave: a second
        // processor would handle every punted frame twice.
        assertEquals(1, karaf.karafLog().split("emulated ONOS: PacketService.addProcessor", -1)
                .length - 1, "one packet processor");
        karaf.awaitLog("emulated ONOS: link provider ProviderId{scheme=bfd, id=org.onosbfd.link");
        karaf.awaitLog("emulated ONOS: link provider ProviderId{scheme=bfd-ties");

        // A session on a switch port is carried by the punted transport, which asks for the
        // peer's MAC through ONOS's packet service.
        KarafInstance.Result add = karaf.run(
                "bfd:session-add --interface of:0000000000000001/3 10.0.0.2 10.0.0.1");
        assertTrue(add.output.contains("(transport punt)"), add.toString());
        karaf.awaitOutput("bfd:stats", o -> o.contains("Transport punt:")
                && o.matches("(?s).*solicitationsSent\\s+[1-9].*"));
        karaf.awaitLog("emulated ONOS: PacketService.emit");

        // Auto mode through the component configuration.
        assertEquals(0, karaf.run("config:property-set -p org.onosbfd.link autoMode true").exitCode);
        karaf.awaitLog("BFD link liveness: auto mode on");

        // ONOS goes away: the transport withdraws its processor and packet requests, and the
        // session waits without a transport.
        assertEquals(0, karaf.run("bundle:stop " + onosBundle).exitCode);
        karaf.awaitLog("emulated ONOS: PacketService.removeProcessor");
        karaf.awaitLog("emulated ONOS: PacketService.cancelPackets");
        karaf.awaitOutput("bfd:sessions -j", o -> o.contains("\"transport\" : \"none\""));
    }
}
