package org.onosbfd.impl.manager;

import org.onosbfd.api.BfdRequest;
import org.onosbfd.api.BfdSession;
import org.onosbfd.impl.runtime.EventLoop;

/** A client's claim on a session (RFC 5882); the client calls it from any thread. */
final class SessionRequest implements BfdRequest {
    private final EventLoop loop;
    private final SessionRegistry registry;
    private final SessionRecord record;
    final ListenerMailbox mailbox;
    /** Touched on the loop only. */
    private boolean closed;

    SessionRequest(EventLoop loop, SessionRegistry registry, SessionRecord record,
                   ListenerMailbox mailbox) {
        this.loop = loop;
        this.registry = registry;
        this.record = record;
        this.mailbox = mailbox;
    }

    @Override
    public BfdSession session() {
        return loop.call(() -> registry.snapshot(record));
    }

    @Override
    public void close() {
        loop.run(() -> {
            if (!closed) {
                closed = true;
                record.requests.remove(this);
                registry.removeIfUnclaimed(record);
            }
        });
    }
}
