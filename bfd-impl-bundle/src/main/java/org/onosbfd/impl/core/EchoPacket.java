package org.onosbfd.impl.core;

import java.nio.ByteBuffer;

/**
 * Our echo packets (RFC 5880 §6.4: "the payload is a local matter"). The peer's forwarding plane
 * loops them back unread, so they only need to tell us which session sent them:
 * a magic word, the sender's local discriminator and a sequence number.
 */
final class EchoPacket {
    static final int LENGTH = 12;
    /** "BFDe": tells our echo packets from anything else arriving on port 3785. */
    private static final int MAGIC = 0x42464465;

    private EchoPacket() {
    }

    static void encode(ByteBuffer out, int localDiscriminator, int sequence) {
        out.putInt(MAGIC).putInt(localDiscriminator).putInt(sequence);
    }

    /** The discriminator of the session that sent this echo packet, or 0 if it is not ours. */
    static int discriminator(ByteBuffer in) {
        int start = in.position();
        if (in.limit() - start < LENGTH || in.getInt(start) != MAGIC) {
            return 0;
        }
        return in.getInt(start + 4);
    }
}
