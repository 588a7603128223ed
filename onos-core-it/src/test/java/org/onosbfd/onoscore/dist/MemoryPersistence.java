package org.onosbfd.onoscore.dist;

import org.onosproject.persistence.PersistenceService;
import org.onosproject.store.persistence.TestPersistenceService;
import org.osgi.service.component.annotations.Component;

/**
 * Persistent maps and sets kept in memory: ONOS's own {@code TestPersistenceService} from
 * onos-api's test jar, in place of onos-core-persistence (MapDB files, not published). With it
 * the real Atomix-backed {@code StorageManager} and {@code CoordinationManager} of
 * onos-core-primitives start, and through them ONOS's {@code UpgradeManager}.
 */
@Component(service = PersistenceService.class)
public final class MemoryPersistence extends TestPersistenceService {
}
