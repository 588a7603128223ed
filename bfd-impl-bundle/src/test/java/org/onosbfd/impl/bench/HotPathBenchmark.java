package org.onosbfd.impl.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.spi.BfdRxMeta;
import org.onosbfd.impl.core.BfdCore;
import org.onosbfd.impl.core.CoreSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The protocol core's hot paths, one core, one thread:
 * <ul>
 * <li>{@code receive}: decode + validate + (authenticate) + state update of an Up session's
 * periodic packet, round-robin over many sessions;</li>
 * <li>{@code sendAndReceive}: the scheduler firing one periodic transmission (encode, sign,
 * jitter, re-arm) and one packet received, per operation.</li>
 * </ul>
 * Run with {@code -prof gc}: gc.alloc.rate.norm is the allocation per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBenchmark {
    private static final long MS = 1_000_000L;

    @Param({"none", "keyed-sha1"})
    public String auth;

    @Param({"1000"})
    public int sessions;

    private BfdCore core;
    private ByteBuffer[] packets;
    private BfdRxMeta[] rxMeta;
    private long now;
    private int next;
    private long step;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws UnknownHostException {
        BfdAuthKey key = auth.equals("none") ? null
                : new BfdAuthKey(1, BfdAuthType.ofLabel(auth), "s3cret".getBytes());
        Capture ourOutput = new Capture();
        Capture peerOutput = new Capture();
        core = new BfdCore(new Random(1), ourOutput);
        BfdCore peer = new BfdCore(new Random(2), peerOutput);
        now = 1000 * MS;
        CoreSession[] ours = new CoreSession[sessions];
        CoreSession[] theirs = new CoreSession[sessions];
        rxMeta = new BfdRxMeta[sessions];
        for (int i = 0; i < sessions; i++) {
            InetAddress local = InetAddress.getByAddress(new byte[] {10, (byte) (i >> 8), (byte) i, 1});
            InetAddress remote = InetAddress.getByAddress(new byte[] {10, (byte) (i >> 8), (byte) i, 2});
            BfdSessionConfig.Builder b = BfdSessionConfig.builder()
                    .desiredMinTxInterval(50_000).requiredMinRxInterval(50_000)
                    .authentication(key == null ? null : new BfdAuthentication(1, 1));
            ours[i] = core.add(i, b.localAddress(local).peerAddress(remote).build(), key, now);
            theirs[i] = peer.add(i, b.localAddress(remote).peerAddress(local).build(), key, now);
            rxMeta[i] = new BfdRxMeta().set(remote.getAddress(), local.getAddress(), null, 255,
                    false);
        }
        // Bring every pair Up and past its poll by exchanging packets for two simulated seconds.
        for (int t = 0; t < 2000; t++) {
            now += MS;
            peer.advance(now);
            peerOutput.deliverTo(core, now);
            core.advance(now);
            ourOutput.deliverTo(peer, now);
        }
        packets = new ByteBuffer[sessions];
        for (int i = 0; i < sessions; i++) {
            if (ours[i].state() != BfdState.UP) {
                throw new IllegalStateException("session " + i + " is " + ours[i].state());
            }
            packets[i] = peerOutput.lastFor(theirs[i]);
        }
        ourOutput.measureInto(blackhole);
        step = 50 * MS / sessions;
    }

    /** Receive only: the clock stands still, so no timer fires and no packet goes out. */
    @Benchmark
    public void receive() {
        deliverNext();
    }

    /**
     * A steady-state cycle: time moves as in a network where every session sends and receives
     * once per 50 ms, so each operation fires about one periodic transmission (encode, sign,
     * jitter, re-arm) and receives one packet.
     */
    @Benchmark
    public void sendAndReceive() {
        now += step;
        core.advance(now);
        deliverNext();
    }

    private void deliverNext() {
        int i = next;
        next = i + 1 == sessions ? 0 : i + 1;
        ByteBuffer packet = packets[i];
        packet.rewind();
        core.receive(packet, rxMeta[i], now);
    }
}
