package org.onosbfd.cli;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdStatistics;
import org.onosbfd.api.codec.BfdJson;

/** {@code bfd:stats}: sessions by state and counters over every packet. */
@Service
@Command(scope = "bfd", name = "stats", description = "Sessions by state, packet counters, drops by reason and the transports' counters")
public class StatsCommand extends AbstractBfdCommand {

    @Override
    protected void run() {
        BfdStatistics stats = bfd.statistics();
        if (json) {
            printJson(BfdJson.encode(stats));
            return;
        }
        print("Sessions: %d (%s)", stats.sessionCount(), stats.sessionsByState());
        BfdCounters c = stats.counters();
        print("Packets:  received %d, sent %d, dropped %d", c.rxPackets(), c.txPackets(),
                c.droppedPackets());
        print("Changes:  %d up, %d down", c.upTransitions(), c.downTransitions());
        c.drops().forEach((reason, count) -> print("  dropped %-24s %d", reason, count));
        stats.transports().forEach((name, counters) -> {
            print("Transport %s:", name);
            counters.forEach((counter, value) -> print("  %-26s %d", counter, value));
        });
    }
}
