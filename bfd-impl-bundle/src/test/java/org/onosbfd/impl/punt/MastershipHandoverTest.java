package org.onosbfd.impl.punt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.punt.PuntedController.MS;
import static org.onosbfd.impl.punt.PuntedController.address;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.SessionHandover;
import org.onosbfd.impl.handover.HandoverStore;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.DeviceId;

/**
 * Two controller instances of one cluster on an emulated two-switch network, sharing a
 * handover store as ONOS's distributed store would be: only a device's master runs the sessions
 * at its ports, and moving a device's mastership moves its session without the peer noticing.
 */
class MastershipHandoverTest {
    private static final ConnectPoint ONE = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final ConnectPoint TWO = ConnectPoint.deviceConnectPoint("of:0000000000000002/1");

    private final Map<DeviceId, String> masters = new HashMap<>();
    private final EmulatedNetwork network = new EmulatedNetwork();
    private final PuntedController.FakeClock clock = new PuntedController.FakeClock();
    private final PuntedController a = new PuntedController(network, clock,
            device -> "a".equals(masters.get(device)));
    private final PuntedController b = new PuntedController(network, clock,
            device -> "b".equals(masters.get(device)));
    private final Map<BfdPath, SessionHandover> records = new HashMap<>();
    private final HandoverStore store = new HandoverStore() {
        @Override
        public SessionHandover get(BfdPath path) {
            return records.get(path);
        }

        @Override
        public void put(BfdPath path, SessionHandover record) {
            records.put(path, record);
        }

        @Override
        public void remove(BfdPath path) {
            records.remove(path);
        }
    };

    MastershipHandoverTest() {
        network.link(ONE, TWO);
        masters.put(ONE.deviceId(), "a");
        masters.put(TWO.deviceId(), "a");
    }

    /** Both instances hold the same configuration, as a cluster's would be. */
    private void configure(PuntedController controller, boolean authenticated) {
        BfdAuthentication authentication = null;
        if (authenticated) {
            controller.manager.setKey(new BfdAuthKey(7, BfdAuthType.METICULOUS_KEYED_SHA1,
                    "s3cret".getBytes(StandardCharsets.UTF_8)));
            authentication = new BfdAuthentication(7, 1);
        }
        controller.manager.addSession(config(ONE, "10.0.0.1", "10.0.0.2", authentication));
        controller.manager.addSession(config(TWO, "10.0.0.2", "10.0.0.1", authentication));
    }

    private void configure(PuntedController controller) {
        configure(controller, false);
    }

    private static BfdSessionConfig config(ConnectPoint port, String local, String peer,
                                           BfdAuthentication authentication) {
        return BfdSessionConfig.builder().interfaceName(port.toString())
                .localAddress(address(local)).peerAddress(address(peer))
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000)
                .authentication(authentication).build();
    }

    private static BfdSession at(PuntedController controller, ConnectPoint port) {
        return controller.manager.sessions().stream()
                .filter(s -> s.config().path().interfaceName().equals(port.toString()))
                .findFirst().orElseThrow();
    }

    private void moveTwoToB(boolean newMasterHearsFirst) {
        masters.put(TWO.deviceId(), "b");
        PuntedController[] order = newMasterHearsFirst
                ? new PuntedController[] {b, a} : new PuntedController[] {a, b};
        for (PuntedController controller : order) {
            controller.transport.mastershipChanged();
            controller.runFor(0);
        }
    }

    private void handoverWithoutAFlap(boolean newMasterHearsFirst, boolean authenticated) {
        a.manager.bindHandoverStore(store);
        b.manager.bindHandoverStore(store);
        configure(a, authenticated);
        configure(b, authenticated);
        PuntedController.runAll(3000 * MS, a, b);
        assertEquals(BfdState.UP, at(a, ONE).state());
        assertEquals(BfdState.UP, at(a, TWO).state());
        assertEquals("none", at(b, ONE).transport());
        assertEquals("none", at(b, TWO).transport());
        long discriminator = at(a, TWO).localDiscriminator();

        List<BfdEvent> events = new ArrayList<>();
        a.manager.addListener(events::add);
        b.manager.addListener(events::add);
        moveTwoToB(newMasterHearsFirst);
        long sentByOldMaster = at(a, TWO).counters().txPackets();
        PuntedController.runAll(3000 * MS, a, b);

        assertEquals(List.of(), events, "no state change anywhere");
        assertEquals(BfdState.UP, at(a, ONE).state());
        assertEquals(0, at(a, ONE).counters().downTransitions());
        BfdSession moved = at(b, TWO);
        assertEquals("punt", moved.transport());
        assertEquals(BfdState.UP, moved.state());
        assertEquals(discriminator, moved.localDiscriminator());
        assertTrue(moved.counters().rxPackets() > 40, moved.toString());
        assertEquals(0, at(a, ONE).counters().droppedPackets(), "the peer accepted every packet");
        assertEquals("none", at(a, TWO).transport());
        assertEquals(sentByOldMaster, at(a, TWO).counters().txPackets(),
                "the old master stopped sending");
    }

    @Test
    void theNewMasterContinuesTheSessionWhenTheOldOneLetGoFirst() {
        handoverWithoutAFlap(false, false);
    }

    /** §6.7.3: the new master's sequence numbers stay inside the peer's meticulous window. */
    @Test
    void aMeticulouslyAuthenticatedSessionMovesWithItsSequenceNumbers() {
        handoverWithoutAFlap(false, true);
    }

    @Test
    void theNewMasterContinuesTheSessionWhenItHearsOfTheMoveFirst() {
        handoverWithoutAFlap(true, false);
    }

    @Test
    void losingMastershipStopsTransmissionWithoutDeclaringTheSessionDown() {
        configure(a);
        a.runFor(3000 * MS);
        List<BfdEvent> events = new ArrayList<>();
        a.manager.addListener(events::add);
        masters.put(TWO.deviceId(), "b");
        masters.put(ONE.deviceId(), "b");
        a.transport.mastershipChanged();
        long sent = a.manager.statistics().counters().txPackets();
        a.runFor(5000 * MS);
        assertEquals(sent, a.manager.statistics().counters().txPackets());
        assertEquals(List.of(), events);
        assertEquals("none", at(a, ONE).transport());

        // Mastership back with no record to continue: the session runs on from where it was,
        // and its peer, silent meanwhile, is found gone within one detection time.
        masters.put(ONE.deviceId(), "a");
        a.transport.mastershipChanged();
        a.runFor(1000 * MS);
        assertEquals("punt", at(a, ONE).transport());
        assertEquals(BfdState.DOWN, at(a, ONE).state());
    }
}
