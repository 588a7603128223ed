package org.onosbfd.impl.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.punt.PuntedController.MS;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.punt.EmulatedNetwork;
import org.onosbfd.impl.punt.PuntedController;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.DeviceId;
import org.onosproject.net.LinkKey;
import org.onosproject.net.link.LinkEvent;

/**
 * Auto mode in an emulated two-switch network: the punted transport carries each session's
 * frames across the emulated link, the emulated link subsystem behaves as ONOS 2.7's link
 * manager, and an emulated LLDP provider competes for the same link. Fake clock throughout.
 */
class LinkLivenessTest {
    private static final ConnectPoint ONE = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final ConnectPoint TWO = ConnectPoint.deviceConnectPoint("of:0000000000000002/1");
    private static final LinkKey FORWARD = LinkKey.linkKey(ONE, TWO);
    private static final LinkKey REVERSE = LinkKey.linkKey(TWO, ONE);
    private static final AutoModeSettings ON =
            AutoModeSettings.of(true, 50, 50, 3, "169.254.0.0/16");

    @TempDir
    Path state;

    private final EmulatedNetwork network = new EmulatedNetwork();
    private final PuntedController controller = new PuntedController(network);
    private final EmulatedTopology topology = new EmulatedTopology(controller::now);

    LinkLivenessTest() {
        network.link(ONE, TWO);
        topology.lldpDiscovers(ONE, TWO);
    }

    private LinkLiveness liveness(Predicate<DeviceId> runsHere) {
        return new LinkLiveness(controller.manager, topology, topology,
                new LinkHolds(topology.netcfg, state.resolve("link-holds.json")), runsHere,
                Runnable::run);
    }

    private LinkLiveness started() {
        LinkLiveness liveness = liveness(device -> true);
        liveness.start(ON);
        controller.runFor(3000 * MS);
        assertSessions(BfdState.UP, BfdState.UP);
        return liveness;
    }

    private void assertSessions(BfdState... states) {
        List<BfdSession> sessions = controller.manager.sessions();
        assertEquals(states.length, sessions.size(), sessions.toString());
        for (int i = 0; i < states.length; i++) {
            assertEquals(states[i], sessions.get(i).state(), sessions.get(i).toString());
            assertEquals("punt", sessions.get(i).transport());
        }
    }

    private int bfdCalls(boolean detected, LinkKey direction) {
        return (int) topology.calls(LinkLiveness.PROVIDER_ID, detected).stream()
                .filter(c -> c.direction.equals(direction)).count();
    }

    private long linkEvents(LinkEvent.Type type) {
        return topology.events.stream().filter(e -> e.type() == type).count();
    }

    @Test
    void aCutVanishesBothDirectionsOnceWithinTheDetectionTimeAndRestoringDetectsThem() {
        started();
        assertEquals("up", topology.getLink(ONE, TWO).annotations().value(LinkLiveness.ANNOTATION));
        assertEquals(0, bfdCalls(false, FORWARD));

        network.up = false;
        long cut = controller.now();
        controller.runFor(2000 * MS);
        assertEquals(1, bfdCalls(false, FORWARD));
        assertEquals(1, bfdCalls(false, REVERSE));
        for (EmulatedTopology.Call call : topology.calls(LinkLiveness.PROVIDER_ID, false)) {
            assertTrue(call.time - cut <= 150 * MS, call + " " + (call.time - cut) / MS + " ms");
        }
        assertNull(topology.getLink(ONE, TWO));
        assertNull(topology.getLink(TWO, ONE));

        long detectedBefore = topology.calls(LinkLiveness.PROVIDER_ID, true).size();
        network.up = true;
        controller.runFor(3000 * MS);
        assertSessions(BfdState.UP, BfdState.UP);
        assertEquals(detectedBefore + 2, topology.calls(LinkLiveness.PROVIDER_ID, true).size());
        assertNotNull(topology.getLink(ONE, TWO));
        assertNotNull(topology.getLink(TWO, ONE));
        assertTrue(topology.netcfg.basic.isEmpty(), "the hold's configuration is removed");
    }

    @Test
    void aHoldThatCannotBeRecordedIsNotTaken() throws Exception {
        started();
        // The state file cannot be written: its temporary name is a directory in the way.
        java.nio.file.Files.createDirectories(state.resolve("link-holds.json.tmp").resolve("x"));
        network.up = false;
        controller.runFor(1000 * MS);
        assertEquals(1, bfdCalls(false, FORWARD), "the link is still reported gone");
        assertTrue(topology.netcfg.basic.isEmpty(),
                "but not blocked: an unrecorded hold could outlive a crash");
    }

    @Test
    void lldpCannotBringBackALinkBfdHoldsDown() {
        started();
        network.up = false;
        controller.runFor(1000 * MS);
        long added = linkEvents(LinkEvent.Type.LINK_ADDED);

        // LLDP probes still pass (BFD frames alone are lost, say): LLDP reports the link again.
        topology.lldpDiscovers(ONE, TWO);
        controller.runFor(1000 * MS);
        topology.lldpDiscovers(ONE, TWO);
        assertNull(topology.getLink(ONE, TWO));
        assertEquals(added, linkEvents(LinkEvent.Type.LINK_ADDED), "no flap");
    }

    @Test
    void aLinkLldpRemovedIsNeverReAddedByBfd() {
        started();
        topology.lldp().linkVanished(new org.onosproject.net.link.DefaultLinkDescription(ONE, TWO,
                org.onosproject.net.Link.Type.DIRECT));
        assertSessions(BfdState.UP, BfdState.UP); // one direction left: still BFD's link
        topology.lldp().linkVanished(new org.onosproject.net.link.DefaultLinkDescription(TWO, ONE,
                org.onosproject.net.Link.Type.DIRECT));
        assertSessions(); // neither left: its sessions are closed
        long detected = topology.calls(LinkLiveness.PROVIDER_ID, true).size();
        controller.runFor(5000 * MS);
        assertEquals(detected, topology.calls(LinkLiveness.PROVIDER_ID, true).size());
        assertNull(topology.getLink(ONE, TWO));

        // LLDP finds it again: auto mode runs new sessions for it.
        topology.lldpDiscovers(ONE, TWO);
        controller.runFor(3000 * MS);
        assertSessions(BfdState.UP, BfdState.UP);
    }

    @Test
    void aPeerGoingAdminDownIsNotAFailure() {
        started();
        BfdSession first = controller.manager.sessions().get(0);
        controller.manager.setAdminDown(first.id(), true);
        controller.runFor(1000 * MS);
        assertSessions(BfdState.ADMIN_DOWN, BfdState.DOWN);
        assertEquals(0, bfdCalls(false, FORWARD) + bfdCalls(false, REVERSE));
        assertNotNull(topology.getLink(ONE, TWO));
    }

    @Test
    void holdsKeepTheOperatorsFieldsAndAreReleasedOnStopAndAfterACrash() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        LinkKey canonical = LinkKey.linkKey(ONE, TWO);
        topology.netcfg.basic.put(canonical, mapper.readTree("{\"metric\": 5}"));
        LinkLiveness liveness = started();
        network.up = false;
        controller.runFor(1000 * MS);
        assertEquals(mapper.readTree("{\"metric\": 5, \"allowed\": false}"),
                topology.netcfg.basic.get(canonical));
        assertTrue(Files.exists(state.resolve("link-holds.json")));

        liveness.stop();
        assertEquals(mapper.readTree("{\"metric\": 5}"), topology.netcfg.basic.get(canonical));
        assertEquals(0, topology.listeners());
        assertSessions();

        // A run that dies holding a link: the next start releases the hold.
        LinkLiveness dying = liveness(device -> true);
        dying.start(ON);
        topology.lldpDiscovers(ONE, TWO);
        network.up = true;
        controller.runFor(3000 * MS);
        network.up = false;
        controller.runFor(1000 * MS);
        assertEquals(false, topology.netcfg.basic.get(canonical).get("allowed").asBoolean());
        new LinkHolds(topology.netcfg, state.resolve("link-holds.json")).releaseLeftovers();
        assertEquals(mapper.readTree("{\"metric\": 5}"), topology.netcfg.basic.get(canonical));
        assertTrue(Files.notExists(state.resolve("link-holds.json")));
    }

    @Test
    void autoModeIsOffByDefaultAndCanBeTurnedOnAndOff() {
        LinkLiveness liveness = liveness(device -> true);
        liveness.start(AutoModeSettings.DEFAULT);
        assertSessions();
        liveness.update(ON);
        controller.runFor(3000 * MS);
        assertSessions(BfdState.UP, BfdState.UP);
        liveness.update(AutoModeSettings.DEFAULT);
        assertSessions();
    }

    @Test
    void anInstanceRunsOnlyTheSessionsOfDevicesItMasters() {
        DeviceId[] mastered = {ONE.deviceId()};
        LinkLiveness liveness = liveness(device -> device.equals(mastered[0]));
        liveness.start(ON);
        assertEquals(1, controller.manager.sessions().size());
        assertEquals(ONE.toString(),
                controller.manager.sessions().get(0).config().path().interfaceName());

        mastered[0] = TWO.deviceId();
        liveness.mastershipChanged(ONE.deviceId());
        liveness.mastershipChanged(TWO.deviceId());
        assertEquals(1, controller.manager.sessions().size());
        assertEquals(TWO.toString(),
                controller.manager.sessions().get(0).config().path().interfaceName());
    }
}
