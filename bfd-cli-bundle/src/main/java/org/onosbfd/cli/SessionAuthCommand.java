package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.codec.BfdJson;

/**
 * {@code bfd:session-auth [--delayed] ID activate KEY BFD-KEY-ID} and
 * {@code bfd:session-auth [--delayed] ID deactivate}: VPP's session auth, with its delayed
 * rollover (keep sending the old way until the peer is seen using the new one).
 */
@Service
@Command(scope = "bfd", name = "session-auth",
        description = "Activates or deactivates a session's authentication, at once or delayed")
public class SessionAuthCommand extends AbstractBfdCommand {

    @Argument(index = 0, name = "ID", required = true, description = "Session id")
    @Completion(SessionIdCompleter.class)
    private String id;

    @Argument(index = 1, name = "activate|deactivate", required = true,
            description = "activate KEY BFD-KEY-ID, or deactivate")
    @Completion(value = StringsCompleter.class, values = {"activate", "deactivate"})
    private String action;

    @Argument(index = 2, name = "KEY", required = false, description = "Configured key id")
    @Completion(KeyIdCompleter.class)
    private String key;

    @Argument(index = 3, name = "BFD-KEY-ID", required = false,
            description = "Auth Key ID on the wire, 0-255")
    private String bfdKeyId;

    @Option(name = "--delayed",
            description = "Keep the current method until the peer is seen using the new one")
    private boolean delayed;

    @Override
    protected void run() {
        BfdAuthentication authentication;
        if (action.equalsIgnoreCase("activate")) {
            if (key == null || bfdKeyId == null) {
                throw BfdException.invalid("activate", key == null ? "" : key,
                        "activate KEY BFD-KEY-ID (a configured key id and a wire id 0-255)");
            }
            authentication = new BfdAuthentication(
                    SessionOptions.integer("KEY", key, 0, 0xFFFF_FFFFL),
                    (int) SessionOptions.integer("BFD-KEY-ID", bfdKeyId, 0, 255));
        } else if (action.equalsIgnoreCase("deactivate")) {
            if (key != null) {
                // Karaf reads options only before the arguments: "--delayed" here would be KEY.
                throw BfdException.invalid("deactivate", key,
                        "no argument after deactivate (options such as --delayed go first: "
                                + "bfd:session-auth --delayed ID deactivate)");
            }
            authentication = null;
        } else {
            throw BfdException.invalid("activate|deactivate", action, "activate or deactivate");
        }
        BfdSession session = bfd.setAuthentication(SessionModCommand.sessionId(id), authentication,
                delayed);
        report(BfdJson.encode(session), "Session %d: authentication %s%s", session.id(),
                authentication == null ? "none" : "key " + authentication.keyId()
                        + " bfd-key-id " + authentication.bfdKeyId(),
                session.isAuthenticationPending() ? " (pending: switches when the peer does)" : "");
    }
}
