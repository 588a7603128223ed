package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.onosbfd.impl.core.CoreHarness.MS;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdDampening;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.PeerPacket;

/** Flap dampening (BfdDampening) on the fake clock: hold-downs, back-off, forgiveness. */
class DampeningTest {
    private static final long SECOND = 1_000 * MS;
    /** 2 s after a first flap, doubling to at most 8 s. */
    private static final BfdDampening DAMPENING = new BfdDampening(2_000_000, 8_000_000);

    private final CoreHarness h = new CoreHarness();

    /** The peer goes silent until the session's detection expires: one flap. */
    private void flap(CoreSession s) {
        h.runFor(200 * MS);
        assertEquals(BfdState.DOWN, s.state(), "detection expired");
    }

    /** The peer, Down, keeps talking every 50 ms for {@code nanos}; the session's state after. */
    private BfdState peerTalksFor(CoreSession s, long nanos) {
        long end = h.now + nanos;
        while (h.now < end) {
            h.receive(new PeerPacket().state(s.state() == BfdState.DOWN ? BfdState.DOWN
                    : BfdState.UP).yourDiscriminator(s.localDiscriminator));
            h.runFor(50 * MS);
        }
        return s.state();
    }

    /** How long after a flap the session first comes Up again with the peer talking. */
    private long upAgainAfter(CoreSession s) {
        long start = h.now;
        while (s.state() != BfdState.UP) {
            h.receive(new PeerPacket().state(s.state() == BfdState.DOWN ? BfdState.DOWN
                    : BfdState.INIT).yourDiscriminator(s.localDiscriminator));
            h.runFor(10 * MS);
        }
        return h.now - start;
    }

    @Test
    void eachFlapIsHeldDownTwiceAsLongUpToTheMaximum() {
        CoreSession s = h.add(CoreHarness.config().dampening(DAMPENING).build());
        h.bringUp(s);
        long[] expected = {2, 4, 8, 8};
        for (long seconds : expected) {
            flap(s);
            assertEquals(BfdState.DOWN, peerTalksFor(s, (seconds * 1000 - 100) * MS),
                    "held Down although the peer talks");
            assertEquals(BfdState.DOWN.code(), h.last().packet.state, "and says so to the peer");
            long after = upAgainAfter(s);
            assertEquals(true, after < 200 * MS, "Up again once the hold ends: " + after / MS);
        }
    }

    @Test
    void aSessionUpForTheMaximumIsForgiven() {
        CoreSession s = h.add(CoreHarness.config().dampening(DAMPENING).build());
        h.bringUp(s);
        flap(s);
        peerTalksFor(s, 1_900 * MS);
        upAgainAfter(s);
        flap(s); // the second flap: 4 s
        peerTalksFor(s, 3_900 * MS);
        upAgainAfter(s);
        assertEquals(BfdState.UP, peerTalksFor(s, 8 * SECOND), "Up for the maximum");
        flap(s);
        assertEquals(BfdState.DOWN, peerTalksFor(s, 1_900 * MS), "held");
        long after = upAgainAfter(s);
        assertEquals(true, after < 200 * MS, "held 2 s again, not 8: " + after / MS);
    }

    @Test
    void adminDownOnEitherSideIsNoFlap() {
        CoreSession s = h.add(CoreHarness.config().dampening(DAMPENING).build());
        h.bringUp(s);
        h.receive(new PeerPacket().state(BfdState.ADMIN_DOWN)
                .yourDiscriminator(s.localDiscriminator));
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(true, upAgainAfter(s) < 100 * MS, "the peer's AdminDown: not held");
        h.core.reconfigure(s, s.config().toBuilder().adminDown(true).build(), null, h.now);
        h.core.reconfigure(s, s.config().toBuilder().adminDown(false).build(), null, h.now);
        assertEquals(true, upAgainAfter(s) < 100 * MS, "our AdminDown: not held");
        assertNull(CoreHarness.snapshot(s).heldDownUntil(), "never held");
    }

    @Test
    void withoutDampeningOrWhenItIsTurnedOffASessionComesStraightBack() {
        CoreSession plain = h.add(CoreHarness.config().build());
        h.bringUp(plain);
        flap(plain);
        assertEquals(true, upAgainAfter(plain) < 100 * MS);

        CoreHarness other = new CoreHarness();
        CoreSession s = other.add(CoreHarness.config().dampening(DAMPENING).build());
        other.bringUp(s);
        other.runFor(200 * MS);
        Instant until = s.snapshotBuilder(t -> Instant.ofEpochSecond(0, t)).build()
                .heldDownUntil();
        long untilNanos = until.getEpochSecond() * SECOND + until.getNano();
        assertEquals(true, untilNanos > other.now + 1_800 * MS
                && untilNanos <= other.now + 2 * SECOND, "the hold's end is shown");
        other.core.reconfigure(s, s.config().toBuilder().dampening(null).build(), null,
                other.now);
        other.receive(new PeerPacket().state(BfdState.DOWN).yourDiscriminator(
                s.localDiscriminator));
        assertEquals(BfdState.INIT, s.state(), "turned off: the hold is gone");
    }
}
