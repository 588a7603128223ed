package org.onosbfd.impl.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.codec.BfdJson;
import org.onosbfd.impl.manager.BfdManager;
import org.onosbfd.impl.manager.ManagerHarness;
import org.onosbfd.impl.udp.UdpTransport;

/**
 * Our side of an interop test, run inside a network namespace by {@code ip netns exec}: the real
 * BFD service with the host-socket transport, driven by one command per line on stdin, answering
 * one line per command and printing every event as it happens:
 * <pre>
 *   key {"id":1,"type":"keyed-sha1","secret":"s3cret"}   -> ok
 *   add {"peerAddress":...}                             -> ok {session}
 *   mod ID {"desiredMinTxInterval":...}                 -> ok {session}
 *   del ID                                              -> ok
 *   get ID                                              -> ok {session}
 *   stats                                               -> ok {statistics}
 *   (asynchronously)                                    -> event {event}
 * </pre>
 * Errors answer {@code error <message>}. Test-only.
 */
public final class InteropAgent {
    private InteropAgent() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BfdManager manager = ManagerHarness.create(System::nanoTime, Clock.systemUTC(),
                new SecureRandom(), Executors.newSingleThreadExecutor());
        manager.bindTransport(new UdpTransport());
        manager.activate();
        manager.addListener(event -> {
            synchronized (out) {
                out.println("event " + BfdJson.mapper().valueToTree(BfdJson.encode(event)));
            }
        });
        synchronized (out) {
            out.println("ready");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String answer;
            try {
                answer = "ok" + execute(manager, line.trim());
            } catch (RuntimeException e) {
                answer = "error " + e.getMessage();
            }
            synchronized (out) {
                out.println(answer);
            }
        }
        manager.deactivate();
    }

    private static String execute(BfdManager manager, String line) {
        String[] words = line.split(" ", 3);
        switch (words[0]) {
            case "key":
                manager.setKey(BfdJson.decodeKey(BfdJson.parse(line.substring(4))));
                return "";
            case "add":
                return " " + compact(manager.addSession(
                        BfdJson.decodeConfig(BfdJson.parse(line.substring(4)), null)));
            case "mod": {
                long id = Long.parseLong(words[1]);
                BfdSession old = manager.session(id).orElseThrow();
                return " " + compact(manager.modifySession(id,
                        BfdJson.decodeConfig(BfdJson.parse(words[2]), old.config())));
            }
            case "del":
                manager.removeSession(Long.parseLong(words[1]));
                return "";
            case "get":
                return " " + compact(manager.session(Long.parseLong(words[1])).orElseThrow());
            case "stats":
                return " " + BfdJson.mapper().valueToTree(BfdJson.encode(manager.statistics()));
            case "summary": {
                // Sessions by state and the worst timing over all of them, for the scale run.
                java.util.List<BfdSession> all = manager.sessions();
                java.util.Map<String, Long> states = all.stream().collect(Collectors.groupingBy(
                        s -> s.state().name(), java.util.TreeMap::new, Collectors.counting()));
                long maxLateness = all.stream().mapToLong(BfdSession::maxTxLateness).max().orElse(0);
                long minSlack = all.stream().mapToLong(BfdSession::minDetectionSlack)
                        .filter(v -> v >= 0).min().orElse(-1);
                long downs = all.stream().mapToLong(s -> s.counters().downTransitions()).sum();
                long drops = all.stream().mapToLong(s -> s.counters().droppedPackets()).sum();
                return " {\"states\":" + BfdJson.mapper().valueToTree(states)
                        + ",\"maxTxLateness\":" + maxLateness + ",\"minDetectionSlack\":" + minSlack
                        + ",\"downTransitions\":" + downs + ",\"droppedPackets\":" + drops + "}";
            }
            case "list":
                return " " + manager.sessions().stream().map(s -> s.id() + ":" + s.state())
                        .collect(Collectors.joining(","));
            default:
                throw new IllegalArgumentException("unknown command " + words[0]);
        }
    }

    private static String compact(BfdSession session) {
        return BfdJson.mapper().valueToTree(BfdJson.encode(session)).toString();
    }
}
