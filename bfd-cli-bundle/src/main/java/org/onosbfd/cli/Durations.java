package org.onosbfd.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.onosbfd.api.BfdException;

/** Intervals as operators write and read them: 50ms, 300000us, 1s, 1.5s; µs internally. */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)?");

    private Durations() {
    }

    /** Parses a duration; a bare number is microseconds, as on the wire and in the REST API. */
    static long parseMicros(String field, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw BfdException.invalid(field, text, "a duration such as 50ms, 300000us or 1s");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "us" : m.group(2);
        double micros = unit.equals("s") ? value * 1e6 : unit.equals("ms") ? value * 1e3 : value;
        if (micros != Math.rint(micros) || micros > 0xFFFF_FFFFL) {
            throw BfdException.invalid(field, text,
                    "a whole number of microseconds up to 4294967295us (about 71 minutes)");
        }
        return (long) micros;
    }

    /** 50000 -> "50ms", 1500000 -> "1.5s", 250 -> "250us", 0 -> "-". */
    static String format(long micros) {
        if (micros == 0) {
            return "-";
        }
        if (micros % 1000 != 0) {
            return micros + "us";
        }
        if (micros < 1_000_000) {
            return micros / 1000 + "ms";
        }
        return micros % 1_000_000 == 0 ? micros / 1_000_000 + "s"
                : String.format("%.3fs", micros / 1e6).replaceAll("0+s$", "s");
    }

    /** Elapsed time as BIRD and FRR show it: 42s, 3m07s, 2h05m, 4d03h. */
    static String since(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }
}
