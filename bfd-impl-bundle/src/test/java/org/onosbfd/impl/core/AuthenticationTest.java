package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onosbfd.impl.core.CoreHarness.MS;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.PeerPacket;

/** RFC 5880 §6.7: every authentication type, key ids, digests and replay protection. */
class AuthenticationTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);
    private final CoreHarness h = new CoreHarness();

    private static BfdAuthKey key(BfdAuthType type, byte[] secret) {
        return new BfdAuthKey(10, type, secret);
    }

    private CoreSession session(BfdAuthType type) {
        return h.add(CoreHarness.config().authentication(new BfdAuthentication(10, 7)).build(),
                key(type, SECRET));
    }

    private static Authenticator peer(BfdAuthType type) {
        return new Authenticator(key(type, SECRET), 7);
    }

    private BfdSession snapshot(CoreSession s) {
        return CoreHarness.snapshot(s);
    }

    @ParameterizedTest
    @EnumSource(BfdAuthType.class)
    void comesUpWithAPeerThatSignsAlikeAndSignsItsOwnPackets(BfdAuthType type) {
        CoreSession s = session(type);
        Authenticator peer = peer(type);
        // What we send verifies with the peer's copy of the key.
        ControlPacket first = new ControlPacket();
        assertEquals(null, first.decode(ByteBuffer.wrap(h.last().bytes)));
        assertTrue(first.hasAuth());
        assertEquals(type.code(), first.authType);
        assertEquals(7, first.authKeyId);
        assertEquals(null, peer.verify(first, false, 0));
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 100));
        h.receive(h.from(s, BfdState.UP).auth(peer, 101));
        assertEquals(BfdState.UP, s.state());
        if (type.hasSequenceNumber()) {
            assertEquals(101, snapshot(s).rxSequence());
        }
    }

    @ParameterizedTest
    @EnumSource(value = BfdAuthType.class, names = {"METICULOUS_KEYED_MD5", "METICULOUS_KEYED_SHA1"})
    void meticulousSequenceMustIncreaseOnEveryPacket(BfdAuthType type) {
        CoreSession s = session(type);
        Authenticator peer = peer(type);
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 100));
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 100));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_REPLAY), "a replayed packet");
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 99));
        assertEquals(2, h.drops(s, BfdDropReason.AUTH_REPLAY), "an older packet");
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 110));
        assertEquals(3, h.drops(s, BfdDropReason.AUTH_REPLAY), "beyond 3 × Detect Mult ahead");
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 109));
        assertEquals(3, h.drops(s, BfdDropReason.AUTH_REPLAY), "exactly 3 × Detect Mult ahead");
        // Our own packets carry strictly increasing numbers.
        h.runFor(5000 * MS);
        assertTrue(h.sent.size() > 5);
        long previous = -1;
        for (CoreHarness.Sent sent : h.sent) {
            ControlPacket p = new ControlPacket();
            p.decode(ByteBuffer.wrap(sent.bytes));
            long seq = Authenticator.sequence(p);
            assertTrue(previous < 0 || seq == ((previous + 1) & 0xFFFF_FFFFL));
            previous = seq;
        }
    }

    @ParameterizedTest
    @EnumSource(value = BfdAuthType.class, names = {"KEYED_MD5", "KEYED_SHA1"})
    void keyedSequenceMayRepeatButNotGoBackOrJumpTooFar(BfdAuthType type) {
        CoreSession s = session(type);
        Authenticator peer = peer(type);
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 0xFFFF_FFFEL));
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 0xFFFF_FFFEL));
        assertEquals(0, h.drops(s, BfdDropReason.AUTH_REPLAY), "keyed: a repeat is fine");
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 3));
        assertEquals(0, h.drops(s, BfdDropReason.AUTH_REPLAY), "wraps around 2^32");
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 2));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_REPLAY));
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 13));
        assertEquals(2, h.drops(s, BfdDropReason.AUTH_REPLAY));
    }

    @Test
    void sequenceIsForgottenAfterTwiceTheDetectionTimeWithoutPackets() {
        CoreSession s = session(BfdAuthType.METICULOUS_KEYED_SHA1);
        Authenticator peer = peer(BfdAuthType.METICULOUS_KEYED_SHA1);
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 5000));
        h.runFor(299 * MS);
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 17));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_REPLAY), "still known at 2 × 150 ms - 1");
        h.runFor(301 * MS);
        assertEquals(-1, snapshot(s).rxSequence(), "bfd.AuthSeqKnown reset");
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer, 17));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_REPLAY), "a restarted peer is accepted");
        assertEquals(17, snapshot(s).rxSequence());
    }

    @Test
    void wrongKeyIdWrongSecretAndWrongTypeAreDroppedAndChangeNothing() {
        CoreSession s = session(BfdAuthType.KEYED_SHA1);
        h.receive(new PeerPacket().state(BfdState.DOWN)
                .auth(new Authenticator(key(BfdAuthType.KEYED_SHA1, SECRET), 8), 1));
        h.receive(new PeerPacket().state(BfdState.DOWN)
                .auth(new Authenticator(key(BfdAuthType.KEYED_SHA1, "secret".getBytes()), 7), 1));
        h.receive(new PeerPacket().state(BfdState.DOWN)
                .auth(new Authenticator(key(BfdAuthType.KEYED_MD5, SECRET), 7), 1));
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_BAD_KEY_ID));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_BAD_DIGEST));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_BAD_SECTION));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_MISMATCH), "no A bit");
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(0, snapshot(s).remoteDiscriminator());
        assertEquals(-1, snapshot(s).rxSequence());
    }

    @Test
    void simplePasswordMustMatchInLengthAndContent() {
        CoreSession s = session(BfdAuthType.SIMPLE_PASSWORD);
        h.receive(new PeerPacket().state(BfdState.DOWN)
                .auth(new Authenticator(key(BfdAuthType.SIMPLE_PASSWORD, "s3cre".getBytes()), 7), 0));
        h.receive(new PeerPacket().state(BfdState.DOWN)
                .auth(new Authenticator(key(BfdAuthType.SIMPLE_PASSWORD, "s3cret!".getBytes()), 7), 0));
        h.receive(new PeerPacket().state(BfdState.DOWN)
                .auth(new Authenticator(key(BfdAuthType.SIMPLE_PASSWORD, "S3cret".getBytes()), 7), 0));
        assertEquals(3, h.drops(s, BfdDropReason.AUTH_BAD_DIGEST));
        assertEquals(BfdState.DOWN, s.state());
    }

    @Test
    void authenticatedPacketToAnUnauthenticatedSessionIsDropped() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(peer(BfdAuthType.KEYED_MD5), 1));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_MISMATCH));
        assertEquals(BfdState.DOWN, s.state());
    }

    @Test
    void truncatedAndOversizedAuthSectionsAreDropped() {
        CoreSession s = session(BfdAuthType.KEYED_SHA1);
        ByteBuffer good = new PeerPacket().state(BfdState.DOWN).auth(peer(BfdAuthType.KEYED_SHA1), 1)
                .encode();
        // Cut the packet short of its Length: truncated.
        ByteBuffer truncated = good.duplicate();
        truncated.limit(good.limit() - 4);
        h.core.receive(truncated, h.meta, h.now);
        assertEquals(1, h.core.counters().drops(BfdDropReason.TRUNCATED));
        // Auth Len larger than the packet's Length says: bad length.
        ByteBuffer oversized = ByteBuffer.allocate(good.remaining());
        oversized.put(good.duplicate()).flip();
        oversized.put(ControlPacket.HEADER_LENGTH + 1, (byte) 40);
        h.core.receive(oversized, h.meta, h.now);
        assertEquals(1, h.core.counters().drops(BfdDropReason.BAD_LENGTH));
        // Length and Auth Len agree but describe a section too short for SHA-1.
        ByteBuffer shortSection = ByteBuffer.allocate(good.remaining());
        shortSection.put(good.duplicate()).flip();
        shortSection.put(3, (byte) 44).put(ControlPacket.HEADER_LENGTH + 1, (byte) 20);
        shortSection.limit(44);
        h.core.receive(shortSection, h.meta, h.now);
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_BAD_SECTION));
        assertEquals(BfdState.DOWN, s.state());
    }

    @Test
    void changingTheKeyTakesEffectAndForgetsTheSequence() {
        CoreSession s = session(BfdAuthType.METICULOUS_KEYED_MD5);
        Authenticator oldPeer = peer(BfdAuthType.METICULOUS_KEYED_MD5);
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(oldPeer, 500));
        BfdAuthKey next = new BfdAuthKey(11, BfdAuthType.KEYED_SHA1, "n3w".getBytes());
        h.core.reconfigure(s, s.config().toBuilder().authentication(new BfdAuthentication(11, 3))
                .build(), next, h.now);
        h.receive(new PeerPacket().state(BfdState.DOWN).auth(oldPeer, 501));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_BAD_SECTION));
        h.receive(h.from(s, BfdState.INIT).auth(new Authenticator(next, 3), 1));
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void delayedRolloverKeepsTheOldMethodUntilThePeerUsesTheNewOne() {
        CoreSession s = session(BfdAuthType.KEYED_SHA1);
        Authenticator oldPeer = peer(BfdAuthType.KEYED_SHA1);
        h.bringUpWith(s, oldPeer);
        BfdAuthKey next = new BfdAuthKey(11, BfdAuthType.METICULOUS_KEYED_SHA1, "n3w".getBytes());
        Authenticator newPeer = new Authenticator(next, 4);
        h.core.reconfigure(s, s.config().toBuilder().authentication(new BfdAuthentication(11, 4))
                .build(), next, true, h.now);
        assertTrue(snapshot(s).isAuthenticationPending());
        h.runFor(40 * MS);
        ControlPacket sent = new ControlPacket();
        sent.decode(ByteBuffer.wrap(h.last().bytes));
        assertEquals(BfdAuthType.KEYED_SHA1.code(), sent.authType, "still the old method");
        // The peer, not yet rekeyed, is still accepted.
        h.receive(h.from(s, BfdState.UP).auth(oldPeer, 4));
        assertEquals(0, snapshot(s).counters().droppedPackets());
        // The peer switches: so do we, without a flap.
        h.receive(h.from(s, BfdState.UP).auth(newPeer, 1));
        assertEquals(BfdState.UP, s.state());
        assertFalse(snapshot(s).isAuthenticationPending());
        h.runFor(60 * MS);
        sent.decode(ByteBuffer.wrap(h.last().bytes));
        assertEquals(BfdAuthType.METICULOUS_KEYED_SHA1.code(), sent.authType);
        assertEquals(4, sent.authKeyId);
        // From now on the old method is refused.
        h.receive(h.from(s, BfdState.UP).auth(oldPeer, 5));
        assertEquals(1, h.drops(s, BfdDropReason.AUTH_BAD_SECTION));
        assertEquals(0, snapshot(s).counters().downTransitions());
    }

    @Test
    void delayedDeactivationSwitchesToNoneWhenThePeerStopsSigning() {
        CoreSession s = session(BfdAuthType.KEYED_MD5);
        Authenticator peer = peer(BfdAuthType.KEYED_MD5);
        h.bringUpWith(s, peer);
        h.core.reconfigure(s, s.config().toBuilder().authentication(null).build(), null, true,
                h.now);
        h.receive(h.from(s, BfdState.UP).auth(peer, 50));
        assertTrue(snapshot(s).isAuthenticationPending());
        h.receive(h.from(s, BfdState.UP));
        assertFalse(snapshot(s).isAuthenticationPending());
        h.runFor(60 * MS);
        assertFalse(h.last().packet.hasAuth());
        assertEquals(BfdState.UP, s.state());
    }
}
