package org.onosbfd.impl.runtime;

import java.nio.ByteBuffer;
import org.onosbfd.api.spi.BfdRxMeta;

/** A loop's driven side that does nothing: tests override what they watch. */
class DrivenAdapter implements EventLoop.Driven {
    @Override
    public void controlPacket(ByteBuffer packet, BfdRxMeta meta, long now) {
    }

    @Override
    public void warm(int[] yourDiscriminators, int count) {
    }

    @Override
    public void echoPacket(ByteBuffer packet, BfdRxMeta meta, long now) {
    }

    @Override
    public void packetFailed(RuntimeException failure) {
    }

    @Override
    public RuntimeException advance(long now) {
        return null;
    }

    @Override
    public long nextDeadline() {
        return Long.MAX_VALUE;
    }

    @Override
    public void excuseStall(long nanos) {
    }
}
