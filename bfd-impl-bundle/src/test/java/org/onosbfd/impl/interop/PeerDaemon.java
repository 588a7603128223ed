package org.onosbfd.impl.interop;

import java.nio.file.Path;
import java.time.Duration;

/** A real BFD implementation in the peer's namespace, configured with one session. */
interface PeerDaemon extends AutoCloseable {

    /** The peer's side of a session: addresses as seen from the peer. */
    final class Spec {
        final String ourAddress;
        final String peerAddress;
        String interfaceName;
        boolean multihop;
        int intervalMillis = 50;
        int multiplier = 3;
        /** BIRD's name of the authentication type ("keyed sha1"), or null. */
        String authType;
        String secret = "s3cret";
        int keyId = 7;
        /** FRR's echo-mode with this echo interval, ms; 0: off. */
        int echoIntervalMillis;

        Spec(String ourAddress, String peerAddress) {
            this.ourAddress = ourAddress;
            this.peerAddress = peerAddress;
        }
    }

    String name();

    /** Starts the daemon with this session; returns when it runs. */
    void start(Namespaces namespaces, Path dir, Spec spec);

    /** The session's state as the daemon reports it, in lower case ("up", "down", "init"). */
    String state();

    /** Polls {@link #state()} until it is {@code state}, failing after {@code timeout}. */
    default void awaitState(String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (!(last = state()).equals(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name() + "'s session is " + last + ", not " + state);
            }
            Thread.onSpinWait();
        }
    }

    @Override
    void close();
}
