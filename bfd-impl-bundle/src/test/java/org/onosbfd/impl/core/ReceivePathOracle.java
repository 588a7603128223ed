package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdState;

/**
 * The fuzzers' oracle for a session's receive path: a session brought Up with a peer that
 * signs with one authentication type (or none), fed inputs derived from what that peer would
 * send; each input must not throw, must not be accepted if it is a forgery (a digest session
 * accepts only the bytes the peer signed), and, if rejected, must change nothing.
 */
final class ReceivePathOracle {
    private static final byte[] SECRET = "s3cret-fuzzing".getBytes(StandardCharsets.US_ASCII);

    private final BfdAuthType type;
    private final long firstSequence;
    private CoreHarness h;
    private CoreSession session;
    private Authenticator peer;
    private long sequence;

    /** @param type the peer's authentication, null for none */
    ReceivePathOracle(BfdAuthType type, long firstSequence) {
        this.type = type;
        this.firstSequence = firstSequence;
        bringUp();
    }

    private void bringUp() {
        h = new CoreHarness(new Random(7));
        BfdAuthKey key = type == null ? null : new BfdAuthKey(10, type, SECRET);
        session = h.add(CoreHarness.config().authentication(type == null ? null
                : new BfdAuthentication(10, 7)).build(), key);
        peer = type == null ? null : new Authenticator(key, 7);
        sequence = firstSequence;
        h.receive(new CoreHarness.PeerPacket().state(BfdState.DOWN).yourDiscriminator(0)
                .auth(peer, next()));
        h.receive(h.from(session, BfdState.UP).auth(peer, next()));
        if (h.last().packet.poll()) {
            h.receive(h.from(session, BfdState.UP).fin().auth(peer, next()));
        }
        assertEquals(BfdState.UP, session.state());
    }

    private long next() {
        long s = sequence;
        sequence = (sequence + 1) & 0xFFFF_FFFFL;
        return s;
    }

    /** The packet the peer sends next, genuinely signed; the session is Up. */
    byte[] nextGenuine() {
        if (session.state() != BfdState.UP) {
            bringUp(); // an accepted input took it down: start anew
        }
        ByteBuffer packet = h.from(session, BfdState.UP).auth(peer, next()).encode();
        byte[] bytes = new byte[packet.remaining()];
        packet.get(bytes);
        return bytes;
    }

    /**
     * Feeds {@code input} (derived from {@code genuine}) with TTL {@code ttl} and checks the
     * oracle, failing the test on a violation.
     *
     * @return whether the session accepted it
     */
    boolean feed(byte[] input, byte[] genuine, int ttl) {
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null, ttl,
                false);
        BfdSession before = snapshot();
        h.core.receive(ByteBuffer.wrap(input), h.meta, h.now);
        BfdSession after = snapshot();
        String what = (type == null ? "none" : type.label()) + " input of " + input.length
                + " bytes";
        if (after.counters().rxPackets() > before.counters().rxPackets()) {
            if (type != null && type != BfdAuthType.SIMPLE_PASSWORD) {
                int length = genuine[3] & 0xFF;
                assertTrue(input.length >= length && java.util.Arrays.equals(input, 0, length,
                        genuine, 0, length), "forgery accepted: " + what);
            }
            return true;
        }
        assertEquals(before.state(), after.state(), what);
        assertEquals(before.remoteState(), after.remoteState(), what);
        assertEquals(before.remoteDiscriminator(), after.remoteDiscriminator(), what);
        assertEquals(before.remoteDesiredMinTxInterval(), after.remoteDesiredMinTxInterval(),
                what);
        assertEquals(before.rxSequence(), after.rxSequence(), what);
        return false;
    }

    private BfdSession snapshot() {
        return CoreHarness.snapshot(session);
    }
}
