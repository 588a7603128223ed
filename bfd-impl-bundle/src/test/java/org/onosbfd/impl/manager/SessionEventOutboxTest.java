package org.onosbfd.impl.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdDiagnostic;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;

/**
 * The loop's hand-off to listeners: at most one delivery queued, a session's changes folded
 * while delivery lags, order kept between sessions. The executor is driven by hand.
 */
class SessionEventOutboxTest {
    private final Queue<Runnable> executor = new ArrayDeque<>();
    private final SessionEventOutbox outbox = new SessionEventOutbox(executor::add, () -> 0L);
    private final List<BfdEvent> heard = new ArrayList<>();
    private final List<ListenerMailbox> targets = List.of(direct(heard::add));

    private static ListenerMailbox direct(BfdListener listener) {
        return new ListenerMailbox(listener, Runnable::run, () -> 0L);
    }

    private static BfdEvent change(long id, BfdState from, BfdState to) throws Exception {
        BfdSession session = BfdSession.builder().id(id)
                .config(BfdSessionConfig.builder()
                        .localAddress(InetAddress.getByName("192.0.2.1"))
                        .peerAddress(InetAddress.getByName("192.0.2." + (id + 1))).build())
                .state(to).remoteState(BfdState.UP)
                .localDiagnostic(BfdDiagnostic.NO_DIAGNOSTIC)
                .lastStateChange(Instant.EPOCH).transport("udp")
                .counters(new BfdCounters(0, 0, 0, 0, Map.of())).build();
        return new BfdEvent(BfdEvent.Type.STATE_CHANGED, session, from, Instant.EPOCH);
    }

    @Test
    void aBurstFoldsIntoOneEventPerSessionAndOneQueuedDelivery() throws Exception {
        outbox.publish(change(1, BfdState.UP, BfdState.DOWN), targets);
        outbox.publish(change(2, BfdState.UP, BfdState.DOWN), targets);
        outbox.publish(change(1, BfdState.DOWN, BfdState.INIT), targets);
        outbox.publish(change(1, BfdState.INIT, BfdState.UP), targets);
        assertEquals(1, executor.size(), "one delivery queued for the whole burst");
        executor.poll().run();
        assertEquals(2, heard.size());
        BfdEvent first = heard.get(0);
        assertEquals(1, first.session().id(), "sessions in the order they first changed");
        assertEquals(BfdState.UP, first.previousState());
        assertEquals(BfdState.UP, first.state());
        assertEquals(2, first.foldedChanges(), "Down and Init were folded");
        assertEquals(0, heard.get(1).foldedChanges());
        assertEquals(BfdState.DOWN, heard.get(1).state());
    }

    @Test
    void changesAfterADeliveryStartQueueTheNextOne() throws Exception {
        outbox.publish(change(1, BfdState.UP, BfdState.DOWN), targets);
        executor.poll().run();
        outbox.publish(change(1, BfdState.DOWN, BfdState.INIT), targets);
        assertEquals(1, executor.size());
        executor.poll().run();
        assertEquals(List.of(BfdState.DOWN, BfdState.INIT),
                List.of(heard.get(0).state(), heard.get(1).state()));
        assertEquals(0, heard.get(1).foldedChanges());
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws Exception {
        List<ListenerMailbox> both = List.of(direct(e -> {
            throw new IllegalStateException("listener bug");
        }), direct(heard::add));
        outbox.publish(change(1, BfdState.UP, BfdState.DOWN), both);
        executor.poll().run();
        assertEquals(1, heard.size());
    }

    @Test
    void aListenerThatBlocksHoldsUpNoOtherAndCatchesUpFolded() throws Exception {
        // The slow listener's deliveries wait in its own executor (it is stuck in a call);
        // the other one hears every event as it is published.
        Queue<Runnable> slowExecutor = new ArrayDeque<>();
        List<BfdEvent> slowHeard = new ArrayList<>();
        long[] now = {0};
        ListenerMailbox slow = new ListenerMailbox(slowHeard::add, slowExecutor::add,
                () -> now[0]);
        List<ListenerMailbox> both = List.of(slow, direct(heard::add));
        BfdState state = BfdState.UP;
        for (int flap = 0; flap < 1000; flap++) {
            BfdState next = state == BfdState.UP ? BfdState.DOWN : BfdState.UP;
            outbox.publish(change(1, state, next), both);
            executor.poll().run();
            state = next;
        }
        assertEquals(1000, heard.size(), "the other listener heard every change at once");
        assertEquals(1, slowExecutor.size(), "one delivery waits for the slow listener");
        slowExecutor.poll().run();
        assertEquals(1, slowHeard.size(), "a thousand changes folded into one event");
        assertEquals(999, slowHeard.get(0).foldedChanges());
        assertEquals(BfdState.UP, slowHeard.get(0).state());
    }
}
