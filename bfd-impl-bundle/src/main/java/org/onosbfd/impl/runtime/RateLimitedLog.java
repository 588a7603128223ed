package org.onosbfd.impl.runtime;

import org.slf4j.Logger;

/**
 * A log for faults that input can repeat at packet rate: the first one is logged with its stack
 * trace, then at most one line per interval saying how many were suppressed meanwhile. A flood of
 * bad packets costs a few lines, not a stack trace each (which on Karaf also walks the stack to
 * find the caller and writes the file synchronously). One thread uses an instance.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private long lastLogged;
    private boolean loggedOnce;
    private long suppressed;

    public RateLimitedLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs {@code message} followed by {@code detail}, turned into text only if logged. */
    public void warn(String message, Object detail, Throwable cause) {
        if (due()) {
            write(log::warn, message + detail, cause);
        }
    }

    /** Logs {@code message}, {@code value}, {@code after}: no text is built unless logged. */
    public void warn(String message, long value, String after) {
        if (due()) {
            write(log::warn, message + value + after, null);
        }
    }

    public void error(String message, Throwable cause) {
        if (due()) {
            write(log::error, message, cause);
        }
    }

    /** One line; the stack trace with the first only. */
    private void write(java.util.function.BiConsumer<String, Throwable> level, String message,
                       Throwable cause) {
        boolean first = !loggedOnce;
        loggedOnce = true;
        level.accept(line(message, cause, first), first ? cause : null);
    }

    /** The stack trace goes with the first line only; later lines name the exception. */
    private String line(String message, Throwable cause, boolean first) {
        String text = (suppressed == 0 ? "" : "(" + suppressed
                + " more like this since the last line) ") + message
                + (first || cause == null ? "" : ": " + cause);
        suppressed = 0;
        return text;
    }

    private boolean due() {
        long now = System.nanoTime();
        if (loggedOnce && now - lastLogged < intervalNanos) {
            suppressed++;
            return false;
        }
        lastLogged = now;
        return true;
    }
}
