package org.onosbfd.api.spi;

import java.nio.ByteBuffer;

/** Sends one session's packets. Called from the BFD service's scheduler thread only. */
public interface BfdTransmitter extends AutoCloseable {

    /**
     * Sends a control packet: the bytes from the buffer's position to its limit. Single-hop
     * packets leave with TTL / hop limit 255 (RFC 5881 §5). The buffer is reused after the call
     * returns: copy what must be kept. Failures are counted by the transport, never thrown:
     * BFD's answer to a lost packet is the detection timer.
     */
    void send(ByteBuffer controlPacket);

    /**
     * Sends an echo packet (RFC 5880 §6.4) to be looped back by the peer's forwarding plane,
     * or returns false when this transport cannot carry echo on this path.
     */
    default boolean sendEcho(ByteBuffer echoPacket) {
        return false;
    }

    /**
     * True when the peer's echo packets come back to it on this path (RFC 5880 §6.4): only
     * then may the session advertise a non-zero Required Min Echo RX Interval, since a peer
     * that honours it sends echo packets that nobody would return. Fixed for the transmitter's
     * life: it is asked once, when the transmitter starts carrying a session.
     */
    default boolean returnsEcho() {
        return false;
    }

    /**
     * Reads what {@link #send} will read, shortly before a batch of sends, so that the memory
     * of many sessions is fetched at once rather than one cache miss after another during each
     * send. Returns any value computed from the reads (the caller keeps the sum, so that the
     * compiler cannot drop them); it has no other effect. A transport with nothing per session
     * in memory need not implement it.
     */
    default long warm() {
        return 0;
    }

    /** Releases the path's resources. */
    @Override
    void close();
}
