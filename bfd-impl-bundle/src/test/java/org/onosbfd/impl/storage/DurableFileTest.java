package org.onosbfd.impl.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A durable replacement: the new contents in full, owner-only, or the old file untouched. */
class DurableFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesInFullWithOwnerOnlyPermissionsAndNoTemporaryLeft() throws IOException {
        Path file = dir.resolve("sub").resolve("state.json");
        byte[] large = new byte[1 << 20];
        java.util.Arrays.fill(large, (byte) 'x');
        DurableFile.replace(file, "old".getBytes(StandardCharsets.UTF_8));
        DurableFile.replace(file, large);
        assertArrayEquals(large, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.exists(dir.resolve("sub").resolve("state.json.tmp")));
    }

    @Test
    void aFailedReplacementLeavesTheOldContentsAndSaysWhy() throws IOException {
        Path file = dir.resolve("state.json");
        DurableFile.replace(file, "old".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("state.json.tmp").resolve("in-the-way"));
        assertThrows(IOException.class,
                () -> DurableFile.replace(file, "new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("old", Files.readString(file));
    }

    /** Replaces args[0] with args[1] bytes; exit 3 with the reason when that fails. */
    public static final class Writer {
        public static void main(String[] args) {
            try {
                DurableFile.replace(Path.of(args[0]), new byte[Integer.parseInt(args[1])]);
            } catch (IOException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }

    @Test
    void aShortWriteUnderAFileSizeLimitFailsAndKeepsTheOldFile() throws Exception {
        // The case of a full disk: the kernel accepts only part of the write (here the 2 KiB
        // that `ulimit -f 2` allows), and a writer that ignored the count replaced a good file
        // with a truncated one.
        Path file = dir.resolve("bfd.json");
        DurableFile.replace(file, "old".getBytes(StandardCharsets.UTF_8));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("bash", "-c",
                "ulimit -f 2; exec \"$0\" -cp \"$1\" \"$2\" \"$3\" 3000", java,
                System.getProperty("java.class.path"), Writer.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, child.waitFor(), output);
        assertEquals("old", Files.readString(file));
        assertFalse(Files.exists(dir.resolve("bfd.json.tmp")), "no temporary file left");
    }
}
