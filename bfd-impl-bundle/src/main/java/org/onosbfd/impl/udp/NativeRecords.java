package org.onosbfd.impl.udp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * One record of native memory per session for what each of its packets reads there: the
 * standby's copy of the last packet, which the batch sends from, and the link-layer
 * destination (a sockaddr_ll) the kernel reads with it. A record is one aligned pair of cache
 * lines, and records are packed into chunks on a huge page: at 10,000 sessions a separate
 * allocation for each (a direct buffer, a JNA {@code Memory}) put every packet's reads on two
 * more cold lines and two more pages, each a nested page walk on a virtual machine
 * (BENCHMARKS.md).
 *
 * <p>A chunk is unmapped only when no record of it is reachable, so memory that a copy or a
 * path still names is never freed under it. Records are taken and returned on the event loop.
 */
final class NativeRecords {
    /**
     * Bytes per record, an aligned pair of cache lines: a batch slot, since the standby copies
     * a whole record's packet room into its batch.
     */
    static final int RECORD = MessageBatch.SLOT;
    /** Where the sockaddr_ll is in a record; the packet's room ends here. */
    static final int ADDRESS_AT = RECORD - LinkLayer.ADDRESS_SIZE;
    private static final long HUGE_PAGE = 2L << 20;
    private static final int RECORDS_PER_CHUNK = (int) (HUGE_PAGE / RECORD);
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final Cleaner UNMAPPER = Cleaner.create();

    /** A session's record; it keeps its chunk mapped. */
    static final class Record {
        private final Chunk chunk;
        /** The whole record in the host's byte order, positions from 0. */
        final ByteBuffer memory;
        final long address;

        private Record(Chunk chunk, int index) {
            this.chunk = chunk;
            this.address = chunk.address + (long) index * RECORD;
            this.memory = new Pointer(address).getByteBuffer(0, RECORD)
                    .order(ByteOrder.nativeOrder());
        }
    }

    /** Two huge pages' worth of address space, of which the aligned one holds the records. */
    private static final class Chunk {
        /** Where the records start: the first huge-page boundary in the mapping. */
        final long address;

        Chunk(long mapping) {
            this.address = (mapping + HUGE_PAGE - 1) & -HUGE_PAGE;
        }
    }

    private final ArrayDeque<Record> free = new ArrayDeque<>();
    /** The chunk new records are carved from, and how many it has given. */
    private Chunk chunk;
    private int carved = RECORDS_PER_CHUNK;

    /** A record returned earlier (its contents are the last owner's), or a zeroed new one. */
    Record take() {
        if (!free.isEmpty()) {
            return free.pop();
        }
        if (carved == RECORDS_PER_CHUNK) {
            chunk = mapChunk();
            carved = 0;
        }
        return new Record(chunk, carved++);
    }

    /** The session is gone: its record may serve another. */
    void give(Record record) {
        free.push(record);
    }

    private static Chunk mapChunk() {
        long mapping;
        try {
            mapping = Pointer.nativeValue(Libc.mmap(null, 2 * HUGE_PAGE,
                    Libc.PROT_READ | Libc.PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        } catch (LastErrorException e) {
            throw new OutOfMemoryError("mmap of " + 2 * HUGE_PAGE + " bytes for BFD sessions: "
                    + "errno " + e.getErrorCode());
        }
        Chunk chunk = new Chunk(mapping);
        // Before the first touch, so that the kernel backs it with one huge page where it
        // can; where it cannot (THP off), small pages serve the same.
        Libc.madvise(new Pointer(chunk.address), HUGE_PAGE, MADV_HUGEPAGE);
        UNMAPPER.register(chunk, () -> Libc.munmap(new Pointer(mapping), 2 * HUGE_PAGE));
        return chunk;
    }
}
