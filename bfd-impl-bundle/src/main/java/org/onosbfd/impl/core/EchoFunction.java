package org.onosbfd.impl.core;

import org.onosbfd.api.BfdState;

/**
 * One session's Echo function (RFC 5880 §6.4, §6.8.5, §6.8.9): our echo packets, looped back
 * by the peer's forwarding plane, prove the path; Detect Mult intervals without one back fail
 * the session. Echo runs only while Up, when configured and welcome to the peer (a non-zero
 * Required Min Echo RX Interval); a transport that cannot loop echo turns it off for good. Its
 * timers are {@link SessionTimers#echoTransmit} and {@link SessionTimers#echoDetect}.
 */
final class EchoFunction {
    private boolean unsupported;
    private int sequence;

    /** @param desiredMinEchoTx our configured echo TX interval, µs; 0: no echo */
    boolean canRun(BfdState state, long desiredMinEchoTx, long peerMinEchoRx) {
        // §6.8.6: a zero Required Min Echo RX Interval means echo must cease.
        return state == BfdState.UP && desiredMinEchoTx > 0 && peerMinEchoRx > 0 && !unsupported;
    }

    /** The echo TX interval, µs: ours, never faster than the peer will loop (§6.8.9). */
    static long interval(long desiredMinEchoTx, long peerMinEchoRx) {
        return Math.max(desiredMinEchoTx, peerMinEchoRx);
    }

    /** How long without a returned echo packet fails the session, ns (§6.8.5). */
    static long detectionNanos(int detectMultiplier, long desiredMinEchoTx, long peerMinEchoRx) {
        return (long) detectMultiplier * interval(desiredMinEchoTx, peerMinEchoRx) * 1000;
    }

    int nextSequence() {
        return ++sequence;
    }

    /** The transport cannot loop echo on this path: control packets alone from now on. */
    void unsupported() {
        unsupported = true;
    }
}
