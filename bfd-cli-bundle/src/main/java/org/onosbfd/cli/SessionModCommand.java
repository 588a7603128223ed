package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.codec.BfdJson;

/** {@code bfd:session-mod ID [options]}: changes a live session without a flap (Poll Sequence). */
@Service
@Command(scope = "bfd", name = "session-mod",
        description = "Changes a session's parameters (a live session does not flap)")
public class SessionModCommand extends SessionOptions {

    @Argument(index = 0, name = "ID", required = true, description = "Session id (bfd:sessions)")
    @Completion(SessionIdCompleter.class)
    private String id;

    @Override
    protected void run() {
        long sessionId = sessionId(id);
        BfdSessionConfig base = bfd.session(sessionId)
                .orElseThrow(() -> BfdException.notFound("id", id)).config();
        BfdSession session = bfd.modifySession(sessionId, apply(base.toBuilder(), base).build());
        report(BfdJson.encode(session), "Session %d: %s", session.id(),
                Words.config(session.config()));
    }

    static long sessionId(String text) {
        return integer("ID", text, 1, Long.MAX_VALUE);
    }
}
