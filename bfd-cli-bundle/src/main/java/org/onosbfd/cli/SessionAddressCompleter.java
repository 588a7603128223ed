package org.onosbfd.cli;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdService;

/** Completes the peer addresses of existing sessions. */
@Service
public class SessionAddressCompleter implements Completer {
    @Reference
    private BfdService bfd;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> peers = bfd.sessions().stream()
                .map(s -> AddressText.of(s.config().path().peerAddress()))
                .distinct().sorted().collect(Collectors.toList());
        return new StringsCompleter(peers).complete(session, commandLine, candidates);
    }
}
