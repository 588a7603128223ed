package org.onosbfd.impl.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What the standby repeats for a late event loop, and when; no thread, no socket. */
class StandbyTest {
    private static final long MS = 1_000_000L;
    private static final int UP = 3;
    private static final int DOWN = 1;

    /** An RFC 5880 §4.1 control packet: Desired Min TX 50 ms, optional auth section. */
    private static ByteBuffer packet(int state, int flags, int authType) {
        ByteBuffer packet = ByteBuffer.allocate(authType < 0 ? 24 : 48);
        packet.put(0, (byte) 0x20);
        packet.put(1, (byte) (state << 6 | flags | (authType < 0 ? 0 : 0x04)));
        packet.put(2, (byte) 3);
        packet.put(3, (byte) packet.capacity());
        packet.putInt(12, 50_000);
        if (authType >= 0) {
            packet.put(24, (byte) authType);
        }
        return packet;
    }

    @Test
    void repeatsOnlyPeriodicPacketsWithoutMeticulousAuthentication() {
        assertTrue(Standby.repeatable(packet(UP, 0, -1)));
        assertTrue(Standby.repeatable(packet(UP, 0x20, -1)), "a Poll is periodic");
        assertFalse(Standby.repeatable(packet(UP, 0x10, -1)), "a Final answers one Poll");
        assertTrue(Standby.repeatable(packet(UP, 0, 1)), "simple password");
        assertTrue(Standby.repeatable(packet(UP, 0, 2)), "keyed MD5");
        assertTrue(Standby.repeatable(packet(UP, 0, 4)), "keyed SHA1");
        assertFalse(Standby.repeatable(packet(UP, 0, 3)), "meticulous keyed MD5");
        assertFalse(Standby.repeatable(packet(UP, 0, 5)), "meticulous keyed SHA1");
        assertFalse(Standby.repeatable(ByteBuffer.allocate(10)), "too short to be a packet");
        assertTrue(Standby.reportsUp(packet(UP, 0, -1)));
        assertFalse(Standby.reportsUp(packet(DOWN, 0, -1)));
    }

    @Test
    void sendsOnlyWhileTheLoopIsLateForSessionsThatWereSending() {
        long dueBy = 1_000 * MS;
        long sent = dueBy - 20 * MS;
        long interval = 50 * MS;
        long never = Long.MIN_VALUE;
        assertFalse(Standby.due(dueBy + 9 * MS, dueBy, sent, interval, never),
                "the loop is less than 10 ms late");
        assertFalse(Standby.due(sent + 49 * MS, dueBy, sent, interval, never),
                "late, but an interval has not passed since the loop's packet");
        assertTrue(Standby.due(sent + 50 * MS, dueBy, sent, interval, never));
        assertFalse(Standby.due(sent + 60 * MS, dueBy, sent, interval, sent + 50 * MS),
                "sent by the standby 10 ms ago");
        assertTrue(Standby.due(sent + 100 * MS, dueBy, sent, interval, sent + 50 * MS),
                "and again an interval later, for as long as the loop is late");
        assertFalse(Standby.due(dueBy + 500 * MS, dueBy, dueBy - 101 * MS, interval, never),
                "silent for two intervals before the loop fell behind: Demand mode");
        assertFalse(Standby.due(dueBy + 500 * MS, dueBy, sent, 0, never), "nothing kept");
        assertFalse(Standby.due(dueBy + 1001 * MS, dueBy, dueBy - 1 * MS, 1000 * MS, never),
                "a loop a second late is hung: its peers must see it");
    }

    @Test
    void keepsTheLoopsPacketAndForgetsItWhenTheSessionLeavesUp() throws Exception {
        Standby standby = new Standby(() -> 0, () -> 0);
        Standby.Copy copy = standby.copy(new NativeRecords().take());
        BatchSender.Path path = BatchSender.path(InetAddress.getByName("127.0.0.1"), 49152,
                InetAddress.getByName("127.0.0.2"), 3784, 0);
        byte[] bytes = new byte[MessageBatch.SLOT];
        ByteBuffer up = packet(UP, 0, -1);
        int total = path.headers.write(bytes, up);

        assertSame(copy, copy.keeping(up, true));
        copy.keep(bytes, total, 7, path, 100 * MS);
        assertEquals(0, copy.repeatInterval(), "one packet tells no interval");
        copy.keep(bytes, total, 7, path, 140 * MS);
        assertEquals(50 * MS, copy.repeatInterval(), "never faster than the Desired Min TX");
        copy.keep(bytes, total, 7, path, 240 * MS);
        assertEquals(100 * MS, copy.repeatInterval(), "the rate the loop kept when slower");
        for (int i = 0; i < total; i++) {
            assertEquals(bytes[i], copy.packetByte(i), "byte " + i);
        }

        assertNull(copy.keeping(packet(UP, 0x10, -1), true), "a Final is sent, not kept");
        assertEquals(100 * MS, copy.repeatInterval(), "and the periodic one stays");
        assertNull(copy.keeping(packet(DOWN, 0, -1), false), "a change of state is the loop's");
        assertEquals(0, copy.repeatInterval(), "Down: nothing is repeated");
        standby.forget(copy);
    }
}
