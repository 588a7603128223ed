package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.codec.BfdJson;

/** {@code bfd:session-add PEER LOCAL}: configures a session. */
@Service
@Command(scope = "bfd", name = "session-add", description = "Configures a BFD session",
        detailedDescription = "Example: bfd:session-add --tx 50ms --rx 50ms 10.0.0.2 10.0.0.1\n"
                + "Intervals take units (us, ms, s); a bare number is microseconds.")
public class SessionAddCommand extends SessionOptions {

    @Argument(index = 0, name = "PEER", required = true, description = "Peer address; a "
            + "link-local one may name its interface as 'fe80::2%eth1' (quoted: the shell reads "
            + "an unquoted % as arithmetic)")
    private String peer;

    @Argument(index = 1, name = "LOCAL", required = true, description = "Local address")
    private String local;

    @Option(name = "--multihop", description = "Multihop session (RFC 5883, UDP 4784)")
    private boolean multihop;

    @Option(name = "--admin-down", description = "Create it administratively down")
    private boolean adminDown;

    @Override
    protected void run() {
        BfdSessionConfig.Builder b = BfdSessionConfig.builder()
                .peerAddress(AddressText.parse("PEER", peer))
                .localAddress(AddressText.parse("LOCAL", local))
                .multihop(multihop).adminDown(adminDown);
        interfaceName = AddressText.withZone("LOCAL", local,
                AddressText.withZone("PEER", peer, interfaceName));
        BfdSession session = bfd.addSession(apply(b, null).build());
        report(BfdJson.encode(session), "Session %d: %s (transport %s)", session.id(),
                Words.config(session.config()), session.transport());
    }
}
