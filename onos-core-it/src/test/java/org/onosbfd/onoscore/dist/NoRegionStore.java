package org.onosbfd.onoscore.dist;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.onosproject.cluster.NodeId;
import org.onosproject.net.Annotations;
import org.onosproject.net.DeviceId;
import org.onosproject.net.region.Region;
import org.onosproject.net.region.RegionEvent;
import org.onosproject.net.region.RegionId;
import org.onosproject.net.region.RegionStore;
import org.onosproject.net.region.RegionStoreDelegate;
import org.onosproject.store.AbstractStore;
import org.osgi.service.component.annotations.Component;

/**
 * A network without regions, as a single instance with no region configuration has: every
 * query answers "none", and creating one is refused rather than silently forgotten.
 */
@Component(service = RegionStore.class)
public final class NoRegionStore extends AbstractStore<RegionEvent, RegionStoreDelegate>
        implements RegionStore {
    @Override
    public Set<Region> getRegions() {
        return Set.of();
    }

    @Override
    public Region getRegion(RegionId regionId) {
        return null;
    }

    @Override
    public Region getRegionForDevice(DeviceId deviceId) {
        return null;
    }

    @Override
    public Set<DeviceId> getRegionDevices(RegionId regionId) {
        return Set.of();
    }

    @Override
    public Region createRegion(RegionId regionId, String name, Region.Type type,
                               Annotations annotations, List<Set<NodeId>> masterNodeIds) {
        throw new UnsupportedOperationException("regions are not kept by this test core");
    }

    @Override
    public Region updateRegion(RegionId regionId, String name, Region.Type type,
                               Annotations annotations, List<Set<NodeId>> masterNodeIds) {
        throw new UnsupportedOperationException("regions are not kept by this test core");
    }

    @Override
    public void removeRegion(RegionId regionId) {
    }

    @Override
    public void addDevices(RegionId regionId, Collection<DeviceId> deviceIds) {
        throw new UnsupportedOperationException("regions are not kept by this test core");
    }

    @Override
    public void removeDevices(RegionId regionId, Collection<DeviceId> deviceIds) {
    }
}
