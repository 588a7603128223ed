package org.onosbfd.impl.core;

import java.util.Arrays;

/**
 * The one scheduler of all sessions: a min-heap of sessions keyed by their earliest deadline,
 * so that a change of deadline is O(log n) with no allocation (a session is in the heap at most
 * once, whatever number of timers it runs). Four children a node: a transmission moves its
 * session from the top to the bottom, and a 4-ary heap is half as deep as a binary one, its
 * four children's keys side by side in one or two cache lines.
 *
 * <p>A sift touches arrays only, never a session: each session in the heap holds a slot
 * ({@link CoreSession#heapSlot}), and the heap orders slots, with the keys beside them and
 * each slot's position in an array of its own. A transmission moves its session from the top
 * to the bottom, past about log4(n) others; when each of those moves wrote the moved session's
 * own field, every one was a cache miss, and at 10,000 sessions they were most of the core's
 * cost per packet (BENCHMARKS.md). A deadline that does not change (a received packet that
 * leaves the next transmission the earliest timer) costs nothing.
 */
final class DeadlineHeap {
    /** Not in the heap. */
    static final int NO_SLOT = -1;
    private static final int ARITY = 4;

    /** The slot at each heap position, and its key. */
    private int[] heap = new int[64];
    private long[] keys = new long[64];
    /** Each slot's heap position, and its session. */
    private int[] positions = new int[64];
    private CoreSession[] bySlot = new CoreSession[64];
    /** Slots given back, reused first. */
    private int[] freeSlots = new int[64];
    private int freeCount;
    /** Slots ever handed out. */
    private int slotCount;
    private int size;

    int size() {
        return size;
    }

    /** The session with the earliest deadline, or null. */
    CoreSession peek() {
        return size == 0 ? null : bySlot[heap[0]];
    }

    /** The earliest deadline, or NEVER. */
    long earliest() {
        return size == 0 ? CoreSession.NEVER : keys[0];
    }

    /** Sets a session's deadline, inserting it, moving it, or removing it for NEVER. */
    void update(CoreSession session, long deadline) {
        int slot = session.heapSlot;
        if (slot != NO_SLOT && deadline == keys[positions[slot]]) {
            return;
        }
        session.deadline = deadline;
        if (deadline == CoreSession.NEVER) {
            remove(session);
            return;
        }
        int index;
        if (slot == NO_SLOT) {
            slot = takeSlot(session);
            index = size++;
        } else {
            index = positions[slot];
        }
        keys[index] = deadline;
        heap[index] = slot;
        positions[slot] = index;
        siftDown(siftUp(index));
    }

    /**
     * Gathers sessions whose deadline is at most {@code bound}, as many as {@code into} holds,
     * without changing the heap: a walk down from the root that stops at every later key.
     *
     * @return how many were written to {@code into}
     */
    int collectDueBy(long bound, CoreSession[] into) {
        return collect(0, bound, into, 0);
    }

    private int collect(int index, long bound, CoreSession[] into, int count) {
        if (index >= size || keys[index] > bound || count == into.length) {
            return count;
        }
        into[count] = bySlot[heap[index]];
        int next = count + 1;
        for (int child = ARITY * index + 1; child <= ARITY * index + ARITY; child++) {
            next = collect(child, bound, into, next);
        }
        return next;
    }

    void remove(CoreSession session) {
        int slot = session.heapSlot;
        if (slot == NO_SLOT) {
            return;
        }
        int index = positions[slot];
        releaseSlot(session);
        size--;
        if (index < size) {
            heap[index] = heap[size];
            keys[index] = keys[size];
            positions[heap[index]] = index;
            siftDown(siftUp(index));
        }
    }

    private int takeSlot(CoreSession session) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            slot = slotCount++;
            if (slot == bySlot.length) {
                int length = slot * 2;
                heap = Arrays.copyOf(heap, length);
                keys = Arrays.copyOf(keys, length);
                positions = Arrays.copyOf(positions, length);
                bySlot = Arrays.copyOf(bySlot, length);
                freeSlots = Arrays.copyOf(freeSlots, length);
            }
        }
        bySlot[slot] = session;
        session.heapSlot = slot;
        return slot;
    }

    private void releaseSlot(CoreSession session) {
        int slot = session.heapSlot;
        session.heapSlot = NO_SLOT;
        bySlot[slot] = null;
        freeSlots[freeCount++] = slot;
    }

    private int siftUp(int index) {
        int slot = heap[index];
        long key = keys[index];
        while (index > 0) {
            int parent = (index - 1) / ARITY;
            if (keys[parent] <= key) {
                break;
            }
            place(heap[parent], keys[parent], index);
            index = parent;
        }
        place(slot, key, index);
        return index;
    }

    private void siftDown(int index) {
        int slot = heap[index];
        long key = keys[index];
        while (true) {
            int first = ARITY * index + 1;
            if (first >= size) {
                break;
            }
            int child = first;
            int end = Math.min(first + ARITY, size);
            for (int other = first + 1; other < end; other++) {
                if (keys[other] < keys[child]) {
                    child = other;
                }
            }
            if (keys[child] >= key) {
                break;
            }
            place(heap[child], keys[child], index);
            index = child;
        }
        place(slot, key, index);
    }

    private void place(int slot, long key, int index) {
        heap[index] = slot;
        keys[index] = key;
        positions[slot] = index;
    }
}
