package org.onosbfd.onoscore.dist;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.onosproject.net.DeviceId;
import org.onosproject.net.pi.model.PiPipeconfId;
import org.onosproject.net.pi.service.PiPipeconfDeviceMappingEvent;
import org.onosproject.net.pi.service.PiPipeconfMappingStore;
import org.onosproject.net.pi.service.PiPipeconfMappingStoreDelegate;
import org.onosproject.store.AbstractStore;
import org.osgi.service.component.annotations.Component;

/** Which pipeconf each device runs, in memory (the test switches run none). */
@Component(service = PiPipeconfMappingStore.class)
public final class MemoryPipeconfMappingStore
        extends AbstractStore<PiPipeconfDeviceMappingEvent, PiPipeconfMappingStoreDelegate>
        implements PiPipeconfMappingStore {
    private final Map<DeviceId, PiPipeconfId> bindings = new ConcurrentHashMap<>();

    @Override
    public PiPipeconfId getPipeconfId(DeviceId deviceId) {
        return bindings.get(deviceId);
    }

    @Override
    public Set<DeviceId> getDevices(PiPipeconfId pipeconfId) {
        return bindings.entrySet().stream().filter(e -> e.getValue().equals(pipeconfId))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Override
    public void createOrUpdateBinding(DeviceId deviceId, PiPipeconfId pipeconfId) {
        bindings.put(deviceId, pipeconfId);
    }

    @Override
    public void removeBinding(DeviceId deviceId) {
        bindings.remove(deviceId);
    }
}
