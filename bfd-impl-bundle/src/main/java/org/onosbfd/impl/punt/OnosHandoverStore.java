package org.onosbfd.impl.punt;

import org.onlab.util.KryoNamespace;
import org.onosbfd.api.BfdPath;
import org.onosbfd.impl.manager.HandoverStore;
import org.onosproject.store.service.EventuallyConsistentMap;
import org.onosproject.store.service.StorageService;
import org.onosproject.store.service.WallClockTimestamp;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Session handover records in ONOS's distributed store, so that the instance that becomes a
 * device's master continues the sessions at its ports (see
 * {@link org.onosbfd.impl.core.SessionHandover}). An eventually consistent map: writes are
 * local and gossiped, so the BFD event loop never waits for the cluster, and the newest write
 * wins. Enabled, like the punted transport, only inside ONOS.
 */
@Component(immediate = true, enabled = false, service = HandoverStore.class)
public class OnosHandoverStore implements HandoverStore {

    @Reference
    private StorageService storageService;

    private EventuallyConsistentMap<String, String> records;

    @Activate
    void activate() {
        records = storageService.<String, String>eventuallyConsistentMapBuilder()
                .withName("onosbfd-session-handover")
                .withSerializer(KryoNamespace.newBuilder().register(String.class))
                .withTimestampProvider((path, record) -> new WallClockTimestamp())
                .build();
    }

    @Deactivate
    void deactivate() {
        records.destroy();
    }

    @Override
    public String get(BfdPath path) {
        return records.get(path.toString());
    }

    @Override
    public void put(BfdPath path, String record) {
        records.put(path.toString(), record);
    }

    @Override
    public void remove(BfdPath path) {
        records.remove(path.toString());
    }
}
