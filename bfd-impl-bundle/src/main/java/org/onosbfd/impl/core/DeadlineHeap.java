package org.onosbfd.impl.core;

import java.util.Arrays;

/**
 * The one scheduler of all sessions: a binary min-heap of sessions keyed by their earliest
 * deadline, each session knowing its slot so that a change of deadline is O(log n) with no
 * allocation (a session is in the heap at most once, whatever number of timers it runs).
 */
final class DeadlineHeap {
    private CoreSession[] heap = new CoreSession[64];
    private int size;

    int size() {
        return size;
    }

    /** The session with the earliest deadline, or null. */
    CoreSession peek() {
        return size == 0 ? null : heap[0];
    }

    /** Sets a session's deadline, inserting it, moving it, or removing it for NEVER. */
    void update(CoreSession session, long deadline) {
        session.deadline = deadline;
        int index = session.heapIndex;
        if (deadline == CoreSession.NEVER) {
            if (index >= 0) {
                remove(session);
            }
            return;
        }
        if (index < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            index = size++;
            place(session, index);
        }
        siftDown(siftUp(index));
    }

    void remove(CoreSession session) {
        int index = session.heapIndex;
        if (index < 0) {
            return;
        }
        session.heapIndex = -1;
        CoreSession last = heap[--size];
        heap[size] = null;
        if (index < size) {
            place(last, index);
            siftDown(siftUp(index));
        }
    }

    private int siftUp(int index) {
        CoreSession session = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (heap[parent].deadline <= session.deadline) {
                break;
            }
            place(heap[parent], index);
            index = parent;
        }
        place(session, index);
        return index;
    }

    private void siftDown(int index) {
        CoreSession session = heap[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].deadline < heap[child].deadline) {
                child++;
            }
            if (heap[child].deadline >= session.deadline) {
                break;
            }
            place(heap[child], index);
            index = child;
        }
        place(session, index);
    }

    private void place(CoreSession session, int index) {
        heap[index] = session;
        session.heapIndex = index;
    }
}
