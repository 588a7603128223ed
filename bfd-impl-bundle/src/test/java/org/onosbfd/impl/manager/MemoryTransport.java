package org.onosbfd.impl.manager;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.spi.BfdPacketReceiver;
import org.onosbfd.api.spi.BfdRxMeta;
import org.onosbfd.api.spi.BfdTransmitter;
import org.onosbfd.api.spi.BfdTransport;

/**
 * A transport between BFD services in one JVM: what one sends to an address arrives at the
 * service whose transport owns that address, at once, with TTL 255. Test-only.
 */
final class MemoryTransport implements BfdTransport {
    /** The shared medium; cut it to simulate a failure. */
    static final class Wire {
        final List<MemoryTransport> attached = new ArrayList<>();
        boolean up = true;
    }

    private final Wire wire;
    private final List<InetAddress> addresses;
    private BfdPacketReceiver receiver;
    private final BfdRxMeta meta = new BfdRxMeta();
    int opened;
    int closed;
    int starts;

    MemoryTransport(Wire wire, InetAddress... addresses) {
        this.wire = wire;
        this.addresses = List.of(addresses);
        wire.attached.add(this);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean canCarry(BfdPath path) {
        return addresses.contains(path.localAddress());
    }

    @Override
    public String whyNotCarried(BfdPath path) {
        return "no address " + org.onosbfd.api.AddressText.of(path.localAddress()) + " here";
    }

    @Override
    public void start(BfdPacketReceiver packetReceiver) {
        starts++;
        this.receiver = packetReceiver;
    }

    @Override
    public BfdTransmitter open(BfdPath path) {
        opened++;
        return new BfdTransmitter() {
            @Override
            public void send(ByteBuffer packet) {
                deliver(path, packet, t -> t.addresses.contains(path.peerAddress()));
            }

            @Override
            public void close() {
                closed++;
            }
        };
    }

    private void deliver(BfdPath path, ByteBuffer packet, Predicate<MemoryTransport> to) {
        if (!wire.up) {
            return;
        }
        for (MemoryTransport target : wire.attached) {
            if (target.receiver != null && to.test(target)) {
                target.meta.set(path.localAddress().getAddress(), path.peerAddress().getAddress(),
                        null, 255, path.isMultihop());
                target.receiver.controlPacket(packet, target.meta);
            }
        }
    }

    @Override
    public void stop() {
        receiver = null;
    }
}
