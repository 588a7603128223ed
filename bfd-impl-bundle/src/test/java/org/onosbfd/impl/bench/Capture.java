package org.onosbfd.impl.bench;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdRxMeta;
import org.onosbfd.impl.core.BfdCore;
import org.onosbfd.impl.core.CoreOutput;
import org.onosbfd.impl.core.CoreSession;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A core's output for the benchmarks: during setup it queues packets (to relay them to the other
 * core and keep each session's last one for replay); once measuring, a blackhole takes them as a
 * transport would, allocating nothing.
 */
final class Capture implements CoreOutput {
    private final ArrayDeque<CoreSession> senders = new ArrayDeque<>();
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
    private final Map<CoreSession, byte[]> last = new HashMap<>();
    private final BfdRxMeta meta = new BfdRxMeta();
    private Blackhole measuring;

    void measureInto(Blackhole blackhole) {
        measuring = blackhole;
    }

    @Override
    public void transmit(CoreSession session, ByteBuffer packet) {
        if (measuring != null) {
            measuring.consume(packet.get(packet.position()));
            return;
        }
        byte[] bytes = new byte[packet.remaining()];
        packet.get(bytes);
        senders.add(session);
        packets.add(bytes);
        last.put(session, bytes);
    }

    /** Delivers everything queued to the other core, addressed as the sessions' paths say. */
    void deliverTo(BfdCore to, long now) {
        while (!packets.isEmpty()) {
            BfdSessionConfig config = senders.poll().config();
            meta.set(config.path().localAddress().getAddress(),
                    config.path().peerAddress().getAddress(), null, 255, false);
            to.receive(ByteBuffer.wrap(packets.poll()), meta, now);
        }
    }

    /** The last packet the session sent. */
    ByteBuffer lastFor(CoreSession session) {
        return ByteBuffer.wrap(last.get(session));
    }

    @Override
    public boolean transmitEcho(CoreSession session, ByteBuffer packet) {
        return false;
    }

    @Override
    public void stateChanged(CoreSession session, BfdState oldState, long now) {
    }
}
