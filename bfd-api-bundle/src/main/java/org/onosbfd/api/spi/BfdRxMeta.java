package org.onosbfd.api.spi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.onosbfd.api.AddressText;

/**
 * What a transport knows about a received packet beyond its payload: addresses, interface, TTL.
 * Mutable and meant to be reused by a receiving thread so that the hot path allocates nothing;
 * the core reads it during {@link BfdPacketReceiver} calls only.
 */
public final class BfdRxMeta {
    /** The TTL value for a packet whose TTL could not be read: fails every GTSM check. */
    public static final int TTL_UNKNOWN = -1;
    /** The arrival time of a packet whose arrival was not recorded: it counts as now. */
    public static final long ARRIVAL_UNKNOWN = Long.MIN_VALUE;

    private final byte[] source = new byte[16];
    private int sourceLength;
    private final byte[] destination = new byte[16];
    private int destinationLength;
    private String interfaceName;
    private int ttl = TTL_UNKNOWN;
    private boolean multihop;
    private long arrival = ARRIVAL_UNKNOWN;

    /**
     * Sets everything at once; addresses are 4 or 16 bytes, copied. The arrival time becomes
     * unknown: set it afterwards with {@link #arrivedAt}.
     */
    public BfdRxMeta set(byte[] sourceAddress, byte[] destinationAddress, String interfaceName,
                         int ttl, boolean multihop) {
        this.sourceLength = copy(sourceAddress, source);
        this.destinationLength = copy(destinationAddress, destination);
        this.interfaceName = interfaceName;
        this.ttl = ttl;
        this.multihop = multihop;
        this.arrival = ARRIVAL_UNKNOWN;
        return this;
    }

    /**
     * When the packet arrived, in the event loop's monotonic nanoseconds (System.nanoTime): a
     * kernel receive timestamp, or the time a transport thread took it in. Liveness is judged
     * by it (RFC 5880 §6.8.4), so that a packet read late after a stall of ours still counts
     * from when the peer's packet actually came.
     */
    public BfdRxMeta arrivedAt(long monotonicNanos) {
        this.arrival = monotonicNanos;
        return this;
    }

    /** The arrival time, or {@link #ARRIVAL_UNKNOWN}. */
    public long arrival() {
        return arrival;
    }

    /** Copies another meta-data object (a transport's) into this one without allocating. */
    public BfdRxMeta copyFrom(BfdRxMeta other) {
        System.arraycopy(other.source, 0, source, 0, other.sourceLength);
        sourceLength = other.sourceLength;
        System.arraycopy(other.destination, 0, destination, 0, other.destinationLength);
        destinationLength = other.destinationLength;
        interfaceName = other.interfaceName;
        ttl = other.ttl;
        multihop = other.multihop;
        arrival = other.arrival;
        return this;
    }

    private static int copy(byte[] address, byte[] into) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address of " + address.length + " bytes");
        }
        System.arraycopy(address, 0, into, 0, address.length);
        return address.length;
    }

    /** True when the packet came from this address (4 or 16 bytes); allocates nothing. */
    public boolean sourceEquals(byte[] address) {
        return address.length == sourceLength
                && Arrays.equals(source, 0, sourceLength, address, 0, sourceLength);
    }

    /** True when the packet was sent to this address; allocates nothing. */
    public boolean destinationEquals(byte[] address) {
        return address.length == destinationLength
                && Arrays.equals(destination, 0, destinationLength, address, 0, destinationLength);
    }

    /** The source as an InetAddress (allocates: for slow paths). */
    public InetAddress source() {
        return toAddress(source, sourceLength);
    }

    /** The destination as an InetAddress (allocates: for slow paths). */
    public InetAddress destination() {
        return toAddress(destination, destinationLength);
    }

    private static InetAddress toAddress(byte[] bytes, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(bytes, length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + length + " bytes", e);
        }
    }

    /** The receiving interface or connect point; null when unknown. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The received TTL / hop limit, or {@link #TTL_UNKNOWN}. */
    public int ttl() {
        return ttl;
    }

    /** True for packets to the multihop port 4784 (RFC 5883). */
    public boolean isMultihop() {
        return multihop;
    }

    @Override
    public String toString() {
        return AddressText.of(source()) + " -> " + AddressText.of(destination())
                + (interfaceName != null ? " dev " + interfaceName : "") + " ttl " + ttl
                + (multihop ? " multihop" : "");
    }
}
