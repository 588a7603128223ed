package org.onosbfd.cli;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.onosbfd.api.BfdService;

/** Completes configured key ids. */
@Service
public class KeyIdCompleter implements Completer {
    @Reference
    private BfdService bfd;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(bfd.keys().stream().map(k -> Long.toString(k.id()))
                .collect(Collectors.toList())).complete(session, commandLine, candidates);
    }
}
