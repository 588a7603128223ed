package org.onosbfd.onoscore.dist;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.onosproject.cluster.NodeId;
import org.onosproject.store.cluster.messaging.ClusterCommunicationService;
import org.onosproject.store.cluster.messaging.ClusterMessageHandler;
import org.onosproject.store.cluster.messaging.MessageSubject;
import org.osgi.service.component.annotations.Component;

/**
 * Cluster messaging for a cluster of one (onos-core-dist's {@code ClusterCommunicationManager}
 * is not published): there is no other instance, so messages to others go nowhere and requests
 * to others fail. ONOS's managers use it only to reach other instances (a device's master
 * elsewhere, for example), which never happens here.
 */
@Component(service = ClusterCommunicationService.class)
public final class SingleInstanceClusterCommunication implements ClusterCommunicationService {
    @Override
    public <M> void broadcast(M message, MessageSubject subject, Function<M, byte[]> encoder) {
    }

    @Override
    public <M> void broadcastIncludeSelf(M message, MessageSubject subject,
                                         Function<M, byte[]> encoder) {
    }

    @Override
    public <M> CompletableFuture<Void> unicast(M message, MessageSubject subject,
                                               Function<M, byte[]> encoder, NodeId toNodeId) {
        return CompletableFuture.failedFuture(noOtherInstance(toNodeId));
    }

    @Override
    public <M> void multicast(M message, MessageSubject subject, Function<M, byte[]> encoder,
                              Set<NodeId> nodeIds) {
    }

    @Override
    public <M, R> CompletableFuture<R> sendAndReceive(M message, MessageSubject subject,
                                                      Function<M, byte[]> encoder,
                                                      Function<byte[], R> decoder,
                                                      NodeId toNodeId, Duration timeout) {
        return CompletableFuture.failedFuture(noOtherInstance(toNodeId));
    }

    @Override
    public void addSubscriber(MessageSubject subject, ClusterMessageHandler subscriber,
                              ExecutorService executor) {
        // Nothing arrives from other instances.
    }

    @Override
    public <M, R> void addSubscriber(MessageSubject subject, Function<byte[], M> decoder,
                                     Function<M, R> handler, Function<R, byte[]> encoder,
                                     Executor executor) {
    }

    @Override
    public <M, R> void addSubscriber(MessageSubject subject, Function<byte[], M> decoder,
                                     Function<M, CompletableFuture<R>> handler,
                                     Function<R, byte[]> encoder) {
    }

    @Override
    public <M> void addSubscriber(MessageSubject subject, Function<byte[], M> decoder,
                                  Consumer<M> handler, Executor executor) {
    }

    @Override
    public void removeSubscriber(MessageSubject subject) {
    }

    private static IllegalStateException noOtherInstance(NodeId nodeId) {
        return new IllegalStateException("a cluster of one has no instance " + nodeId);
    }
}
