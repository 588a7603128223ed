package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.PeerPacket;

/** RFC 5880 §6.2 and §6.8.6: the state machine, its diagnostics and AdminDown (§6.8.16). */
class StateMachineTest {
    private final CoreHarness h = new CoreHarness();

    private BfdSession snapshot(CoreSession s) {
        return CoreHarness.snapshot(s);
    }

    @Test
    void newSessionSendsDownAtOnceWithZeroYourDiscriminatorAndSlowInterval() {
        CoreSession s = h.add(CoreHarness.config().build());
        assertEquals(1, h.sent.size());
        ControlPacket p = h.last().packet;
        assertEquals(BfdState.DOWN.code(), p.state);
        assertEquals(0, p.yourDiscriminator);
        assertEquals(s.localDiscriminator, p.myDiscriminator);
        assertEquals(1_000_000, p.desiredMinTxInterval, "§6.8.3: at least 1 s while not Up");
        assertEquals(50_000, p.requiredMinRxInterval);
        assertEquals(3, p.detectMultiplier);
    }

    @Test
    void clearedCountersStartFromZeroAndTheTotalsStayTheSumOfWhatHappened() {
        CoreSession s = h.add(CoreHarness.config().build());
        CoreSession other = h.add(CoreHarness.config().peerAddress(CoreHarness.address(
                "192.0.2.3")).build());
        h.bringUp(s);
        h.receive(new PeerPacket().state(BfdState.UP).yourDiscriminator(0x7777)); // no session
        assertTrue(CoreHarness.snapshot(s).counters().rxPackets() > 0);
        assertEquals(1, h.core.counters().drops(org.onosbfd.api.BfdDropReason.NO_SESSION));
        s.clearCounters();
        org.onosbfd.api.BfdCounters cleared = CoreHarness.snapshot(s).counters();
        assertEquals(0, cleared.rxPackets() + cleared.txPackets() + cleared.upTransitions());
        assertEquals(-1, CoreHarness.snapshot(s).minDetectionSlack());
        assertTrue(h.core.counters().txPackets() > 0, "the totals: the other session's and "
                + "the unmatched packets still count");
        h.core.clearCounters();
        org.onosbfd.api.BfdCounters totals = h.core.counters();
        assertEquals(0, totals.rxPackets() + totals.txPackets() + totals.droppedPackets());
        assertEquals(0, CoreHarness.snapshot(other).counters().txPackets());
        h.runFor(2_000 * CoreHarness.MS);
        assertEquals(CoreHarness.snapshot(s).counters().txPackets()
                + CoreHarness.snapshot(other).counters().txPackets(), h.core.counters().txPackets(),
                "the totals are the sum of the sessions' again");
        long before = h.core.counters().txPackets();
        h.core.remove(other);
        assertEquals(before, h.core.counters().txPackets(),
                "a removed session's packets stay counted in the totals");
    }

    @Test
    void downToInitToUpThreeWayHandshake() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, s.state());
        assertEquals(BfdState.INIT.code(), h.last().packet.state, "state change is sent at once");
        assertEquals(CoreHarness.PEER_DISCRIMINATOR, h.last().packet.yourDiscriminator);
        h.receive(h.from(s, BfdState.UP));
        assertEquals(BfdState.UP, s.state());
        assertEquals("[DOWN->INIT@1000ms, INIT->UP@1000ms]", h.changes.toString());
    }

    @Test
    void downGoesStraightUpWhenPeerIsInInit() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(h.from(s, BfdState.INIT));
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void initIgnoresDownAndUpIgnoresInit() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, s.state());
        h.receive(h.from(s, BfdState.INIT));
        assertEquals(BfdState.UP, s.state());
        h.receive(h.from(s, BfdState.INIT));
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void upGoesDownWhenPeerSignalsDown() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.receive(h.from(s, BfdState.DOWN));
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN, snapshot(s).localDiagnostic());
        assertEquals(1, snapshot(s).counters().downTransitions());
    }

    @Test
    void peerAdminDownTakesUpAndInitDownButLeavesDownAlone() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(h.from(s, BfdState.ADMIN_DOWN));
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(BfdDiagnostic.NO_DIAGNOSTIC, snapshot(s).localDiagnostic());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, s.state());
        h.receive(h.from(s, BfdState.ADMIN_DOWN));
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN, snapshot(s).localDiagnostic());
    }

    @Test
    void localAdminDownSendsAdminDownWithDiag7AndIgnoresThePeer() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.core.reconfigure(s, s.config().toBuilder().adminDown(true).build(), null, h.now);
        assertEquals(BfdState.ADMIN_DOWN, s.state());
        assertEquals(BfdState.ADMIN_DOWN.code(), h.last().packet.state);
        assertEquals(BfdDiagnostic.ADMINISTRATIVELY_DOWN.code(), h.last().packet.diagnostic);
        h.receive(h.from(s, BfdState.UP));
        h.receive(h.from(s, BfdState.DOWN));
        assertEquals(BfdState.ADMIN_DOWN, s.state(), "§6.8.6: AdminDown discards packets");
        // No detection while AdminDown: silence changes nothing.
        h.runFor(10_000 * MS);
        assertEquals(BfdState.ADMIN_DOWN, s.state());
        assertTrue(h.last().time > h.now - 1_100 * MS, "keeps telling the peer, slowly");
        h.core.reconfigure(s, s.config().toBuilder().adminDown(false).build(), null, h.now);
        assertEquals(BfdState.DOWN, s.state());
        h.receive(h.from(s, BfdState.INIT));
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void adminDownDiscardsPacketsAfterNotingThePeer() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.core.reconfigure(s, s.config().toBuilder().adminDown(true).build(), null, h.now);
        long accepted = snapshot(s).counters().rxPackets();
        int sent = h.sent.size();
        int changes = h.changes.size();
        // A Poll would be answered at once by any other state (§6.8.7); echo would start.
        h.receive(h.from(s, BfdState.UP).poll().echo(50_000).intervals(300_000, 300_000));
        assertEquals(BfdState.ADMIN_DOWN, s.state());
        assertEquals(changes, h.changes.size());
        assertEquals(sent, h.sent.size(), "no Final, no echo from an AdminDown session");
        assertEquals(accepted, snapshot(s).counters().rxPackets(), "the packet is not accepted");
        assertEquals(1, h.drops(s, org.onosbfd.api.BfdDropReason.ADMIN_DOWN));
        // §6.8.6 notes the peer's variables before it discards: they are still shown.
        assertEquals(300_000, snapshot(s).remoteRequiredMinRxInterval());
    }

    @Test
    void anUpPeerSignallingConcatenatedPathDownIsReportedOncePerChange() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        int changes = h.changes.size();
        h.receive(h.from(s, BfdState.UP).diagnostic(BfdDiagnostic.CONCATENATED_PATH_DOWN.code()));
        h.receive(h.from(s, BfdState.UP).diagnostic(BfdDiagnostic.CONCATENATED_PATH_DOWN.code()));
        assertEquals(1, h.peerDiagnosticChanges, "once, not per packet");
        assertEquals(BfdDiagnostic.CONCATENATED_PATH_DOWN, snapshot(s).remoteDiagnostic());
        assertEquals(BfdState.UP, s.state(), "RFC 5880 §6.8.17: the session stays Up");
        h.receive(h.from(s, BfdState.UP));
        assertEquals(2, h.peerDiagnosticChanges, "and again when it clears");
        assertEquals(changes, h.changes.size());
    }

    @Test
    void sessionCreatedAdminDownStaysThere() {
        CoreSession s = h.add(CoreHarness.config().adminDown(true).build());
        assertEquals(BfdState.ADMIN_DOWN, s.state());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.ADMIN_DOWN, s.state());
    }

    @Test
    void detectionTimeoutGoesDownWithDiag1AndForgetsTheRemoteDiscriminator() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        long lastRx = h.now;
        h.runUntil(lastRx + 150 * MS - 1);
        assertEquals(BfdState.UP, s.state(), "3 × 50 ms not yet elapsed");
        h.runUntil(lastRx + 150 * MS);
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(lastRx + 150 * MS, h.changes.get(h.changes.size() - 1).time);
        BfdSession snap = snapshot(s);
        assertEquals(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED, snap.localDiagnostic());
        assertEquals(0, snap.remoteDiscriminator(), "§6.8.1: reset on detection timeout");
        assertEquals(0, h.last().packet.yourDiscriminator);
        assertEquals(1_000_000, h.last().packet.desiredMinTxInterval, "back to slow TX");
    }

    @Test
    void detectionTimeUsesRemoteMultiplierAndLargerOfOurRxAndTheirTx() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.DOWN).detectMultiplier(5).intervals(70_000, 10_000));
        assertEquals(5 * 70_000, s.detectionTime());
        h.receive(h.from(s, BfdState.UP).detectMultiplier(2).intervals(20_000, 10_000));
        assertEquals(2 * 50_000, s.detectionTime(), "our RequiredMinRx is larger");
    }

    @Test
    void initTimesOutToo() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, s.state());
        h.runFor(151 * MS);
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED, snapshot(s).localDiagnostic());
    }

    @Test
    void discriminatorsAreRandomNonZeroAndUnique() {
        CoreHarness many = new CoreHarness(new Random(7));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            CoreSession s = many.core.add(i, CoreHarness.config()
                    .peerAddress(CoreHarness.address("10.0." + (i / 250) + "." + (i % 250 + 1)))
                    .build(), null, many.now);
            assertNotEquals(0, s.localDiscriminator);
            assertTrue(seen.add(s.localDiscriminator));
        }
        assertEquals(2000, many.core.sessions().size());
    }

    @Test
    void removedSessionNoLongerSendsOrReceives() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.core.remove(s);
        int before = h.sent.size();
        h.runFor(5_000 * MS);
        assertEquals(before, h.sent.size());
        h.receive(h.from(s, BfdState.UP));
        assertEquals(1, h.core.counters().drops(org.onosbfd.api.BfdDropReason.NO_SESSION));
        assertFalse(h.core.sessions().contains(s));
    }
}
