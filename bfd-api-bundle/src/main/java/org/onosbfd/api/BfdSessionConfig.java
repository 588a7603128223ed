package org.onosbfd.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What an operator or client configures for a session: its {@link BfdPath} and the local
 * parameters of RFC 5880 §6.8.1. Intervals are in microseconds, as on the wire. Instances are
 * immutable and valid: {@link Builder#build()} refuses bad values with a {@link BfdException}
 * naming the field.
 */
public final class BfdSessionConfig {
    /** 300 ms, FRR's default: sub-second detection without tuning. */
    public static final long DEFAULT_INTERVAL_US = 300_000;
    public static final int DEFAULT_DETECT_MULTIPLIER = 3;
    /** FRR's default minimum TTL for multihop sessions: at most one hop from the sender. */
    public static final int DEFAULT_MULTIHOP_MIN_TTL = 254;
    /** The smallest TX interval accepted: the scheduler's resolution is far below, 1 ms is sane. */
    public static final long MIN_TX_INTERVAL_US = 1_000;
    private static final long MAX_INTERVAL_US = 0xFFFF_FFFFL;

    private final BfdPath path;
    private final long desiredMinTxInterval;
    private final long requiredMinRxInterval;
    private final long requiredMinEchoRxInterval;
    private final long desiredMinEchoTxInterval;
    private final int detectMultiplier;
    private final boolean passive;
    private final boolean demand;
    private final boolean adminDown;
    private final int minReceivedTtl;
    private final BfdAuthentication authentication;
    private final BfdDampening dampening;

    private BfdSessionConfig(Builder b, BfdPath path) {
        this.path = path;
        this.desiredMinTxInterval = b.desiredMinTxInterval;
        this.requiredMinRxInterval = b.requiredMinRxInterval;
        this.requiredMinEchoRxInterval = b.requiredMinEchoRxInterval;
        this.desiredMinEchoTxInterval = b.desiredMinEchoTxInterval;
        this.detectMultiplier = b.detectMultiplier;
        this.passive = b.passive;
        this.demand = b.demand;
        this.adminDown = b.adminDown;
        this.minReceivedTtl = path.isMultihop() ? b.minReceivedTtl : 255;
        this.authentication = b.authentication;
        this.dampening = b.dampening;
    }

    public BfdPath path() {
        return path;
    }

    /** bfd.DesiredMinTxInterval, µs. */
    public long desiredMinTxInterval() {
        return desiredMinTxInterval;
    }

    /** bfd.RequiredMinRxInterval, µs; 0 asks the peer to send no periodic packets. */
    public long requiredMinRxInterval() {
        return requiredMinRxInterval;
    }

    /** Required Min Echo RX Interval, µs; 0 means this system does not loop echo packets. */
    public long requiredMinEchoRxInterval() {
        return requiredMinEchoRxInterval;
    }

    /**
     * How often to send echo packets (RFC 5880 §6.4), µs; 0 disables the echo function. The
     * rate used is never faster than the peer's Required Min Echo RX Interval.
     */
    public long desiredMinEchoTxInterval() {
        return desiredMinEchoTxInterval;
    }

    /** bfd.DetectMult. */
    public int detectMultiplier() {
        return detectMultiplier;
    }

    /** Passive role (§6.1): send nothing until the peer's discriminator is known. */
    public boolean isPassive() {
        return passive;
    }

    /** bfd.DemandMode: ask the peer to stop periodic packets once both are Up (§6.6). */
    public boolean isDemand() {
        return demand;
    }

    /** Configured administratively down (§6.8.16). */
    public boolean isAdminDown() {
        return adminDown;
    }

    /** The lowest TTL / hop limit accepted: 255 single hop (RFC 5881 §5), configurable multihop. */
    public int minReceivedTtl() {
        return minReceivedTtl;
    }

    /** The session's authentication, or null when it runs without (bfd.AuthType 0). */
    public BfdAuthentication authentication() {
        return authentication;
    }

    /** The session's dampening of flaps, or null when it has none (the default). */
    public BfdDampening dampening() {
        return dampening;
    }

    public Builder toBuilder() {
        return new Builder()
                .peerAddress(path.peerAddress()).localAddress(path.localAddress())
                .interfaceName(path.interfaceName()).multihop(path.isMultihop())
                .desiredMinTxInterval(desiredMinTxInterval)
                .requiredMinRxInterval(requiredMinRxInterval)
                .requiredMinEchoRxInterval(requiredMinEchoRxInterval)
                .desiredMinEchoTxInterval(desiredMinEchoTxInterval)
                .detectMultiplier(detectMultiplier).passive(passive).demand(demand)
                .adminDown(adminDown).minReceivedTtl(path.isMultihop() ? minReceivedTtl
                        : DEFAULT_MULTIHOP_MIN_TTL)
                .authentication(authentication).dampening(dampening);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BfdSessionConfig)) {
            return false;
        }
        BfdSessionConfig that = (BfdSessionConfig) o;
        return desiredMinTxInterval == that.desiredMinTxInterval
                && requiredMinRxInterval == that.requiredMinRxInterval
                && requiredMinEchoRxInterval == that.requiredMinEchoRxInterval
                && desiredMinEchoTxInterval == that.desiredMinEchoTxInterval
                && detectMultiplier == that.detectMultiplier && passive == that.passive
                && demand == that.demand && adminDown == that.adminDown
                && minReceivedTtl == that.minReceivedTtl && path.equals(that.path)
                && Objects.equals(authentication, that.authentication)
                && Objects.equals(dampening, that.dampening);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, desiredMinTxInterval, requiredMinRxInterval,
                requiredMinEchoRxInterval, desiredMinEchoTxInterval, detectMultiplier, passive,
                demand, adminDown, minReceivedTtl, authentication, dampening);
    }

    @Override
    public String toString() {
        return path + " tx " + desiredMinTxInterval + "us rx " + requiredMinRxInterval
                + "us x" + detectMultiplier + (passive ? " passive" : "")
                + (demand ? " demand" : "") + (adminDown ? " admin-down" : "")
                + (authentication != null ? " auth " + authentication : "")
                + (dampening != null ? " " + dampening : "");
    }

    /** Builds a {@link BfdSessionConfig}; every setter's value is checked by {@link #build()}. */
    public static final class Builder {
        private InetAddress peerAddress;
        private InetAddress localAddress;
        private String interfaceName;
        private boolean multihop;
        private long desiredMinTxInterval = DEFAULT_INTERVAL_US;
        private long requiredMinRxInterval = DEFAULT_INTERVAL_US;
        private long requiredMinEchoRxInterval;
        private long desiredMinEchoTxInterval;
        private int detectMultiplier = DEFAULT_DETECT_MULTIPLIER;
        private boolean passive;
        private boolean demand;
        private boolean adminDown;
        private int minReceivedTtl = DEFAULT_MULTIHOP_MIN_TTL;
        private BfdAuthentication authentication;
        private BfdDampening dampening;

        private Builder() {
        }

        public Builder peerAddress(InetAddress peerAddress) {
            this.peerAddress = peerAddress;
            return this;
        }

        public Builder localAddress(InetAddress localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        public Builder interfaceName(String interfaceName) {
            this.interfaceName = interfaceName;
            return this;
        }

        public Builder multihop(boolean multihop) {
            this.multihop = multihop;
            return this;
        }

        public Builder desiredMinTxInterval(long micros) {
            this.desiredMinTxInterval = micros;
            return this;
        }

        public Builder requiredMinRxInterval(long micros) {
            this.requiredMinRxInterval = micros;
            return this;
        }

        public Builder requiredMinEchoRxInterval(long micros) {
            this.requiredMinEchoRxInterval = micros;
            return this;
        }

        public Builder desiredMinEchoTxInterval(long micros) {
            this.desiredMinEchoTxInterval = micros;
            return this;
        }

        public Builder detectMultiplier(int detectMultiplier) {
            this.detectMultiplier = detectMultiplier;
            return this;
        }

        public Builder passive(boolean passive) {
            this.passive = passive;
            return this;
        }

        public Builder demand(boolean demand) {
            this.demand = demand;
            return this;
        }

        public Builder adminDown(boolean adminDown) {
            this.adminDown = adminDown;
            return this;
        }

        public Builder minReceivedTtl(int minReceivedTtl) {
            this.minReceivedTtl = minReceivedTtl;
            return this;
        }

        public Builder authentication(BfdAuthentication authentication) {
            this.authentication = authentication;
            return this;
        }

        /** Dampening of flaps; null: none. */
        public Builder dampening(BfdDampening dampening) {
            this.dampening = dampening;
            return this;
        }

        /** Longer than any Linux interface name (15) or ONOS connect point we know of. */
        private static final int MAX_INTERFACE_NAME = 64;

        /** Checks every field and builds; throws {@link BfdException} naming the first bad one. */
        public BfdSessionConfig build() {
            if (peerAddress == null) {
                throw BfdException.invalid("peerAddress", null, "an IPv4 or IPv6 address");
            }
            if (localAddress == null) {
                throw BfdException.invalid("localAddress", null, "an IPv4 or IPv6 address");
            }
            if ((peerAddress instanceof Inet4Address) != (localAddress instanceof Inet4Address)) {
                throw BfdException.invalid("localAddress", AddressText.of(localAddress),
                        "an address of the same family as peerAddress "
                                + AddressText.of(peerAddress));
            }
            checkUnicast("peerAddress", peerAddress);
            checkUnicast("localAddress", localAddress);
            if (peerAddress.equals(localAddress)) {
                throw BfdException.invalid("peerAddress", AddressText.of(peerAddress),
                        "an address other than localAddress: a session with itself would come "
                                + "Up on its own packets");
            }
            checkInterfaceName(interfaceName);
            if (multihop && interfaceName != null && !interfaceName.isEmpty()) {
                throw BfdException.invalid("interface", interfaceName,
                        "no interface: a multihop session follows the route (RFC 5883)");
            }
            if (!multihop && peerAddress instanceof Inet6Address && peerAddress.isLinkLocalAddress()
                    && (interfaceName == null || interfaceName.isEmpty())) {
                throw BfdException.invalid("interface", null,
                        "an interface for the link-local peer " + AddressText.of(peerAddress));
            }
            checkRange("desiredMinTxInterval", desiredMinTxInterval, MIN_TX_INTERVAL_US,
                    MAX_INTERVAL_US);
            checkRange("requiredMinRxInterval", requiredMinRxInterval, 0, MAX_INTERVAL_US);
            checkRange("requiredMinEchoRxInterval", requiredMinEchoRxInterval, 0,
                    MAX_INTERVAL_US);
            if (desiredMinEchoTxInterval != 0) {
                checkRange("desiredMinEchoTxInterval", desiredMinEchoTxInterval,
                        MIN_TX_INTERVAL_US, MAX_INTERVAL_US);
            }
            if (detectMultiplier < 1 || detectMultiplier > 255) {
                throw BfdException.invalid("detectMultiplier", detectMultiplier,
                        "an integer 1-255 (RFC 5880 §6.8.6: zero is invalid)");
            }
            if (minReceivedTtl < 1 || minReceivedTtl > 255) {
                throw BfdException.invalid("minReceivedTtl", minReceivedTtl, "an integer 1-255");
            }
            return new BfdSessionConfig(this,
                    new BfdPath(peerAddress, localAddress, interfaceName, multihop));
        }

        private static void checkUnicast(String field, InetAddress address) {
            if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
                throw BfdException.invalid(field, AddressText.of(address),
                        "a unicast address (BFD is unicast: RFC 5880 §6.8.6)");
            }
        }

        /**
         * A Linux interface name or a switch port ({@code of:0000000000000001/3}): printable
         * ASCII without spaces. Control characters, escapes and NUL would reach log lines,
         * shell tables and the kernel's name lookup.
         */
        private static void checkInterfaceName(String name) {
            if (name == null || name.isEmpty()) {
                return;
            }
            boolean printable = name.length() <= MAX_INTERFACE_NAME
                    && name.chars().allMatch(c -> c > 0x20 && c < 0x7F);
            if (!printable) {
                throw BfdException.invalid("interface", name.replaceAll("[^\\x21-\\x7E]", "?"),
                        "1-" + MAX_INTERFACE_NAME + " printable ASCII characters without spaces "
                                + "(an interface such as eth1, or a switch port such as "
                                + "of:0000000000000001/3)");
            }
        }

        private static void checkRange(String field, long value, long min, long max) {
            if (value < min || value > max) {
                throw BfdException.invalid(field, value,
                        "microseconds from " + min + " to " + max);
            }
        }
    }
}
