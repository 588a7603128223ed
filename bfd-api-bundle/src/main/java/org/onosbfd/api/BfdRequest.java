package org.onosbfd.api;

/**
 * A client's claim on a session, after BIRD's {@code bfd_request_session} and RFC 5882 §3: many
 * clients may ask for the same path and share one session, created by the first request and
 * removed when the last claim on it (requests and operator configuration) is released. The
 * client's listener hears only that session's events.
 */
public interface BfdRequest extends AutoCloseable {
    /** The shared session as it is now. */
    BfdSession session();

    /** Releases the claim; the session goes when nothing else holds it. Idempotent. */
    @Override
    void close();
}
