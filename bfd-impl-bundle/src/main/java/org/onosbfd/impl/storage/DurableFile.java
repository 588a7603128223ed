package org.onosbfd.impl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file's contents so that, whatever happens (a full disk, a file-size limit, a
 * crash or a power cut at any instant), the file afterwards holds either the old contents or
 * the new ones in full, and the caller learns which: the new text goes to a temporary file in
 * the same directory, written to the last byte (a short write is an error, not a shorter file),
 * forced to disk, renamed over the old file, and the directory is forced so that the rename
 * itself survives a crash. Any failure removes the temporary file, leaves the old one as it
 * was, and is thrown. Thread: any; the caller serialises writes to one file.
 */
public final class DurableFile {
    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private DurableFile() {
    }

    /**
     * Writes {@code bytes} as the file's new contents, readable by the owner only (the files
     * hold secrets, or decide which links are blocked).
     *
     * @throws IOException when the new contents are not durable; the old file is then intact
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) <= 0) {
                        throw new IOException("wrote " + buffer.position() + " of "
                                + bytes.length + " bytes (a file-size limit or a full disk)");
                    }
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary, e);
            throw e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
        }
        forceDirectory(directory);
    }

    /** Makes a rename in {@code directory} durable (fsync of the directory, as on Linux). */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path temporary, Exception cause) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
