package org.onosbfd.api.spi;

import java.io.IOException;
import java.util.Map;
import org.onosbfd.api.BfdPath;

/**
 * Carries BFD packets between the protocol core and the network. Registered as an OSGi service;
 * the BFD service picks, for each session, the first transport that {@link #canCarry} its path.
 *
 * <p>The host-socket transport sends UDP datagrams from the controller's own stack; the punted
 * transport wraps the same payload in Ethernet frames emitted through a switch port. The core
 * sees neither: it gets BFD payloads with {@link BfdRxMeta} and hands payloads to a
 * {@link BfdTransmitter}.
 */
public interface BfdTransport {

    /** A short name for displays and logs ("udp", "punt"). */
    String name();

    /**
     * The transport's own counters by name, in display order: what happens below BFD
     * (datagrams or frames in and out, send errors, unresolved peers). Read from any thread;
     * a transport keeps them without locks on its hot path.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /** True when this transport can reach the path's peer (address family, interface kind). */
    boolean canCarry(BfdPath path);

    /**
     * Why {@link #canCarry} is false for the path, in an operator's words ("no interface eth9
     * on this host"): shown with a session that no transport carries.
     */
    default String whyNotCarried(BfdPath path) {
        return "cannot carry this path";
    }

    /**
     * Starts delivering every BFD packet addressed to this system to the receiver, until
     * {@link #stop()}. Called once, before any {@link #open}.
     */
    void start(BfdPacketReceiver receiver) throws IOException;

    /**
     * Prepares to send on one session's path: a source port (RFC 5881 §4: 49152-65535, stable for
     * the session's life), sockets, or the frame header for a switch port.
     */
    BfdTransmitter open(BfdPath path) throws IOException;

    /** Stops receiving and releases everything; open transmitters become inert. */
    void stop();
}
