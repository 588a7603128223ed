package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.impl.core.CoreHarness.PeerPacket;

/**
 * RFC 5880 §6.8.6 reception checks, RFC 5881 §5 GTSM and §6.3 demultiplexing: every bad packet
 * is counted under its own reason and changes no state.
 */
class ValidationTest {
    private final CoreHarness h = new CoreHarness();

    private ByteBuffer valid() {
        return new PeerPacket().state(BfdState.DOWN).encode();
    }

    private void assertDroppedAs(BfdDropReason reason, ByteBuffer packet) {
        long before = h.core.counters().drops(reason);
        h.core.receive(packet, h.meta, h.now);
        assertEquals(before + 1, h.core.counters().drops(reason), reason.name());
    }

    @Test
    void decodeRoundTripsEveryField() {
        ControlPacket p = new ControlPacket();
        PeerPacket peer = new PeerPacket().state(BfdState.INIT).poll().detectMultiplier(7)
                .intervals(0xFFFF_FFFFL, 123_456).echo(0x8000_0000L)
                .myDiscriminator(0xDEADBEEF).yourDiscriminator(0x01020304);
        peer.diagnostic = 5;
        assertNull(p.decode(peer.encode()));
        assertEquals(1, p.version);
        assertEquals(5, p.diagnostic);
        assertEquals(BfdState.INIT.code(), p.state);
        assertEquals(ControlPacket.FLAG_POLL, p.flags);
        assertEquals(7, p.detectMultiplier);
        assertEquals(24, p.length);
        assertEquals(0xDEADBEEF, p.myDiscriminator);
        assertEquals(0x01020304, p.yourDiscriminator);
        assertEquals(0xFFFF_FFFFL, p.desiredMinTxInterval);
        assertEquals(123_456, p.requiredMinRxInterval);
        assertEquals(0x8000_0000L, p.requiredMinEchoRxInterval);
    }

    @Test
    void everyMalformedPacketHasItsReason() {
        h.add(CoreHarness.config().build());
        ByteBuffer shortPacket = valid();
        shortPacket.limit(23);
        assertDroppedAs(BfdDropReason.TRUNCATED, shortPacket);
        ByteBuffer version = valid();
        version.put(0, (byte) (2 << 5));
        assertDroppedAs(BfdDropReason.BAD_VERSION, version);
        ByteBuffer tooShortLength = valid();
        tooShortLength.put(3, (byte) 20);
        assertDroppedAs(BfdDropReason.BAD_LENGTH, tooShortLength);
        ByteBuffer longerThanPayload = valid();
        longerThanPayload.put(3, (byte) 28);
        assertDroppedAs(BfdDropReason.TRUNCATED, longerThanPayload);
        ByteBuffer authBitNoRoom = valid();
        authBitNoRoom.put(1, (byte) (authBitNoRoom.get(1) | ControlPacket.FLAG_AUTH));
        assertDroppedAs(BfdDropReason.BAD_LENGTH, authBitNoRoom);
        // A bit, Length 26, Auth Len 3: the packet ends before the Auth Key ID that Auth Len
        // claims (found by fuzzing; the decoder read past the end).
        assertDroppedAs(BfdDropReason.BAD_LENGTH,
                hex("2044031a00000001000000000000000000000000000000000203"));
        assertDroppedAs(BfdDropReason.ZERO_DETECT_MULTIPLIER,
                new PeerPacket().state(BfdState.DOWN).detectMultiplier(0).encode());
        assertDroppedAs(BfdDropReason.MULTIPOINT,
                new PeerPacket().state(BfdState.DOWN).flags(ControlPacket.FLAG_MULTIPOINT).encode());
        assertDroppedAs(BfdDropReason.ZERO_MY_DISCRIMINATOR,
                new PeerPacket().state(BfdState.DOWN).myDiscriminator(0).encode());
        assertDroppedAs(BfdDropReason.ZERO_YOUR_DISCRIMINATOR,
                new PeerPacket().state(BfdState.UP).encode());
        assertDroppedAs(BfdDropReason.NO_SESSION,
                new PeerPacket().state(BfdState.UP).yourDiscriminator(12345).encode());
        CoreSession s = h.core.sessions().iterator().next();
        assertEquals(BfdState.DOWN, s.state());
        assertEquals(0, CoreHarness.snapshot(s).remoteDiscriminator());
        assertEquals(0, h.core.counters().rxPackets());
    }

    @Test
    void zeroYourDiscriminatorInUpIsCountedOnTheSessionItNames() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.receive(new PeerPacket().state(BfdState.UP));
        assertEquals(1, h.drops(s, BfdDropReason.ZERO_YOUR_DISCRIMINATOR));
    }

    @Test
    void singleHopNeedsTtl255() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null, 254, false);
        h.receive(new PeerPacket().state(BfdState.DOWN));
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null,
                org.onosbfd.api.spi.BfdRxMeta.TTL_UNKNOWN, false);
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(2, h.drops(s, BfdDropReason.TTL));
        assertEquals(BfdState.DOWN, s.state());
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null, 255, false);
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, s.state());
    }

    @Test
    void multihopAcceptsTheConfiguredMinimumTtl() {
        BfdSessionConfig config = CoreHarness.config().multihop(true).minReceivedTtl(64).build();
        CoreSession s = h.add(config);
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null, 63, true);
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(1, h.drops(s, BfdDropReason.TTL));
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null, 64, true);
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, s.state());
    }

    @Test
    void packetFromAnotherAddressOrPortKindIsTheWrongPath() {
        CoreSession s = h.add(CoreHarness.config().build());
        h.bringUp(s);
        h.meta.set(CoreHarness.address("192.0.2.99").getAddress(), CoreHarness.LOCAL.getAddress(),
                null, 255, false);
        h.receive(h.from(s, BfdState.DOWN));
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), null, 255, true);
        h.receive(h.from(s, BfdState.DOWN));
        // Our discriminator, but sent to another of our addresses; or with no destination known.
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.address("192.0.2.77").getAddress(),
                null, 255, false);
        h.receive(h.from(s, BfdState.DOWN));
        h.meta.set(CoreHarness.PEER.getAddress(), new byte[4], null, 255, false);
        h.receive(h.from(s, BfdState.DOWN));
        assertEquals(4, h.drops(s, BfdDropReason.WRONG_PATH));
        assertEquals(BfdState.UP, s.state());
    }

    @Test
    void interfaceBoundSessionsAreFoundByInterfaceAndOthersByAddressAlone() {
        CoreSession bound = h.add(CoreHarness.config().interfaceName("eth1").build());
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), "eth2", 255, false);
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(1, h.core.counters().drops(BfdDropReason.NO_SESSION));
        h.meta.set(CoreHarness.PEER.getAddress(), CoreHarness.LOCAL.getAddress(), "eth1", 255, false);
        h.receive(new PeerPacket().state(BfdState.DOWN));
        assertEquals(BfdState.INIT, bound.state());
    }

    private static ByteBuffer hex(String digits) {
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteBuffer.wrap(bytes);
    }
}
