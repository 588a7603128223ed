package org.onosbfd.impl.core;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdDropReason;

/**
 * Signs and verifies one session's authentication section (RFC 5880 §4.2 - §4.4, §6.7).
 *
 * <p>For the digest types the digest is computed over the whole packet with the digest field
 * holding the key, zero-padded to 16 (MD5) or 20 (SHA-1) bytes (§6.7.3, §6.7.4). The digest
 * field is last in the packet, so the key can be fed to the hash after the bytes before it and
 * a received packet is never modified. The MessageDigest and scratch arrays are the session's
 * own: nothing is allocated per packet.
 */
final class Authenticator {
    /** Offset of the sequence number and of the digest within the auth section. */
    private static final int SEQUENCE_OFFSET = 4;
    private static final int DIGEST_OFFSET = 8;

    private final BfdAuthType type;
    private final int bfdKeyId;
    /** The password (simple) or the key zero-padded to the digest length. */
    private final byte[] secret;
    private final MessageDigest digest;
    private final byte[] computed;
    private final byte[] received;
    /** The packet bytes to hash, for buffers without an accessible array (direct buffers). */
    private final byte[] scratch = new byte[ControlPacket.MAX_LENGTH];

    Authenticator(BfdAuthKey key, int bfdKeyId) {
        this.type = key.type();
        this.bfdKeyId = bfdKeyId;
        byte[] material = key.secret();
        if (type == BfdAuthType.SIMPLE_PASSWORD) {
            this.secret = material;
            this.digest = null;
        } else {
            this.secret = Arrays.copyOf(material, type.maxSecretLength());
            this.digest = newDigest(type);
        }
        this.computed = new byte[type.maxSecretLength()];
        this.received = new byte[type.maxSecretLength()];
    }

    private static MessageDigest newDigest(BfdAuthType type) {
        String algorithm = type == BfdAuthType.KEYED_MD5 || type == BfdAuthType.METICULOUS_KEYED_MD5
                ? "MD5" : "SHA-1";
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }

    BfdAuthType type() {
        return type;
    }

    /** The Auth Len this authenticator sends. */
    int sectionLength() {
        return type.sectionLength(secret.length);
    }

    /**
     * Appends the auth section at the buffer's position to the packet that starts at
     * {@code packetStart} (its header already written with the right Length), and signs it.
     */
    void sign(ByteBuffer out, int packetStart, long sequence) {
        int sectionStart = out.position();
        out.put((byte) type.code());
        out.put((byte) sectionLength());
        out.put((byte) bfdKeyId);
        if (type == BfdAuthType.SIMPLE_PASSWORD) {
            out.put(secret);
            return;
        }
        out.put((byte) 0);
        out.putInt((int) sequence);
        int digestStart = sectionStart + DIGEST_OFFSET;
        computeDigest(out, packetStart, digestStart);
        out.put(computed, 0, secret.length);
    }

    /**
     * Verifies the auth section of a decoded packet whose A bit is set (§6.7.2 - §6.7.4).
     *
     * @param sequenceKnown bfd.AuthSeqKnown
     * @param lastSequence bfd.RcvAuthSeq
     * @return null when the packet is authentic and fresh, else why it must be discarded
     */
    BfdDropReason verify(ControlPacket packet, boolean sequenceKnown, long lastSequence) {
        if (packet.authType != type.code()) {
            return BfdDropReason.AUTH_BAD_SECTION;
        }
        if (type == BfdAuthType.SIMPLE_PASSWORD) {
            // §4.2: Auth Len = 3 + password length, password 1-16 bytes.
            if (packet.authLength < 4 || packet.authLength > 19) {
                return BfdDropReason.AUTH_BAD_SECTION;
            }
        } else if (packet.authLength != type.sectionLength(0)) {
            return BfdDropReason.AUTH_BAD_SECTION;
        }
        if (packet.authKeyId != bfdKeyId) {
            return BfdDropReason.AUTH_BAD_KEY_ID;
        }
        ByteBuffer in = packet.buffer;
        int sectionStart = packet.offset + ControlPacket.HEADER_LENGTH;
        if (type == BfdAuthType.SIMPLE_PASSWORD) {
            int passwordLength = packet.authLength - 3;
            copy(in, sectionStart + 3, received, passwordLength);
            return passwordLength == secret.length && sameBytes(received, secret, passwordLength)
                    ? null : BfdDropReason.AUTH_BAD_DIGEST;
        }
        long sequence = sequence(packet);
        if (sequenceKnown && !inReplayWindow(lastSequence, sequence, packet.detectMultiplier,
                type.isMeticulous())) {
            return BfdDropReason.AUTH_REPLAY;
        }
        int digestStart = sectionStart + DIGEST_OFFSET;
        copy(in, digestStart, received, secret.length);
        computeDigest(in, packet.offset, digestStart);
        return sameBytes(computed, received, secret.length) ? null : BfdDropReason.AUTH_BAD_DIGEST;
    }

    /** The sequence number of a verified packet (digest types only). */
    static long sequence(ControlPacket packet) {
        return packet.buffer.getInt(packet.offset + ControlPacket.HEADER_LENGTH + SEQUENCE_OFFSET)
                & 0xFFFF_FFFFL;
    }

    /**
     * §6.7.3 / §6.7.4: with the sequence known, a keyed packet's number must lie in
     * [last, last + 3 × Detect Mult], a meticulous one's in [last + 1, last + 3 × Detect Mult],
     * in circular unsigned 32-bit space.
     */
    static boolean inReplayWindow(long last, long sequence, int detectMultiplier,
                                  boolean meticulous) {
        long ahead = (sequence - last) & 0xFFFF_FFFFL;
        return ahead <= 3L * detectMultiplier && (!meticulous || ahead >= 1);
    }

    /** H(packet bytes before the digest field || key padded), into {@link #computed}. */
    private void computeDigest(ByteBuffer packet, int packetStart, int digestStart) {
        int length = digestStart - packetStart;
        if (packet.hasArray()) {
            digest.update(packet.array(), packet.arrayOffset() + packetStart, length);
        } else {
            copy(packet, packetStart, scratch, length);
            digest.update(scratch, 0, length);
        }
        digest.update(secret);
        try {
            digest.digest(computed, 0, computed.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("digest buffer sized for " + type, e);
        }
    }

    /** Absolute bulk get that Java 11 lacks. */
    private static void copy(ByteBuffer from, int index, byte[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = from.get(index + i);
        }
    }

    /** Compares in time independent of where the first difference is (no timing oracle). */
    private static boolean sameBytes(byte[] a, byte[] b, int length) {
        int difference = 0;
        for (int i = 0; i < length; i++) {
            difference |= a[i] ^ b[i];
        }
        return difference == 0;
    }
}
