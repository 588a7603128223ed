package org.onosbfd.impl.core;

import java.util.Arrays;

/**
 * The one scheduler of all sessions: a binary min-heap of sessions keyed by their earliest
 * deadline, each session knowing its slot so that a change of deadline is O(log n) with no
 * allocation (a session is in the heap at most once, whatever number of timers it runs).
 *
 * <p>The keys live in an array of their own beside the sessions: a sift compares neighbouring
 * longs instead of reading a field of each session it passes, which at thousands of sessions
 * are cache misses (most of a packet's cost in Java, measured at 2,000 sessions). A deadline
 * that does not change (a received packet that leaves the next transmission the earliest
 * timer) costs nothing.
 */
final class DeadlineHeap {
    private CoreSession[] sessions = new CoreSession[64];
    private long[] keys = new long[64];
    private int size;

    int size() {
        return size;
    }

    /** The session with the earliest deadline, or null. */
    CoreSession peek() {
        return size == 0 ? null : sessions[0];
    }

    /** Sets a session's deadline, inserting it, moving it, or removing it for NEVER. */
    void update(CoreSession session, long deadline) {
        int index = session.heapIndex;
        if (index >= 0 && deadline == keys[index]) {
            return;
        }
        session.deadline = deadline;
        if (deadline == CoreSession.NEVER) {
            if (index >= 0) {
                remove(session);
            }
            return;
        }
        if (index < 0) {
            if (size == sessions.length) {
                sessions = Arrays.copyOf(sessions, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            index = size++;
        }
        place(session, deadline, index);
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
        into[count] = sessions[index];
        int next = collect(2 * index + 1, bound, into, count + 1);
        return collect(2 * index + 2, bound, into, next);
    }

    void remove(CoreSession session) {
        int index = session.heapIndex;
        if (index < 0) {
            return;
        }
        session.heapIndex = -1;
        CoreSession last = sessions[--size];
        long lastKey = keys[size];
        sessions[size] = null;
        if (index < size) {
            place(last, lastKey, index);
            siftDown(siftUp(index));
        }
    }

    private int siftUp(int index) {
        CoreSession session = sessions[index];
        long key = keys[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            place(sessions[parent], keys[parent], index);
            index = parent;
        }
        place(session, key, index);
        return index;
    }

    private void siftDown(int index) {
        CoreSession session = sessions[index];
        long key = keys[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (keys[child] >= key) {
                break;
            }
            place(sessions[child], keys[child], index);
            index = child;
        }
        place(session, key, index);
    }

    private void place(CoreSession session, long key, int index) {
        sessions[index] = session;
        keys[index] = key;
        session.heapIndex = index;
    }
}
