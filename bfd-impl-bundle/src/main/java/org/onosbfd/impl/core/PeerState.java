package org.onosbfd.impl.core;

import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdState;

/**
 * What the peer's packets told us: the remote variables of RFC 5880 §6.8.1 and the values
 * §6.8.6 keeps from each accepted packet, forgotten when the peer goes silent (§6.8.4).
 */
final class PeerState {
    /** bfd.RemoteDiscr: 0 until the peer is known. */
    int discriminator;
    /** bfd.RemoteSessionState. */
    BfdState state = BfdState.DOWN;
    int diagnostic;
    /** bfd.RemoteMinRxInterval, initially 1 µs. */
    long minRx = 1;
    /** The last received Desired Min TX Interval; 0 until a packet arrives. */
    long minTx;
    long minEchoRx;
    int detectMultiplier;
    /** bfd.RemoteDemandMode. */
    boolean demand;

    /** §6.8.6: the values of an accepted packet become the peer's. */
    void learn(ControlPacket packet) {
        discriminator = packet.myDiscriminator;
        state = BfdState.ofCode(packet.state);
        diagnostic = packet.diagnostic;
        demand = packet.demand();
        minRx = packet.requiredMinRxInterval;
        minTx = packet.desiredMinTxInterval;
        minEchoRx = packet.requiredMinEchoRxInterval;
        detectMultiplier = packet.detectMultiplier;
    }

    /** §6.8.1, §6.8.4: the peer is gone; its last diagnostic stays on show. */
    void forget() {
        discriminator = 0;
        state = BfdState.DOWN;
        minRx = 1;
        minTx = 0;
        minEchoRx = 0;
        detectMultiplier = 0;
        demand = false;
    }

    /** Takes over what another controller instance knew of the peer. */
    void adopt(SessionHandover from) {
        discriminator = from.remoteDiscriminator;
        state = from.remoteState;
        minRx = from.remoteMinRx;
        minTx = from.remoteMinTx;
        minEchoRx = from.remoteMinEchoRx;
        detectMultiplier = from.remoteDetectMultiplier;
        demand = from.remoteDemand;
    }

    /** Sets the peer's fields of a session snapshot. */
    BfdSession.Builder describe(BfdSession.Builder snapshot) {
        return snapshot.remoteState(state)
                .remoteDiagnostic(BfdDiagnostic.ofCode(diagnostic))
                .remoteDiscriminator(discriminator & 0xFFFF_FFFFL)
                .remoteDesiredMinTxInterval(minTx)
                .remoteRequiredMinRxInterval(minRx)
                .remoteRequiredMinEchoRxInterval(minEchoRx)
                .remoteDetectMultiplier(detectMultiplier)
                .remoteDemand(demand);
    }
}
