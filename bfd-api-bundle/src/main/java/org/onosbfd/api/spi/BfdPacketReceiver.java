package org.onosbfd.api.spi;

import java.nio.ByteBuffer;

/**
 * Where a transport delivers what it receives. May be called from any transport thread; the
 * buffer and the meta-data are only read during the call, so a transport reuses both.
 */
public interface BfdPacketReceiver {

    /** A BFD control packet (UDP payload to port 3784 or 4784). */
    void controlPacket(ByteBuffer packet, BfdRxMeta meta);

    /** One of our echo packets, looped back by the peer (UDP port 3785). */
    void echoPacket(ByteBuffer packet, BfdRxMeta meta);

    /**
     * Control packets carrying these Your Discriminators are next to be delivered, by this same
     * thread: a hint to fetch those sessions' state now, all at once, rather than one cache
     * miss after another as each packet comes (BfdTransmitter#warm's counterpart). Only the
     * first {@code count} entries count; the array is the caller's again on return. Has no
     * other effect; a transport need not call it.
     */
    default void warm(int[] yourDiscriminators, int count) {
    }

    /**
     * Tells the service that the paths this transport can carry changed (ONOS moved a device's
     * mastership, say): it re-checks {@link BfdTransport#canCarry} for every session, suspending
     * those the transport no longer carries and taking on those it now does. Never blocks.
     */
    default void carriageChanged() {
    }
}
