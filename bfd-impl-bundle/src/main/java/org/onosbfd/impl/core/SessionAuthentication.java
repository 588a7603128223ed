package org.onosbfd.impl.core;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;

/**
 * One session's authentication (RFC 5880 §6.7): the method in use, its sequence numbers both
 * ways (bfd.XmitAuthSeq, bfd.RcvAuthSeq, bfd.AuthSeqKnown of §6.8.1), and VPP's delayed
 * rollover: a new method waits, while packets are still signed with the old one, until the
 * peer is seen using it.
 */
final class SessionAuthentication {
    /** The method packets are signed and checked with; null: no authentication. */
    private Authenticator current;
    /** The method to switch to once the peer is seen using it; null: none. */
    private Authenticator next;
    private boolean rolloverPending;
    long transmitSequence;
    long receiveSequence;
    boolean sequenceKnown;

    SessionAuthentication(BfdSessionConfig config, BfdAuthKey key, long initialSequence) {
        this.current = methodFor(config, key);
        this.transmitSequence = initialSequence;
    }

    private static Authenticator methodFor(BfdSessionConfig config, BfdAuthKey key) {
        return config.authentication() == null ? null
                : new Authenticator(key, config.authentication().bfdKeyId());
    }

    /** Continues the sequence numbers another controller instance left (a handover). */
    void adopt(SessionHandover from, int detectMultiplier) {
        // §6.7.3/§6.7.4: the peer accepts sequence numbers up to 3 × Detect Mult beyond the last
        // it saw. Start half way into that window: room both for packets the old master sent
        // after writing the record and for numbers spent while the new master resolves the
        // peer's address.
        transmitSequence = (from.transmitSequence + (3L * detectMultiplier + 1) / 2 - 1)
                & 0xFFFF_FFFFL;
        receiveSequence = from.receiveSequence;
        sequenceKnown = from.sequenceKnown;
    }

    /**
     * Applies a changed configuration: a new method at once (the peer's sequence is then
     * unknown), or, {@code delayed}, once the peer uses it.
     */
    void reconfigure(BfdSessionConfig old, BfdSessionConfig config, BfdAuthKey key,
                     boolean delayed) {
        if (Objects.equals(old.authentication(), config.authentication())
                && (key == null || current == null || current.type() == key.type())) {
            return;
        }
        if (delayed) {
            next = methodFor(config, key);
            rolloverPending = true;
        } else {
            current = methodFor(config, key);
            rolloverPending = false;
            next = null;
            sequenceKnown = false;
        }
    }

    /**
     * §6.7: checks a received packet's authentication; a packet that verifies under the
     * pending method completes the rollover.
     *
     * @return null when it verifies, else why not
     */
    BfdDropReason verify(ControlPacket packet) {
        BfdDropReason drop = verify(current, packet, sequenceKnown);
        if (drop != null && rolloverPending && verify(next, packet, false) == null) {
            // The peer uses the new method: switch to it for sending too (delayed rollover).
            current = next;
            next = null;
            rolloverPending = false;
            sequenceKnown = false;
            return null;
        }
        return drop;
    }

    /** The A bit must match the method, and the section verify under it. */
    private BfdDropReason verify(Authenticator method, ControlPacket packet,
                                 boolean sequenceIsKnown) {
        if (packet.hasAuth() != (method != null)) {
            return BfdDropReason.AUTH_MISMATCH;
        }
        return method == null ? null : method.verify(packet, sequenceIsKnown, receiveSequence);
    }

    /** Notes an accepted packet's sequence number (§6.7.3, §6.7.4). */
    void accepted(ControlPacket packet) {
        if (sequenced()) {
            receiveSequence = Authenticator.sequence(packet);
            sequenceKnown = true;
        }
    }

    boolean isOn() {
        return current != null;
    }

    /** True when the method carries sequence numbers (all but Simple Password). */
    boolean sequenced() {
        return current != null && current.type().hasSequenceNumber();
    }

    /** Sets the authentication fields of a session snapshot. */
    BfdSession.Builder describe(BfdSession.Builder snapshot) {
        boolean sequenced = sequenced();
        return snapshot.txSequence(sequenced ? transmitSequence : -1)
                .rxSequence(sequenced && sequenceKnown ? receiveSequence : -1)
                .authenticationPending(rolloverPending);
    }

    /** The authentication section's length; 0 without authentication. */
    int sectionLength() {
        return current != null ? current.sectionLength() : 0;
    }

    /** Signs the packet that starts at {@code start} in {@code out}; none without a method. */
    void sign(ByteBuffer out, int start) {
        if (current == null) {
            return;
        }
        if (current.type().hasSequenceNumber()) {
            // §6.7.3/§6.7.4: meticulous types must, keyed types may, advance it every packet;
            // advancing always keeps the peer's replay window moving.
            transmitSequence = (transmitSequence + 1) & 0xFFFF_FFFFL;
        }
        current.sign(out, start, transmitSequence);
    }
}
