package org.onosbfd.impl.core;

import java.nio.ByteBuffer;
import org.onosbfd.api.BfdDropReason;

/**
 * A BFD Control packet (RFC 5880 §4.1), decoded from and encoded into byte buffers. One instance
 * is reused for every packet so the hot path allocates nothing: {@link #decode} fills the fields
 * and remembers where the packet and its authentication section are.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
 * |                       My Discriminator                        |
 * |                      Your Discriminator                       |
 * |                    Desired Min TX Interval                    |
 * |                   Required Min RX Interval                    |
 * |                 Required Min Echo RX Interval                 |
 * |   Auth Type   |   Auth Len    |    Authentication Data...     |
 * </pre>
 */
final class ControlPacket {
    static final int VERSION = 1;
    /** The mandatory section (§4.1). */
    static final int HEADER_LENGTH = 24;
    /** Large enough for the mandatory section and any authentication section (SHA-1: 28). */
    static final int MAX_LENGTH = HEADER_LENGTH + 28;

    static final int FLAG_POLL = 0x20;
    static final int FLAG_FINAL = 0x10;
    static final int FLAG_AUTH = 0x04;
    static final int FLAG_DEMAND = 0x02;
    static final int FLAG_MULTIPOINT = 0x01;

    int version;
    int diagnostic;
    int state;
    int flags;
    int detectMultiplier;
    int length;
    /** Discriminators as unsigned 32-bit values held in ints. */
    int myDiscriminator;
    int yourDiscriminator;
    long desiredMinTxInterval;
    long requiredMinRxInterval;
    long requiredMinEchoRxInterval;

    /** Authentication section (§4.2 - §4.4); meaningful when {@link #hasAuth()}. */
    int authType;
    int authLength;
    int authKeyId;

    /** Where the decoded packet starts in its buffer, for digest computation. */
    ByteBuffer buffer;
    int offset;

    boolean poll() {
        return (flags & FLAG_POLL) != 0;
    }

    boolean fin() {
        return (flags & FLAG_FINAL) != 0;
    }

    boolean hasAuth() {
        return (flags & FLAG_AUTH) != 0;
    }

    boolean demand() {
        return (flags & FLAG_DEMAND) != 0;
    }

    /**
     * Decodes the packet between the buffer's position and limit and applies the checks of
     * RFC 5880 §6.8.6 that need no session: version, lengths, Detect Mult, Multipoint, My
     * Discriminator. The buffer's position is not moved.
     *
     * @return null when the packet may be processed further, else why it must be discarded
     */
    BfdDropReason decode(ByteBuffer in) {
        int start = in.position();
        int available = in.limit() - start;
        if (available < HEADER_LENGTH) {
            return BfdDropReason.TRUNCATED;
        }
        int b0 = in.get(start) & 0xFF;
        version = b0 >>> 5;
        diagnostic = b0 & 0x1F;
        int b1 = in.get(start + 1) & 0xFF;
        state = b1 >>> 6;
        flags = b1 & 0x3F;
        detectMultiplier = in.get(start + 2) & 0xFF;
        length = in.get(start + 3) & 0xFF;
        myDiscriminator = in.getInt(start + 4);
        yourDiscriminator = in.getInt(start + 8);
        desiredMinTxInterval = in.getInt(start + 12) & 0xFFFF_FFFFL;
        requiredMinRxInterval = in.getInt(start + 16) & 0xFFFF_FFFFL;
        requiredMinEchoRxInterval = in.getInt(start + 20) & 0xFFFF_FFFFL;
        buffer = in;
        offset = start;

        if (version != VERSION) {
            return BfdDropReason.BAD_VERSION;
        }
        boolean auth = hasAuth();
        if (length < (auth ? HEADER_LENGTH + 2 : HEADER_LENGTH)) {
            return BfdDropReason.BAD_LENGTH;
        }
        if (length > available) {
            return BfdDropReason.TRUNCATED;
        }
        if (auth) {
            authType = in.get(start + HEADER_LENGTH) & 0xFF;
            authLength = in.get(start + HEADER_LENGTH + 1) & 0xFF;
            // §6.8.6: the Auth Len must account for the rest of the packet exactly. Checked
            // before anything past the Auth Len byte is read: the packet may end there.
            if (HEADER_LENGTH + authLength != length) {
                authKeyId = -1;
                return BfdDropReason.BAD_LENGTH;
            }
            authKeyId = authLength >= 3 ? in.get(start + HEADER_LENGTH + 2) & 0xFF : -1;
        } else {
            authType = 0;
            authLength = 0;
            authKeyId = -1;
        }
        if (detectMultiplier == 0) {
            return BfdDropReason.ZERO_DETECT_MULTIPLIER;
        }
        if ((flags & FLAG_MULTIPOINT) != 0) {
            return BfdDropReason.MULTIPOINT;
        }
        if (myDiscriminator == 0) {
            return BfdDropReason.ZERO_MY_DISCRIMINATOR;
        }
        return null;
    }

    /**
     * Writes the mandatory section at the buffer's position with Length = 24 + authLength (the
     * authenticator fills the rest); the position advances by 24.
     */
    static void encodeHeader(ByteBuffer out, int diagnostic, int state, int flags,
                             int detectMultiplier, int authLength, int myDiscriminator,
                             int yourDiscriminator, long desiredMinTx, long requiredMinRx,
                             long requiredMinEchoRx) {
        out.put((byte) (VERSION << 5 | (diagnostic & 0x1F)));
        out.put((byte) (state << 6 | (flags & 0x3F)));
        out.put((byte) detectMultiplier);
        out.put((byte) (HEADER_LENGTH + authLength));
        out.putInt(myDiscriminator);
        out.putInt(yourDiscriminator);
        out.putInt((int) desiredMinTx);
        out.putInt((int) requiredMinRx);
        out.putInt((int) requiredMinEchoRx);
    }
}
