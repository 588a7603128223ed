package org.onosbfd.onoscore.dist;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.onosproject.cluster.NodeId;
import org.onosproject.net.intent.Intent;
import org.onosproject.net.intent.IntentData;
import org.onosproject.net.intent.IntentEvent;
import org.onosproject.net.intent.IntentState;
import org.onosproject.net.intent.IntentStore;
import org.onosproject.net.intent.IntentStoreDelegate;
import org.onosproject.net.intent.Key;
import org.onosproject.store.AbstractStore;
import org.onosproject.store.service.WallClockTimestamp;
import org.osgi.service.component.annotations.Component;

/**
 * The intent store of one instance. ONOS 2.5's trivial {@code SimpleIntentStore} loses the
 * INSTALLED state (it updates the current data only while a pending entry exists, and the
 * INSTALLING write already cleared it), so intents never settle; this store follows
 * {@code GossipIntentStore} instead: every acceptable write updates the current data, and
 * clears the pending entry it answers. Test-only.
 */
@Component(service = IntentStore.class)
public final class SingleInstanceIntentStore extends AbstractStore<IntentEvent, IntentStoreDelegate>
        implements IntentStore {
    private static final NodeId LOCAL = NodeId.nodeId("local");
    private final Map<Key, IntentData> current = new ConcurrentHashMap<>();
    private final Map<Key, IntentData> pending = new ConcurrentHashMap<>();

    @Override
    public long getIntentCount() {
        return current.size();
    }

    @Override
    public Iterable<Intent> getIntents() {
        return current.values().stream().map(IntentData::intent).collect(Collectors.toList());
    }

    @Override
    public Iterable<IntentData> getIntentData(boolean localOnly, long olderThan) {
        return olderThan(current, olderThan);
    }

    @Override
    public IntentState getIntentState(Key intentKey) {
        IntentData data = current.get(intentKey);
        return data == null ? null : data.state();
    }

    @Override
    public List<Intent> getInstallableIntents(Key intentKey) {
        IntentData data = current.get(intentKey);
        return data == null ? null : data.installables();
    }

    @Override
    public synchronized void write(IntentData newData) {
        Key key = newData.key();
        if (!IntentData.isUpdateAcceptable(current.get(key), newData)) {
            return;
        }
        if (newData.state() == IntentState.PURGE_REQ) {
            current.remove(key);
        } else {
            current.put(key, IntentData.copy(newData));
        }
        IntentData waiting = pending.get(key);
        if (waiting != null && waiting.version().compareTo(newData.version()) <= 0) {
            pending.remove(key);
        }
        IntentEvent.getEvent(newData).ifPresent(this::notifyDelegate);
    }

    @Override
    public void batchWrite(Iterable<IntentData> updates) {
        updates.forEach(this::write);
    }

    @Override
    public Intent getIntent(Key key) {
        IntentData data = current.get(key);
        return data == null ? null : data.intent();
    }

    @Override
    public IntentData getIntentData(Key key) {
        IntentData data = current.get(key);
        return data == null ? null : IntentData.copy(data);
    }

    @Override
    public synchronized void addPending(IntentData data) {
        // Recompiled intents have a version already; new requests are stamped here.
        IntentData versioned = data.version() != null ? data
                : IntentData.assign(data, new WallClockTimestamp(), LOCAL);
        IntentData existing = pending.get(versioned.key());
        if (existing == null || existing.version().compareTo(versioned.version()) < 0) {
            pending.put(versioned.key(), versioned);
            delegate.process(IntentData.copy(versioned));
            IntentEvent.getEvent(versioned).ifPresent(this::notifyDelegate);
        }
    }

    @Override
    public boolean isMaster(Key intentKey) {
        return true;
    }

    @Override
    public Iterable<Intent> getPending() {
        return pending.values().stream().map(IntentData::intent).collect(Collectors.toList());
    }

    @Override
    public Iterable<IntentData> getPendingData() {
        return List.copyOf(pending.values());
    }

    @Override
    public IntentData getPendingData(Key intentKey) {
        return pending.get(intentKey);
    }

    @Override
    public Iterable<IntentData> getPendingData(boolean localOnly, long olderThan) {
        return olderThan(pending, olderThan);
    }

    private static List<IntentData> olderThan(Map<Key, IntentData> data, long olderThanMs) {
        WallClockTimestamp limit = new WallClockTimestamp(
                System.currentTimeMillis() - olderThanMs);
        return data.values().stream().filter(d -> d.version().isOlderThan(limit))
                .collect(Collectors.toList());
    }
}
