package org.onosbfd.impl.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.onosbfd.api.BfdState;

/**
 * What another controller instance needs to carry a session on without its peer noticing:
 * the discriminators, the state, what is known of the peer and the authentication sequence
 * numbers (RFC 5880 §6.8.1). When ONOS moves a device's mastership, the new master adopts the
 * old master's session from this record; if it does so within the peer's detection time, the
 * peer sees nothing but packets from the same session. Encoded as one line of text for ONOS's
 * distributed store.
 */
public final class SessionHandover {
    final int localDiscriminator;
    final int remoteDiscriminator;
    final BfdState state;
    final BfdState remoteState;
    final long remoteMinRx;
    final long remoteMinTx;
    final long remoteMinEchoRx;
    final int remoteDetectMultiplier;
    final boolean remoteDemand;
    final long acknowledgedTx;
    final long acknowledgedRx;
    final long transmitSequence;
    final long receiveSequence;
    final boolean sequenceKnown;

    /** What a running session's parts hold now. */
    SessionHandover(int localDiscriminator, BfdState state, PeerState peer, PollSequence poll,
                    SessionAuthentication auth) {
        this(localDiscriminator, peer.discriminator, state, peer.state, peer.minRx, peer.minTx,
                peer.minEchoRx, peer.detectMultiplier, peer.demand, poll.acknowledgedTx,
                poll.acknowledgedRx, auth.transmitSequence, auth.receiveSequence,
                auth.sequenceKnown);
    }

    SessionHandover(int localDiscriminator, int remoteDiscriminator, BfdState state,
                    BfdState remoteState, long remoteMinRx, long remoteMinTx,
                    long remoteMinEchoRx, int remoteDetectMultiplier, boolean remoteDemand,
                    long acknowledgedTx, long acknowledgedRx, long transmitSequence,
                    long receiveSequence, boolean sequenceKnown) {
        this.localDiscriminator = localDiscriminator;
        this.remoteDiscriminator = remoteDiscriminator;
        this.state = state;
        this.remoteState = remoteState;
        this.remoteMinRx = remoteMinRx;
        this.remoteMinTx = remoteMinTx;
        this.remoteMinEchoRx = remoteMinEchoRx;
        this.remoteDetectMultiplier = remoteDetectMultiplier;
        this.remoteDemand = remoteDemand;
        this.acknowledgedTx = acknowledgedTx;
        this.acknowledgedRx = acknowledgedRx;
        this.transmitSequence = transmitSequence;
        this.receiveSequence = receiveSequence;
        this.sequenceKnown = sequenceKnown;
    }

    public long localDiscriminator() {
        return localDiscriminator & 0xFFFF_FFFFL;
    }

    public BfdState state() {
        return state;
    }

    /** "key=value" pairs separated by spaces, in a fixed order. */
    public String encode() {
        return "ld=" + Integer.toUnsignedString(localDiscriminator)
                + " rd=" + Integer.toUnsignedString(remoteDiscriminator)
                + " state=" + state.name() + " remoteState=" + remoteState.name()
                + " remoteMinRx=" + remoteMinRx + " remoteMinTx=" + remoteMinTx
                + " remoteMinEchoRx=" + remoteMinEchoRx + " remoteMult=" + remoteDetectMultiplier
                + " remoteDemand=" + remoteDemand + " ackTx=" + acknowledgedTx
                + " ackRx=" + acknowledgedRx + " txSeq=" + transmitSequence
                + " rxSeq=" + receiveSequence + " seqKnown=" + sequenceKnown;
    }

    /**
     * Decodes {@link #encode()}'s text.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static SessionHandover decode(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : text.trim().split(" +")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("handover record: '" + pair
                        + "' is not key=value");
            }
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        try {
            return new SessionHandover(Integer.parseUnsignedInt(field(fields, "ld")),
                    Integer.parseUnsignedInt(field(fields, "rd")),
                    BfdState.valueOf(field(fields, "state")),
                    BfdState.valueOf(field(fields, "remoteState")),
                    Long.parseLong(field(fields, "remoteMinRx")),
                    Long.parseLong(field(fields, "remoteMinTx")),
                    Long.parseLong(field(fields, "remoteMinEchoRx")),
                    Integer.parseInt(field(fields, "remoteMult")),
                    Boolean.parseBoolean(field(fields, "remoteDemand")),
                    Long.parseLong(field(fields, "ackTx")), Long.parseLong(field(fields, "ackRx")),
                    Long.parseLong(field(fields, "txSeq")), Long.parseLong(field(fields, "rxSeq")),
                    Boolean.parseBoolean(field(fields, "seqKnown")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("handover record: " + e.getMessage(), e);
        }
    }

    private static String field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("handover record: no " + name);
        }
        return value;
    }
}
