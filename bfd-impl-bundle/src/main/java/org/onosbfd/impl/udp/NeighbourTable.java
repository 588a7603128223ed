package org.onosbfd.impl.udp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPv4 neighbour table ({@code /proc/net/arp}) for the packets we send below the
 * IP layer ({@link LinkLayer}): the peer's MAC and the interface it is reached through. Read
 * every second by a thread of its own, never by the event loop, and published as an immutable
 * map with a generation that changes only when an entry does: the loop compares one integer
 * per packet and looks a peer up again only after a change.
 *
 * <p>The kernel fills the table itself: a session's packets go through the IP layer until its
 * peer is resolved here (UdpTransport), and the peer's own ARP requests keep our entry current.
 * Thread: the refresher writes, any thread reads.
 */
final class NeighbourTable {
    /** One complete entry: the interface a peer is reached through and its MAC (48 bits). */
    static final class Neighbour {
        final int interfaceIndex;
        final long mac;

        Neighbour(int interfaceIndex, long mac) {
            this.interfaceIndex = interfaceIndex;
            this.mac = mac;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Neighbour && interfaceIndex == ((Neighbour) o).interfaceIndex
                    && mac == ((Neighbour) o).mac;
        }

        @Override
        public int hashCode() {
            return Objects.hash(interfaceIndex, mac);
        }
    }

    /**
     * One peer's entry as the event loop sees it: looked up again only when the table's
     * generation changed. Event loop only.
     */
    final class Lookup {
        /** The table's key, built once: a lookup then hashes no new string. */
        private final String key;
        private int seenGeneration = -1;
        private Neighbour neighbour;

        private Lookup(String peer, String device) {
            this.key = key(peer, device);
        }

        /** The peer's entry, or null while unresolved or ambiguous. */
        Neighbour current() {
            int now = generation;
            if (now != seenGeneration) {
                seenGeneration = now;
                neighbour = entries.get(key);
            }
            return neighbour;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(NeighbourTable.class);
    private static final Path ARP = Path.of("/proc/net/arp");
    private static final long REFRESH_MILLIS = 1_000;
    private static final Pattern FIELDS = Pattern.compile("\\s+");
    /** ATF_COM: the entry holds a MAC (reachable, stale, delay, probe or permanent). */
    private static final int COMPLETE = 0x2;

    private final Path source;
    /** By "peer%device", and by "peer" alone where one device has that peer. */
    private volatile Map<String, Neighbour> entries = Map.of();
    private volatile int generation;
    /** The file as last read: unchanged, it is not parsed again. Refresher thread only. */
    private byte[] lastRead = new byte[0];
    private ScheduledExecutorService refresher;

    NeighbourTable() {
        this(ARP);
    }

    /** A table read from another file (tests). */
    NeighbourTable(Path source) {
        this.source = source;
    }

    synchronized void start() {
        if (refresher == null) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bfd-neighbours");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    /** Changes whenever an entry does; starts at 0 with an empty table. */
    int generation() {
        return generation;
    }

    /** A lookup of {@code peer} for the event loop; {@code device} as for {@link #find}. */
    Lookup lookup(String peer, String device) {
        return new Lookup(peer, device);
    }

    /**
     * The peer's entry on {@code device}, or, with no device, on the one interface the kernel
     * has it on; null while unresolved or ambiguous.
     */
    Neighbour find(String peer, String device) {
        return entries.get(key(peer, device));
    }

    private static String key(String peer, String device) {
        return device == null ? peer : peer + "%" + device;
    }

    /** Reads the table again; a failed read keeps the last one. */
    void refresh() {
        try {
            byte[] bytes = Files.readAllBytes(source);
            if (Arrays.equals(bytes, lastRead)) {
                return;
            }
            lastRead = bytes;
            Map<String, Neighbour> read = parse(List.of(new String(bytes,
                    StandardCharsets.US_ASCII).split("\n")), Sockets::interfaceIndex);
            if (!read.equals(entries)) {
                entries = read;
                generation++;
            }
        } catch (IOException | RuntimeException e) {
            log.debug("BFD: cannot read the neighbour table {}: {}", source, e.toString());
        }
    }

    /**
     * The complete entries of {@code /proc/net/arp}: "IP address, HW type, Flags, HW address,
     * Mask, Device" after a header line.
     */
    static Map<String, Neighbour> parse(List<String> lines,
                                        ToIntFunction<String> indexOf) {
        Map<String, Neighbour> byDevice = new HashMap<>();
        Map<String, Neighbour> byPeer = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        Map<String, Integer> indexes = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = FIELDS.split(lines.get(i).trim());
            if (f.length < 6 || (Integer.decode(f[2]) & COMPLETE) == 0) {
                continue;
            }
            long mac = mac(f[3]);
            int index = indexes.computeIfAbsent(f[5], indexOf::applyAsInt);
            if (mac < 0 || index == 0) {
                continue;
            }
            Neighbour neighbour = new Neighbour(index, mac);
            byDevice.put(f[0] + "%" + f[5], neighbour);
            // A peer address on two interfaces is ambiguous without the session's own.
            Neighbour other = byPeer.putIfAbsent(f[0], neighbour);
            if (other != null && !other.equals(neighbour)) {
                ambiguous.add(f[0]);
            }
        }
        byPeer.keySet().removeAll(ambiguous);
        byDevice.putAll(byPeer);
        return Map.copyOf(byDevice);
    }

    /** "aa:bb:cc:dd:ee:ff" as 48 bits, or -1 when it is not six octets. */
    private static long mac(String text) {
        String[] octets = text.split(":");
        if (octets.length != 6) {
            return -1;
        }
        long mac = 0;
        for (String octet : octets) {
            int value = Integer.parseInt(octet, 16);
            if (value < 0 || value > 0xFF) {
                return -1;
            }
            mac = mac << 8 | value;
        }
        return mac;
    }
}
