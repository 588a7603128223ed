package org.onosbfd.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdDampening;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.codec.BfdJson;

/** {@code bfd:sessions}: what BIRD's {@code show bfd sessions} and FRR's {@code show bfd peers} show. */
@Service
@Command(scope = "bfd", name = "sessions", description = "Lists BFD sessions")
public class SessionsCommand extends AbstractBfdCommand {

    @Option(name = "-v", aliases = "--verbose",
            description = "Discriminators, remote state, parameters, authentication, counters")
    private boolean verbose;

    @Option(name = "--state", description = "Only sessions in this state: up|down|init|admin-down")
    @Completion(StateCompleter.class)
    private String state;

    @Option(name = "--ipv4", description = "Only IPv4 sessions")
    private boolean ipv4;

    @Option(name = "--ipv6", description = "Only IPv6 sessions")
    private boolean ipv6;

    @Option(name = "--multihop", description = "Only multihop sessions (RFC 5883)")
    private boolean multihop;

    @Option(name = "--single-hop", description = "Only single-hop sessions (RFC 5881)")
    private boolean singleHop;

    @Argument(index = 0, name = "ADDRESS-or-PREFIX", required = false,
            description = "Only sessions whose peer is this address or inside this prefix")
    @Completion(SessionAddressCompleter.class)
    private String address;

    @Override
    protected void run() {
        Predicate<BfdSession> filter = filter();
        List<BfdSession> sessions = bfd.sessions().stream().filter(filter)
                .collect(Collectors.toList());
        if (json) {
            printJson(BfdJson.list("sessions",
                    sessions.stream().map(BfdJson::encode).collect(Collectors.toList())));
        } else if (verbose) {
            List<BfdKeyInfo> keys = bfd.keys();
            sessions.forEach(s -> printVerbose(s, keys));
        } else {
            printTable(sessions);
        }
    }

    private Predicate<BfdSession> filter() {
        if (ipv4 && ipv6) {
            throw new IllegalArgumentException("--ipv4 and --ipv6: give at most one");
        }
        if (multihop && singleHop) {
            throw new IllegalArgumentException("--multihop and --single-hop: give at most one");
        }
        Predicate<BfdSession> filter = s -> true;
        if (state != null) {
            BfdState wanted = parseState(state);
            filter = filter.and(s -> s.state() == wanted);
        }
        if (ipv4 || ipv6) {
            filter = filter.and(s -> s.config().path().isIpv4() == ipv4);
        }
        if (multihop || singleHop) {
            filter = filter.and(s -> s.config().path().isMultihop() == multihop);
        }
        if (address != null) {
            filter = filter.and(SessionFilter.peerMatching(address));
        }
        return filter;
    }

    static BfdState parseState(String text) {
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (BfdState s : BfdState.values()) {
            if (s.name().equals(normalized)) {
                return s;
            }
        }
        throw BfdException.invalid("--state", text, "up|down|init|admin-down");
    }

    /** Karaf's table, as ONOS's and Karaf's own commands print: columns fit their content. */
    private void printTable(List<BfdSession> sessions) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Id", "Peer", "Local", "Interface", "State", "Since",
            "TX", "Detect", "Diagnostic"}) {
            table.column(column);
        }
        table.emptyTableText("(no sessions" + filterDescription() + ")");
        Instant now = Instant.now();
        for (BfdSession s : sessions) {
            BfdPath path = s.config().path();
            table.addRow().addContent(s.id(), AddressText.of(path.peerAddress()),
                    AddressText.of(path.localAddress()) + (path.isMultihop() ? " (mh)" : ""),
                    path.interfaceName() == null ? "-" : path.interfaceName(),
                    Words.state(s.state()), since(s, now),
                    Durations.format(s.negotiatedTxInterval())
                            + (s.settlingUntil() == null ? "" : " (settling)"),
                    Durations.format(s.detectionTime()), s.localDiagnostic().description());
        }
        table.print(System.out);
    }

    private String filterDescription() {
        List<String> given = new ArrayList<>();
        if (state != null) {
            given.add("--state " + state);
        }
        if (ipv4) {
            given.add("--ipv4");
        }
        if (ipv6) {
            given.add("--ipv6");
        }
        if (multihop) {
            given.add("--multihop");
        }
        if (singleHop) {
            given.add("--single-hop");
        }
        if (address != null) {
            given.add(address);
        }
        return given.isEmpty() ? "" : " matching " + String.join(" ", given);
    }

    private void printVerbose(BfdSession s, List<BfdKeyInfo> keys) {
        BfdPath path = s.config().path();
        Instant now = Instant.now();
        print("Session %d: peer %s local %s%s (%s, transport %s, %d claim%s)", s.id(),
                AddressText.of(path.peerAddress()), AddressText.of(path.localAddress()),
                path.interfaceName() == null ? "" : " dev " + path.interfaceName(),
                path.isMultihop() ? "multihop" : "single hop", s.transport(), s.clients(),
                s.clients() == 1 ? "" : "s");
        if (s.notCarried() != null) {
            print("  Not carried:  %s", s.notCarried());
        }
        print("  State:        %s for %s, diagnostic: %s", Words.state(s.state()), since(s, now),
                s.localDiagnostic().description());
        print("  Remote:       %s, diagnostic: %s", Words.state(s.remoteState()),
                s.remoteDiagnostic().description());
        print("  Discriminators: local %d, remote %d", s.localDiscriminator(),
                s.remoteDiscriminator());
        print("  Local:        TX %s, RX %s, echo TX %s, echo RX %s, multiplier %d%s%s%s",
                Durations.format(s.config().desiredMinTxInterval()),
                Durations.format(s.config().requiredMinRxInterval()),
                Durations.format(s.config().desiredMinEchoTxInterval()),
                Durations.format(s.config().requiredMinEchoRxInterval()),
                s.config().detectMultiplier(), s.config().isPassive() ? ", passive" : "",
                s.config().isDemand() ? ", demand" : "",
                path.isMultihop() ? ", min TTL " + s.config().minReceivedTtl() : "");
        print("  Remote:       TX %s, RX %s, echo RX %s, multiplier %d%s",
                Durations.format(s.remoteDesiredMinTxInterval()),
                Durations.format(s.remoteRequiredMinRxInterval()),
                Durations.format(s.remoteRequiredMinEchoRxInterval()),
                s.remoteDetectMultiplier(), s.isRemoteDemand() ? ", demand" : "");
        print("  Negotiated:   TX %s, detection %s%s%s", Durations.format(s.negotiatedTxInterval()),
                Durations.format(s.detectionTime()), s.isPollActive() ? ", poll active" : "",
                s.settlingUntil() == null ? "" : ", settling after Up: configured intervals in "
                        + remaining(now, s.settlingUntil()) + " at the earliest");
        BfdDampening dampening = s.config().dampening();
        boolean held = s.heldDownUntil() != null && s.heldDownUntil().isAfter(now);
        print("  Dampening:    %s%s", dampening == null ? "none"
                : "hold-down " + Durations.format(dampening.initialHold()) + " doubling to "
                        + Durations.format(dampening.maximumHold()),
                held ? ", held Down for " + remaining(now, s.heldDownUntil()) + " more" : "");
        BfdAuthentication auth = s.config().authentication();
        if (auth == null) {
            print("  Authentication: none%s", s.isAuthenticationPending()
                    ? " (pending: still signing with the previous key until the peer stops)" : "");
        } else {
            String type = keys.stream().filter(k -> k.id() == auth.keyId()).findFirst()
                    .map(k -> k.type().label()).orElse("?");
            print("  Authentication: %s, key %d, bfd-key-id %d%s%s%s", type, auth.keyId(),
                    auth.bfdKeyId(), s.txSequence() >= 0 ? ", TX seq " + s.txSequence() : "",
                    s.rxSequence() >= 0 ? ", RX seq " + s.rxSequence() : "",
                    s.isAuthenticationPending() ? " (pending: until the peer uses it)" : "");
        }
        print("  Counters:     rx %d, tx %d, up %d, down %d, dropped %d%s",
                s.counters().rxPackets(), s.counters().txPackets(),
                s.counters().upTransitions(), s.counters().downTransitions(),
                s.counters().droppedPackets(),
                s.counters().drops().isEmpty() ? ""
                        : " (" + Words.drops(s.counters().drops()) + ")");
        print("  Timing:       TX lateness max %s last %s; detection slack min %s last %s",
                micros(s.maxTxLateness()), micros(s.lastTxLateness()),
                micros(s.minDetectionSlack()), micros(s.lastDetectionSlack()));
    }

    /** A measured duration: 0us rather than "-", and "-" only for unknown (-1). */
    private static String micros(long value) {
        return value < 0 ? "-" : value == 0 ? "0us" : Durations.format(value);
    }

    private static String since(BfdSession s, Instant now) {
        return Durations.since(Math.max(0, Duration.between(s.lastStateChange(), now).getSeconds()));
    }

    /** The time left until {@code until}, at least a second (it is rounded down). */
    private static String remaining(Instant now, Instant until) {
        return Durations.since(Math.max(1, Duration.between(now, until).getSeconds()));
    }
}
