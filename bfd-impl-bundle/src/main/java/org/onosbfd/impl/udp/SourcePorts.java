package org.onosbfd.impl.udp;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The UDP source ports 49152-65535 this transport's sessions hold, per local address (RFC 5881
 * §4: each session has its own for its life). Finding a free port skips the ones our sessions
 * hold without asking the kernel, so that a new session costs a few bind() calls on the event
 * loop, not up to 16,384 once thousands of sessions share an address. Thread: the event loop.
 */
final class SourcePorts {
    static final int MIN = 49152;
    static final int COUNT = 65536 - MIN;
    /** bind() attempts on ports other programs may hold before giving up. */
    static final int ATTEMPTS = 64;

    /** Tries to bind a socket to a port; false when someone else holds it. */
    interface Binder {
        boolean bind(int port) throws java.io.IOException;
    }

    private final Map<String, BitSet> held = new HashMap<>();
    private final Random random;

    SourcePorts(Random random) {
        this.random = random;
    }

    /**
     * Binds a free port for {@code address} (a key naming the address and scope), starting at a
     * random one; the port is held until {@link #release}.
     */
    int acquire(String address, Binder binder) throws java.io.IOException {
        BitSet ours = held.computeIfAbsent(address, a -> new BitSet(COUNT));
        if (ours.cardinality() >= COUNT) {
            throw new java.io.IOException("all " + COUNT + " UDP source ports 49152-65535 of "
                    + address + " are held by BFD sessions (RFC 5881 §4 gives each its own)");
        }
        int candidate = random.nextInt(COUNT);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            candidate = ours.nextClearBit(candidate);
            if (candidate >= COUNT) {
                candidate = ours.nextClearBit(0);
            }
            if (binder.bind(MIN + candidate)) {
                ours.set(candidate);
                return MIN + candidate;
            }
            candidate = (candidate + 1) % COUNT; // another program holds it: the next one
        }
        throw new java.io.IOException("no free UDP source port in 49152-65535 on " + address
                + " after " + ATTEMPTS + " tries: other programs hold them");
    }

    void release(String address, int port) {
        BitSet ours = held.get(address);
        if (ours != null) {
            ours.clear(port - MIN);
            if (ours.isEmpty()) {
                held.remove(address);
            }
        }
    }
}
