package org.onosbfd.impl.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The interop tests' measurements: printed and kept in target/interop-results.txt. */
final class InteropResults {
    private static final Path RESULTS = Path.of("target", "interop-results.txt");

    private InteropResults() {
    }

    static void record(String line) throws IOException {
        System.out.println("INTEROP " + line);
        Files.writeString(RESULTS, line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
