package org.onosbfd.impl.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the kernel's settings under {@code /proc/sys}. */
public final class Sysctl {
    private static final Path ROOT = Path.of("/proc/sys");

    private Sysctl() {
    }

    /**
     * The value of the setting at {@code path} under /proc/sys (segments: a device name may
     * hold a dot), or null when it cannot be read. Read by lines: procfs reports a size of 0,
     * and {@code Files.readString}, trusting it, returns the first character only.
     */
    public static String read(String... path) {
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve(Path.of("", path)),
                    StandardCharsets.US_ASCII);
            return lines.isEmpty() ? null : lines.get(0).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
