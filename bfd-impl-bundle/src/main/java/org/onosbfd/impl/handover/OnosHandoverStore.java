package org.onosbfd.impl.handover;

import org.onlab.util.KryoNamespace;
import org.onosbfd.api.BfdPath;
import org.onosbfd.impl.core.SessionHandover;
import org.onosproject.store.service.EventuallyConsistentMap;
import org.onosproject.store.service.StorageService;
import org.onosproject.store.service.WallClockTimestamp;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session handover records in ONOS's distributed store, so that the instance that becomes a
 * device's master continues the sessions at its ports (see
 * {@link SessionHandover}). An eventually consistent map: writes are local and gossiped, so the
 * BFD event loop never waits for the cluster, and the newest write wins. Records travel as
 * {@link SessionHandover#encode() one line of text}, which every ONOS version's serializer
 * carries. Enabled, like the punted transport, only inside ONOS.
 */
@Component(name = OnosHandoverStore.NAME, immediate = true, enabled = false,
        service = HandoverStore.class)
public class OnosHandoverStore implements HandoverStore {
    /**
     * The component's name (its class's), for the manager to enable it: a constant, so that
     * naming it loads no class of the optional API.
     */
    public static final String NAME = "org.onosbfd.impl.handover.OnosHandoverStore";
    /** A class of the API it needs: it is enabled only when that API is wired in. */
    public static final String NEEDS = "org.onosproject.store.service.StorageService";

    private static final Logger log = LoggerFactory.getLogger(OnosHandoverStore.class);

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
    public SessionHandover get(BfdPath path) {
        String text = records.get(path.toString());
        if (text == null) {
            return null;
        }
        try {
            return SessionHandover.decode(text);
        } catch (IllegalArgumentException e) {
            // Written by another version, or damaged: the session starts afresh instead.
            log.warn("BFD session {}: ignoring its handover record: {}", path, e.getMessage());
            return null;
        }
    }

    @Override
    public void put(BfdPath path, SessionHandover record) {
        records.put(path.toString(), record.encode());
    }

    @Override
    public void remove(BfdPath path) {
        records.remove(path.toString());
    }
}
