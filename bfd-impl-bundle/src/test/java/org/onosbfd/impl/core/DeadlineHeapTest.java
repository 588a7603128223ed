package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scheduler's heap against a plain list: same earliest session, every index right. */
class DeadlineHeapTest {
    private final CoreHarness harness = new CoreHarness();

    private CoreSession session(int n) {
        return new CoreSession(harness.core, n, n + 1, CoreHarness.config().build(), null, 0,
                harness.now);
    }

    @Test
    void agreesWithAListUnderRandomUpdatesAndRemovals() {
        DeadlineHeap heap = new DeadlineHeap();
        List<CoreSession> sessions = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sessions.add(session(i));
        }
        Map<CoreSession, Long> expected = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 50_000; step++) {
            CoreSession s = sessions.get(random.nextInt(sessions.size()));
            int action = random.nextInt(10);
            if (action == 0) {
                heap.remove(s);
                expected.remove(s);
            } else if (action == 1) {
                heap.update(s, CoreSession.NEVER);
                expected.remove(s);
            } else if (action == 2 && expected.containsKey(s)) {
                heap.update(s, expected.get(s)); // unchanged: nothing moves
            } else {
                long deadline = random.nextInt(1000); // many equal keys on purpose
                heap.update(s, deadline);
                expected.put(s, deadline);
            }
            assertEquals(expected.size(), heap.size());
            CoreSession first = heap.peek();
            if (expected.isEmpty()) {
                assertNull(first);
            } else {
                long min = expected.values().stream().min(Comparator.naturalOrder()).get();
                assertEquals(min, first.deadline, "step " + step);
            }
        }
        // Draining in order: each session once, deadlines never decreasing, indexes cleared.
        long last = Long.MIN_VALUE;
        while (heap.peek() != null) {
            CoreSession first = heap.peek();
            assertEquals(expected.remove(first), first.deadline);
            assertEquals(true, first.deadline >= last);
            last = first.deadline;
            heap.remove(first);
            assertEquals(DeadlineHeap.NO_SLOT, first.heapSlot);
        }
        assertEquals(0, expected.size());
    }

    @Test
    void anUnchangedDeadlineLeavesTheSessionWhereItIs() {
        DeadlineHeap heap = new DeadlineHeap();
        CoreSession a = session(1);
        CoreSession b = session(2);
        heap.update(a, 10);
        heap.update(b, 10);
        heap.update(a, 10);
        assertSame(a, heap.peek());
        heap.update(b, 5);
        assertSame(b, heap.peek());
    }

    @Test
    void collectsEverySessionDueByABoundAndNoOther() {
        DeadlineHeap heap = new DeadlineHeap();
        Random random = new Random(11);
        Map<CoreSession, Long> keys = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            CoreSession s = session(i);
            long key = random.nextInt(1_000);
            heap.update(s, key);
            keys.put(s, key);
        }
        CoreSession[] into = new CoreSession[500];
        int count = heap.collectDueBy(100, into);
        List<CoreSession> expected = new ArrayList<>();
        keys.forEach((s, key) -> {
            if (key <= 100) {
                expected.add(s);
            }
        });
        assertEquals(expected.size(), count);
        assertEquals(new HashSet<>(expected), Set.of(Arrays.copyOf(into, count)));
        assertEquals(10, heap.collectDueBy(100, new CoreSession[10]), "as many as fit");
        assertEquals(500, heap.size(), "the heap is unchanged");
    }
}
