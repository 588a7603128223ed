package org.onosbfd.impl.manager;

import java.util.ArrayList;
import java.util.List;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.spi.BfdTransport;
import org.onosbfd.impl.core.CoreSession;
import org.onosbfd.impl.runtime.OnLoop;

/** One session and everything that holds it: the operator's configuration, clients' claims. */
@OnLoop
final class SessionRecord {
    final long id;
    final CoreSession core;
    /** True while an operator's configuration holds the session. */
    boolean configured;
    /** Clients' claims (RFC 5882). */
    final List<SessionRequest> requests = new ArrayList<>();
    /** The transport that carries the session; null: none (the session is suspended). */
    BfdTransport transport;
    /** While none carries it, why not (each transport's reason); else null. */
    String notCarried;

    SessionRecord(long id, CoreSession core) {
        this.id = id;
        this.core = core;
    }

    /** The session's configuration: the core's, the one source of it. */
    BfdSessionConfig config() {
        return core.config();
    }

    int claims() {
        return requests.size() + (configured ? 1 : 0);
    }
}
