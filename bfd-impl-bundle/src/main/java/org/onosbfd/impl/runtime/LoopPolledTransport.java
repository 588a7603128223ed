package org.onosbfd.impl.runtime;

import java.io.IOException;
import org.onosbfd.api.spi.BfdPacketReceiver;

/**
 * A transport that can be read by the event loop itself instead of a thread of its own: it
 * supplies the loop's {@link Waiter}, which waits on its sockets and delivers what arrives on
 * the loop thread. Packets then cost no cross-thread hand-off and no extra wake-up.
 */
public interface LoopPolledTransport {

    /**
     * Starts the transport without a receiving thread (instead of
     * {@link org.onosbfd.api.spi.BfdTransport#start}); the returned waiter reads its sockets.
     */
    Waiter startOnLoop(BfdPacketReceiver receiver) throws IOException;
}
