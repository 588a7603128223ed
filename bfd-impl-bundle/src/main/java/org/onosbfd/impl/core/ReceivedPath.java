package org.onosbfd.impl.core;

import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.spi.BfdRxMeta;

/**
 * Whether a received packet came the session's way: from the peer to our address, on the
 * session's interface, with the TTL that RFC 5881 §5 (GTSM, single hop) or RFC 5883 §5
 * (multihop) requires. The addresses are kept as bytes, compared without allocating, and
 * everything a packet is checked against is held here, allocated with the session: at
 * thousands of sessions each further object read per packet is a cache miss.
 */
final class ReceivedPath {
    private final boolean multihop;
    private final byte[] peerAddress;
    private final byte[] localAddress;
    /**
     * Interned, as the host-socket transport interns the names it reports: a packet on the
     * session's interface then matches by reference, without reading either string.
     */
    private final String interfaceName;

    ReceivedPath(BfdPath path) {
        this.multihop = path.isMultihop();
        this.peerAddress = path.peerAddress().getAddress();
        this.localAddress = path.localAddress().getAddress();
        this.interfaceName = path.interfaceName() == null ? null : path.interfaceName().intern();
    }

    /** A read ahead of a packet (BfdCore.warm); the value means nothing. */
    long warm() {
        return peerAddress[0] + localAddress[0] + (multihop ? 1 : 0);
    }

    /**
     * @param minTtl the least TTL accepted (255 single hop); an unknown TTL fails
     * @return null when the packet came this way, else {@code WRONG_PATH} or {@code TTL}
     */
    BfdDropReason check(BfdRxMeta meta, int minTtl) {
        // The addresses both ways: a packet with our discriminator sent to another of our
        // addresses (or whose destination the transport could not tell) is not this session's.
        if (meta.isMultihop() != multihop || !meta.sourceEquals(peerAddress)
                || !meta.destinationEquals(localAddress)) {
            return BfdDropReason.WRONG_PATH;
        }
        String received = meta.interfaceName();
        if (interfaceName != null && received != null && !interfaceName.equals(received)) {
            return BfdDropReason.WRONG_PATH;
        }
        return meta.ttl() < minTtl ? BfdDropReason.TTL : null;
    }
}
