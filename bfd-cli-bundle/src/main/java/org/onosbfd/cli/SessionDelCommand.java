package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code bfd:session-del ID}: removes the operator's session. */
@Service
@Command(scope = "bfd", name = "session-del", description = "Removes a configured session")
public class SessionDelCommand extends AbstractBfdCommand {

    @Argument(index = 0, name = "ID", required = true, description = "Session id (bfd:sessions)")
    @Completion(SessionIdCompleter.class)
    private String id;

    @Override
    protected void run() {
        long sessionId = SessionModCommand.sessionId(id);
        bfd.removeSession(sessionId);
        report(removed("id", sessionId), "Session %d removed", sessionId);
    }
}
