package org.onosbfd.impl.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdRequest;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;

/**
 * The service over the core: two managers joined by an in-memory transport on one fake clock,
 * driven from the test thread (the loops are never started), so every step is deterministic.
 */
class BfdManagerTest {
    private static final long MS = 1_000_000;
    private static final InetAddress A = address("127.0.0.1");
    private static final InetAddress B = address("127.0.0.2");

    private long now = 5_000 * MS;
    private final Clock wall = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final MemoryTransport.Wire wire = new MemoryTransport.Wire();
    private final BfdManager left = new BfdManager(() -> now, wall, new Random(1), Runnable::run);
    private final BfdManager right = new BfdManager(() -> now, wall, new Random(2), Runnable::run);
    private final List<BfdEvent> events = new ArrayList<>();

    BfdManagerTest() {
        left.bindTransport(new MemoryTransport(wire, A));
        right.bindTransport(new MemoryTransport(wire, B));
        left.startOnCallerThread();
        right.startOnCallerThread();
        left.addListener(events::add);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static BfdSessionConfig.Builder config(InetAddress local, InetAddress peer) {
        return BfdSessionConfig.builder().localAddress(local).peerAddress(peer)
                .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000);
    }

    private void runFor(long nanos) {
        long end = now + nanos;
        while (true) {
            long next = Math.min(left.loop().nextDeadline(),
                    right.loop().nextDeadline());
            if (next > end) {
                break;
            }
            now = Math.max(now, next);
            left.loop().runOnce();
            right.loop().runOnce();
        }
        now = end;
    }

    private long[] pair() {
        long l = left.addSession(config(A, B).build()).id();
        long r = right.addSession(config(B, A).build()).id();
        runFor(100 * MS);
        return new long[] {l, r};
    }

    @Test
    void twoServicesComeUpAndReportEventsWithWallTime() {
        long[] ids = pair();
        BfdSession session = left.session(ids[0]).orElseThrow();
        assertEquals(BfdState.UP, session.state());
        assertEquals("memory", session.transport());
        assertEquals(1, session.clients());
        assertEquals(BfdState.UP, right.session(ids[1]).orElseThrow().state());
        assertEquals(BfdEvent.Type.SESSION_ADDED, events.get(0).type());
        BfdEvent up = events.get(events.size() - 1);
        assertEquals(BfdEvent.Type.STATE_CHANGED, up.type());
        assertEquals(BfdState.UP, up.state());
        assertTrue(up.time().isAfter(wall.instant().minusSeconds(1)));
        assertEquals(1, left.statistics().sessionsByState().get(BfdState.UP));
        // The loop's share of a CPU is published with its other figures (-1 until 10 s in).
        assertTrue(left.statistics().transports().get("event-loop").containsKey("cpuPercent"));
    }

    @Test
    void modifyingALiveSessionDoesNotFlapAndAdminDownReachesBothEnds() {
        long[] ids = pair();
        left.modifySession(ids[0], config(A, B).desiredMinTxInterval(10_000)
                .requiredMinRxInterval(20_000).build());
        runFor(1000 * MS);
        BfdSession session = left.session(ids[0]).orElseThrow();
        assertEquals(BfdState.UP, session.state());
        assertEquals(0, session.counters().downTransitions());
        assertEquals(50_000, session.negotiatedTxInterval(), "the peer's 50 ms RX rules");
        left.setAdminDown(ids[0], true);
        runFor(10 * MS);
        assertEquals(BfdState.ADMIN_DOWN, left.session(ids[0]).orElseThrow().state());
        assertEquals(BfdState.DOWN, right.session(ids[1]).orElseThrow().state());
        assertEquals(BfdState.ADMIN_DOWN, right.session(ids[1]).orElseThrow().remoteState());
        left.setAdminDown(ids[0], false);
        runFor(3000 * MS);
        assertEquals(BfdState.UP, left.session(ids[0]).orElseThrow().state());
    }

    @Test
    void cutWireIsDetectedWithinDetectionTime() {
        long[] ids = pair();
        long cut = now;
        wire.up = false;
        runFor(200 * MS);
        BfdSession session = left.session(ids[0]).orElseThrow();
        assertEquals(BfdState.DOWN, session.state());
        long elapsedNanos = session.lastStateChange().toEpochMilli() * MS
                - (wall.millis() * MS - 5_000 * MS) - cut;
        assertTrue(elapsedNanos <= 150 * MS, "detected after " + elapsedNanos / MS + " ms");
    }

    @Test
    void badRequestsAreRefusedPreciselyAndChangeNothing() {
        long id = left.addSession(config(A, B).build()).id();
        BfdException duplicate = assertThrows(BfdException.class,
                () -> left.addSession(config(A, B).detectMultiplier(5).build()));
        assertEquals(BfdException.Kind.CONFLICT, duplicate.kind());
        assertEquals(3, left.session(id).orElseThrow().config().detectMultiplier());
        BfdException moved = assertThrows(BfdException.class,
                () -> left.modifySession(id, config(A, address("127.0.0.3")).build()));
        assertEquals(BfdException.Kind.INVALID, moved.kind());
        assertEquals("peerAddress", moved.field());
        BfdException missing = assertThrows(BfdException.class, () -> left.removeSession(99));
        assertEquals(BfdException.Kind.NOT_FOUND, missing.kind());
        BfdException noKey = assertThrows(BfdException.class, () -> left.modifySession(id,
                config(A, B).authentication(new BfdAuthentication(4, 1)).build()));
        assertEquals("keyId", noKey.field());
        assertEquals(null, left.session(id).orElseThrow().config().authentication());
        assertEquals(1, left.sessions().size());
    }

    @Test
    void keysInUseCannotBeDeletedOrChangedAndSecretsNeverComeBack() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.US_ASCII);
        left.setKey(new BfdAuthKey(7, BfdAuthType.KEYED_SHA1, secret));
        right.setKey(new BfdAuthKey(7, BfdAuthType.KEYED_SHA1, secret));
        long id = left.addSession(config(A, B).authentication(new BfdAuthentication(7, 3)).build())
                .id();
        right.addSession(config(B, A).authentication(new BfdAuthentication(7, 3)).build());
        runFor(100 * MS);
        assertEquals(BfdState.UP, left.session(id).orElseThrow().state());
        assertTrue(left.session(id).orElseThrow().txSequence() >= 0);
        assertEquals(BfdException.Kind.CONFLICT,
                assertThrows(BfdException.class, () -> left.removeKey(7)).kind());
        assertEquals(BfdException.Kind.CONFLICT, assertThrows(BfdException.class,
                () -> left.setKey(new BfdAuthKey(7, BfdAuthType.KEYED_MD5, secret))).kind());
        left.setKey(new BfdAuthKey(7, BfdAuthType.KEYED_SHA1, secret)); // same material: fine
        assertEquals(1, left.keys().get(0).useCount());
        assertFalse(left.keys().toString().contains("s3cret"));
        assertFalse(new BfdAuthKey(7, BfdAuthType.KEYED_SHA1, secret).toString().contains("s3cret"));
        left.removeSession(id);
        left.removeKey(7);
        assertTrue(left.keys().isEmpty());
    }

    @Test
    void clientRequestsShareOneSessionRefcountedAndHearOnlyTheirSession() {
        List<BfdEvent> first = new ArrayList<>();
        List<BfdEvent> second = new ArrayList<>();
        BfdRequest r1 = left.requestSession(config(A, B).build(), first::add);
        BfdRequest r2 = left.requestSession(config(A, B).detectMultiplier(9).build(), second::add);
        left.requestSession(config(A, address("127.0.0.9")).build(), e -> { });
        right.addSession(config(B, A).build());
        runFor(100 * MS);
        assertEquals(r1.session().id(), r2.session().id(), "RFC 5882: one session per path");
        assertEquals(2, r1.session().clients());
        assertEquals(3, r2.session().config().detectMultiplier(), "shared as it is");
        assertEquals(BfdState.UP, r1.session().state());
        assertTrue(first.stream().anyMatch(e -> e.state() == BfdState.UP));
        assertTrue(first.stream().allMatch(e -> e.session().config().path().peerAddress().equals(B)));
        r1.close();
        r1.close();
        assertEquals(1, r2.session().clients(), "closing twice releases once");
        // An operator's claim keeps it beyond the last client.
        long id = left.addSession(config(A, B).build()).id();
        r2.close();
        assertTrue(left.session(id).isPresent());
        left.removeSession(id);
        assertFalse(left.session(id).isPresent());
        assertEquals(BfdEvent.Type.SESSION_REMOVED, events.get(events.size() - 1).type());
    }

    @Test
    void operatorCannotRemoveASessionOnlyClientsHold() {
        BfdRequest request = left.requestSession(config(A, B).build(), e -> { });
        long id = request.session().id();
        assertEquals(BfdException.Kind.CONFLICT,
                assertThrows(BfdException.class, () -> left.removeSession(id)).kind());
        request.close();
        assertFalse(left.session(id).isPresent());
    }

    @Test
    void optionalComponentsAreNamedByTheirOwnClassesAndNeedApisThatExist()
            throws ClassNotFoundException {
        for (String[] component : BfdManager.OPTIONAL_COMPONENTS) {
            Class.forName(component[0]); // on the test class path, every optional API is
            assertEquals(component[1], Class.forName(component[1]).getName());
        }
    }

    @Test
    void sessionsWaitWithoutTransportAndAttachWhenOneAppears() {
        BfdManager lonely = new BfdManager(() -> now, wall, new Random(3), Runnable::run);
        lonely.startOnCallerThread();
        long id = lonely.addSession(config(address("127.0.0.5"), B).build()).id();
        assertEquals("none", lonely.session(id).orElseThrow().transport());
        assertEquals("no transport is running", lonely.session(id).orElseThrow().notCarried());
        MemoryTransport elsewhere = new MemoryTransport(wire, address("127.0.0.6"));
        lonely.bindTransport(elsewhere);
        assertEquals("memory: no address 127.0.0.5 here",
                lonely.session(id).orElseThrow().notCarried(), "each transport's reason");
        MemoryTransport transport = new MemoryTransport(wire, address("127.0.0.5"));
        lonely.bindTransport(transport);
        assertEquals("memory", lonely.session(id).orElseThrow().transport());
        assertEquals(null, lonely.session(id).orElseThrow().notCarried());
        lonely.unbindTransport(transport);
        assertEquals("none", lonely.session(id).orElseThrow().transport());
        assertEquals(1, transport.closed);
    }

    @Test
    void sessionsAndKeysBeyondTheLimitsAreRefusedClearly() {
        left.limits(2, 1);
        left.addSession(config(A, address("127.0.0.20")).build());
        left.addSession(config(A, address("127.0.0.21")).build());
        BfdException full = assertThrows(BfdException.class,
                () -> left.addSession(config(A, address("127.0.0.22")).build()));
        assertEquals(BfdException.Kind.CONFLICT, full.kind());
        assertTrue(full.getMessage().contains("maxSessions"), full.getMessage());
        assertThrows(BfdException.class, () -> left.addSessions(List.of(
                config(A, address("127.0.0.23")).build())));
        assertEquals(2, left.sessions().size());
        byte[] secret = "s3cret".getBytes(StandardCharsets.US_ASCII);
        left.setKey(new BfdAuthKey(1, BfdAuthType.KEYED_SHA1, secret));
        left.setKey(new BfdAuthKey(1, BfdAuthType.KEYED_SHA1, secret)); // the same key again
        assertTrue(assertThrows(BfdException.class, () -> left.setKey(
                new BfdAuthKey(2, BfdAuthType.KEYED_SHA1, secret))).getMessage()
                .contains("maxKeys"));
    }

    @Test
    void aTransportBoundAgainStartsOnceAndIsWhollyGoneWhenUnbound() {
        // SCR's bind racing activation's "start every bound transport": the same transport
        // offered twice must start once (in ONOS, a second packet processor would handle every
        // punted frame twice), and unbinding must leave no copy that sessions re-attach to.
        BfdManager lonely = new BfdManager(() -> now, wall, new Random(3), Runnable::run);
        MemoryTransport transport = new MemoryTransport(wire, address("127.0.0.5"));
        lonely.bindTransport(transport);
        lonely.startOnCallerThread();
        lonely.bindTransport(transport);
        assertEquals(1, transport.starts);
        long id = lonely.addSession(config(address("127.0.0.5"), B).build()).id();
        assertEquals("memory", lonely.session(id).orElseThrow().transport());
        lonely.unbindTransport(transport);
        assertEquals("none", lonely.session(id).orElseThrow().transport());
        lonely.deactivate();
        lonely.unbindTransport(transport); // SCR unbinds after deactivation: no error
    }

    @Test
    void delayedRolloverThroughTheServiceIsPendingUntilThePeerSwitches() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.US_ASCII);
        left.setKey(new BfdAuthKey(7, BfdAuthType.KEYED_SHA1, secret));
        right.setKey(new BfdAuthKey(7, BfdAuthType.KEYED_SHA1, secret));
        long l = left.addSession(config(A, B).authentication(new BfdAuthentication(7, 3)).build())
                .id();
        long r = right.addSession(config(B, A).authentication(new BfdAuthentication(7, 3)).build())
                .id();
        runFor(100 * MS);
        BfdSession pending = left.setAuthentication(l, null, true);
        assertTrue(pending.isAuthenticationPending());
        assertEquals(null, pending.config().authentication());
        runFor(500 * MS);
        assertTrue(left.session(l).orElseThrow().isAuthenticationPending(), "peer still signs");
        // VPP's procedure: delayed on one end, at once on the other (both delayed would wait
        // for each other forever, as VPP documents).
        right.setAuthentication(r, null, false);
        runFor(500 * MS);
        assertFalse(left.session(l).orElseThrow().isAuthenticationPending());
        assertFalse(right.session(r).orElseThrow().isAuthenticationPending());
        assertEquals(BfdState.UP, left.session(l).orElseThrow().state());
        assertEquals(0, left.session(l).orElseThrow().counters().downTransitions());
    }

    @Test
    void delayedRolloverOfASessionThatIsDownIsPendingToo() {
        left.setKey(new BfdAuthKey(42, BfdAuthType.KEYED_SHA1, "t0ps3cret".getBytes()));
        long id = left.addSession(config(A, address("127.0.0.9"))
                .authentication(new BfdAuthentication(42, 3)).build()).id();
        runFor(10 * MS);
        assertTrue(left.setAuthentication(id, null, true).isAuthenticationPending());
    }

    @Test
    void manySessionsAtOnceAllOrNone() {
        List<BfdSessionConfig> configs = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            configs.add(config(A, address("127.1.0." + (i + 1))).build());
        }
        List<BfdSession> added = left.addSessions(configs);
        assertEquals(45, added.size());
        assertEquals(45, left.sessions().size());
        assertEquals(address("127.1.0.45"), added.get(44).config().path().peerAddress());

        // A path twice, or one already configured: refused, naming the entry, nothing added.
        List<BfdSessionConfig> twice = List.of(config(A, address("127.2.0.1")).build(),
                config(A, address("127.2.0.2")).build(), config(A, address("127.2.0.1")).build());
        BfdException duplicate = assertThrows(BfdException.class, () -> left.addSessions(twice));
        assertEquals("sessions[2].peerAddress", duplicate.field());
        BfdException existing = assertThrows(BfdException.class, () -> left.addSessions(
                List.of(config(A, address("127.2.0.1")).build(), configs.get(3))));
        assertEquals(BfdException.Kind.CONFLICT, existing.kind());
        assertEquals("sessions[1].peerAddress", existing.field());
        BfdException noKey = assertThrows(BfdException.class, () -> left.addSessions(
                List.of(config(A, address("127.2.0.1")).authentication(
                        new BfdAuthentication(4, 1)).build())));
        assertEquals("sessions[0].keyId", noKey.field());
        assertEquals(45, left.sessions().size());
    }
}
