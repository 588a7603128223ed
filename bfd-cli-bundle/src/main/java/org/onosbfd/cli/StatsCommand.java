package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdStatistics;
import org.onosbfd.api.codec.BfdJson;

/**
 * {@code bfd:stats}: sessions by state and counters over every packet; {@code --clear} clears
 * them, of every session or of one, as {@code clear bfd counters} does on routers.
 */
@Service
@Command(scope = "bfd", name = "stats", description = "Sessions by state, packet counters, drops by reason and the transports' counters; --clear clears the BFD counters")
public class StatsCommand extends AbstractBfdCommand {

    @Option(name = "--clear", description = "Clear the BFD counters (of session ID only, if given)")
    private boolean clear;

    @Argument(index = 0, name = "ID", required = false,
            description = "With --clear: the session whose counters to clear")
    @Completion(SessionIdCompleter.class)
    private String id;

    @Override
    protected void run() {
        if (clear) {
            clearCounters();
            return;
        }
        if (id != null) {
            throw new IllegalArgumentException("ID: only with --clear (bfd:sessions -v shows a "
                    + "session's counters)");
        }
        BfdStatistics stats = bfd.statistics();
        if (json) {
            printJson(BfdJson.encode(stats));
            return;
        }
        print("Sessions: %d (%s)%s", stats.sessionCount(), Words.byState(stats.sessionsByState()),
                stats.sessionsSettling() == 0 ? ""
                        : ", " + stats.sessionsSettling() + " Up settling at the slow rate");
        BfdCounters c = stats.counters();
        print("Packets:  received %d, sent %d, dropped %d", c.rxPackets(), c.txPackets(),
                c.droppedPackets());
        print("Changes:  %d up, %d down", c.upTransitions(), c.downTransitions());
        c.drops().forEach((reason, count) -> print("  dropped %-24s %d", Words.dropReason(reason),
                count));
        stats.transports().forEach((name, counters) -> {
            print("Transport %s:", name);
            counters.forEach((counter, value) -> print("  %-26s %d", counter, value));
        });
    }

    private void clearCounters() {
        if (id == null) {
            bfd.clearCounters();
            report(BfdJson.mapper().createObjectNode().put("cleared", true),
                    "BFD counters cleared (every session and the totals)");
        } else {
            long session = SessionOptions.integer("ID", id, 0, Long.MAX_VALUE);
            bfd.clearCounters(session);
            report(BfdJson.mapper().createObjectNode().put("id", session).put("cleared", true),
                    "Counters of session %d cleared", session);
        }
    }
}
