package org.onosbfd.impl.link;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdDampening;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSessionConfig;
import org.onosproject.net.ConnectPoint;

/**
 * What auto mode runs on every infrastructure link: whether it is on, the session parameters and
 * the link-local pool the controller takes both ends' addresses from. Immutable and validated:
 * a bad value is refused with the name of the setting, and nothing changes.
 *
 * <p>Each link gets a pair of addresses from the pool, derived from the link's two connect
 * points alone, so every ONOS instance of a cluster picks the same pair for the same link
 * without coordinating. Two links may share a pair: harmless, since the controller's sessions
 * and neighbour tables are per port, and a pair is only ever seen on its own link (the far
 * switch punts the frames to the controller).
 */
public final class AutoModeSettings {
    private static final BigInteger MAX_PAIRS = BigInteger.ONE.shiftLeft(30);
    /** An hour: the builder's ceiling for intervals, in ms. */
    private static final long MAX_INTERVAL_MS = 3_600_000;

    /**
     * Auto mode off, 50 ms × 3 (a 150 ms detection time), pool 169.254.0.0/16, flaps dampened
     * from 2 s to 2 minutes ({@link BfdDampening#LINK_DEFAULT}).
     */
    public static final AutoModeSettings DEFAULT = new AutoModeSettings(false, 50_000, 50_000, 3,
            parsePool("169.254.0.0/16"), BfdDampening.LINK_DEFAULT);

    private final boolean enabled;
    private final long txIntervalMicros;
    private final long rxIntervalMicros;
    private final int detectMultiplier;
    private final Pool pool;
    /** Null: flaps are not dampened. */
    private final BfdDampening dampening;

    private AutoModeSettings(boolean enabled, long txIntervalMicros, long rxIntervalMicros,
                             int detectMultiplier, Pool pool, BfdDampening dampening) {
        this.enabled = enabled;
        this.txIntervalMicros = txIntervalMicros;
        this.rxIntervalMicros = rxIntervalMicros;
        this.detectMultiplier = detectMultiplier;
        this.pool = pool;
        this.dampening = dampening;
    }

    /**
     * Validated settings.
     *
     * @param addressPool an IPv4 prefix inside 169.254.0.0/16 or an IPv6 prefix inside fe80::/10
     *                    with room for at least one pair besides the first and last address
     * @throws BfdException INVALID naming the bad setting
     */
    public static AutoModeSettings of(boolean enabled, long txIntervalMillis, long rxIntervalMillis,
                                      int detectMultiplier, String addressPool) {
        checkRange("txIntervalMs", txIntervalMillis, 1, MAX_INTERVAL_MS);
        checkRange("rxIntervalMs", rxIntervalMillis, 1, MAX_INTERVAL_MS);
        checkRange("detectMultiplier", detectMultiplier, 1, 255);
        return new AutoModeSettings(enabled, txIntervalMillis * 1000, rxIntervalMillis * 1000,
                detectMultiplier, parsePool(addressPool), BfdDampening.LINK_DEFAULT);
    }

    /**
     * These settings with flaps dampened from {@code initialMillis} to {@code maximumMillis};
     * both 0: not dampened.
     *
     * @throws BfdException INVALID naming dampeningInitialMs or dampeningMaximumMs
     */
    public AutoModeSettings withDampening(long initialMillis, long maximumMillis) {
        BfdDampening chosen = null;
        if (initialMillis != 0 || maximumMillis != 0) {
            checkRange("dampeningInitialMs", initialMillis, 1, MAX_INTERVAL_MS);
            checkRange("dampeningMaximumMs", maximumMillis, initialMillis, MAX_INTERVAL_MS);
            chosen = new BfdDampening(initialMillis * 1000, maximumMillis * 1000);
        }
        return new AutoModeSettings(enabled, txIntervalMicros, rxIntervalMicros,
                detectMultiplier, pool, chosen);
    }

    /** How flaps of auto-mode sessions are dampened; null: not at all. */
    public BfdDampening dampening() {
        return dampening;
    }

    private static void checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw BfdException.invalid(field, value, "an integer " + min + "-" + max);
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public long txIntervalMicros() {
        return txIntervalMicros;
    }

    public long rxIntervalMicros() {
        return rxIntervalMicros;
    }

    public int detectMultiplier() {
        return detectMultiplier;
    }

    /** The pool as given, e.g. "169.254.0.0/16". */
    public String addressPool() {
        return pool.text;
    }

    /**
     * The session auto mode runs at {@code local}, one end of the link {@code local}–{@code
     * remote}: its address is the pair's lower one when its connect point sorts first.
     */
    public BfdSessionConfig sessionAt(ConnectPoint local, ConnectPoint remote) {
        boolean first = local.toString().compareTo(remote.toString()) < 0;
        String key = first ? local + "|" + remote : remote + "|" + local;
        InetAddress[] pair = pool.pair(key);
        return BfdSessionConfig.builder().interfaceName(local.toString())
                .localAddress(pair[first ? 0 : 1]).peerAddress(pair[first ? 1 : 0])
                .desiredMinTxInterval(txIntervalMicros).requiredMinRxInterval(rxIntervalMicros)
                .detectMultiplier(detectMultiplier).dampening(dampening).build();
    }

    /** The link-local prefix the pairs come from. */
    private static final class Pool {
        final String text;
        final BigInteger base;
        final BigInteger pairs;
        final int length;

        Pool(String text, BigInteger base, BigInteger pairs, int length) {
            this.text = text;
            this.base = base;
            this.pairs = pairs;
            this.length = length;
        }

        /** Pair i is base+2+2i and base+3+2i: never the prefix's first or last address. */
        InetAddress[] pair(String linkKey) {
            // A hash every JVM computes alike, so every cluster member picks the same pair.
            byte[] bytes = linkKey.getBytes(StandardCharsets.UTF_8);
            BigInteger index = BigInteger.valueOf(Arrays.hashCode(bytes) & 0x7FFF_FFFFL)
                    .mod(pairs);
            BigInteger low = base.add(BigInteger.TWO).add(index.shiftLeft(1));
            return new InetAddress[] {address(low), address(low.add(BigInteger.ONE))};
        }

        private InetAddress address(BigInteger value) {
            byte[] raw = value.toByteArray();
            byte[] bytes = new byte[length];
            int copy = Math.min(raw.length, length);
            System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Pool parsePool(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("/", -1);
        if (parts.length != 2) {
            throw invalidPool(text, "a prefix such as 169.254.0.0/16 or fe80::/64");
        }
        InetAddress address;
        int prefix;
        try {
            address = AddressText.parse("addressPool", parts[0]);
            prefix = Integer.parseInt(parts[1]);
        } catch (BfdException | NumberFormatException e) {
            throw invalidPool(text, "a prefix such as 169.254.0.0/16 or fe80::/64");
        }
        int bits = address.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw invalidPool(text, "a prefix length 0-" + bits);
        }
        // RFC 3927 / RFC 4291 §2.5.6: addresses that never leave the link.
        boolean linkLocal = address.isLinkLocalAddress()
                && (bits == 32 ? prefix >= 16 : prefix >= 10);
        if (!linkLocal) {
            throw invalidPool(text, "a link-local prefix, inside 169.254.0.0/16 or fe80::/10");
        }
        BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
        BigInteger base = new BigInteger(1, address.getAddress()).shiftRight(bits - prefix)
                .shiftLeft(bits - prefix);
        BigInteger pairs = size.shiftRight(1).subtract(BigInteger.TWO).min(MAX_PAIRS);
        if (pairs.signum() <= 0) {
            throw invalidPool(text, "room for a pair: /29 or shorter (IPv4), /125 or shorter (IPv6)");
        }
        return new Pool(text.trim(), base, pairs, bits / 8);
    }

    private static BfdException invalidPool(String text, String why) {
        return BfdException.invalid("addressPool", text, why);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AutoModeSettings)) {
            return false;
        }
        AutoModeSettings other = (AutoModeSettings) o;
        return enabled == other.enabled && txIntervalMicros == other.txIntervalMicros
                && rxIntervalMicros == other.rxIntervalMicros
                && detectMultiplier == other.detectMultiplier
                && pool.text.equals(other.pool.text)
                && Objects.equals(dampening, other.dampening);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, txIntervalMicros, rxIntervalMicros, detectMultiplier,
                pool.text, dampening);
    }

    @Override
    public String toString() {
        return "auto mode " + (enabled ? "on" : "off") + ", " + txIntervalMicros / 1000 + "/"
                + rxIntervalMicros / 1000 + " ms x " + detectMultiplier + ", pool " + pool.text
                + (dampening == null ? ", flaps not dampened" : ", flaps dampened "
                        + dampening.initialHold() / 1000 + "-" + dampening.maximumHold() / 1000
                        + " ms");
    }
}
