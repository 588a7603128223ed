package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.codec.BfdJson;

/** {@code bfd:session-admin ID up|down}: AdminDown (RFC 5880 §6.8.16) and back. */
@Service
@Command(scope = "bfd", name = "session-admin",
        description = "Takes a session administratively down (AdminDown, diagnostic 7) or up")
public class SessionAdminCommand extends AbstractBfdCommand {

    @Argument(index = 0, name = "ID", required = true, description = "Session id (bfd:sessions)")
    @Completion(SessionIdCompleter.class)
    private String id;

    @Argument(index = 1, name = "up|down", required = true, description = "up or down")
    @Completion(value = StringsCompleter.class, values = {"up", "down"})
    private String direction;

    @Override
    protected void run() {
        boolean down;
        if (direction.equalsIgnoreCase("down")) {
            down = true;
        } else if (direction.equalsIgnoreCase("up")) {
            down = false;
        } else {
            throw BfdException.invalid("up|down", direction, "up or down");
        }
        BfdSession session = bfd.setAdminDown(SessionModCommand.sessionId(id), down);
        report(BfdJson.encode(session), "Session %d is %s", session.id(),
                Words.state(session.state()));
    }
}
