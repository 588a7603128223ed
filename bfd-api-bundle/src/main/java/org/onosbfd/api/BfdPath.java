package org.onosbfd.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Where a session runs: peer and local address, the interface for single-hop sessions, and
 * whether it is multihop (RFC 5883). At most one session exists per path (RFC 5881 §3: one
 * session per pair of addresses and interface).
 *
 * <p>The interface is an operating-system interface name ("eth0") for the host-socket transport,
 * or a connect point ("of:0000000000000001/3") for the controller-punted transport; the service
 * hands the path to whichever transport says it can carry it.
 */
public final class BfdPath {
    private final InetAddress peerAddress;
    private final InetAddress localAddress;
    private final String interfaceName;
    private final boolean multihop;

    public BfdPath(InetAddress peerAddress, InetAddress localAddress, String interfaceName,
                   boolean multihop) {
        this.peerAddress = Objects.requireNonNull(peerAddress, "peerAddress");
        this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
        this.interfaceName = interfaceName == null || interfaceName.isEmpty() ? null : interfaceName;
        this.multihop = multihop;
    }

    public InetAddress peerAddress() {
        return peerAddress;
    }

    public InetAddress localAddress() {
        return localAddress;
    }

    /** The interface or connect point; null when the route decides (multihop, or unbound). */
    public String interfaceName() {
        return interfaceName;
    }

    public boolean isMultihop() {
        return multihop;
    }

    public boolean isIpv4() {
        return peerAddress instanceof Inet4Address;
    }

    /** The UDP destination port: 3784 single hop (RFC 5881 §4), 4784 multihop (RFC 5883 §5). */
    public int destinationPort() {
        return multihop ? 4784 : 3784;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BfdPath)) {
            return false;
        }
        BfdPath that = (BfdPath) o;
        return multihop == that.multihop && peerAddress.equals(that.peerAddress)
                && localAddress.equals(that.localAddress)
                && Objects.equals(interfaceName, that.interfaceName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peerAddress, localAddress, interfaceName, multihop);
    }

    @Override
    public String toString() {
        return AddressText.of(peerAddress) + " from " + AddressText.of(localAddress)
                + (interfaceName != null ? " dev " + interfaceName : "")
                + (multihop ? " multihop" : "");
    }
}
