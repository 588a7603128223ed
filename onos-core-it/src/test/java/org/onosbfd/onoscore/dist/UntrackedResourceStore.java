package org.onosbfd.onoscore.dist;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.onosproject.net.resource.DiscreteResourceId;
import org.onosproject.net.resource.Resource;
import org.onosproject.net.resource.ResourceAllocation;
import org.onosproject.net.resource.ResourceConsumer;
import org.onosproject.net.resource.ResourceEvent;
import org.onosproject.net.resource.ResourceId;
import org.onosproject.net.resource.ResourceStore;
import org.onosproject.net.resource.ResourceStoreDelegate;
import org.onosproject.store.AbstractStore;
import org.osgi.service.component.annotations.Component;

/**
 * Resources not tracked: every resource is available and every allocation succeeds, as for
 * intents without bandwidth or label constraints (the only ones these tests install).
 */
@Component(service = ResourceStore.class)
public final class UntrackedResourceStore extends AbstractStore<ResourceEvent, ResourceStoreDelegate>
        implements ResourceStore {
    @Override
    public boolean register(List<? extends Resource> resources) {
        return true;
    }

    @Override
    public boolean unregister(List<? extends ResourceId> ids) {
        return true;
    }

    @Override
    public boolean allocate(List<? extends Resource> resources, ResourceConsumer consumer) {
        return true;
    }

    @Override
    public boolean release(List<ResourceAllocation> allocations) {
        return true;
    }

    @Override
    public List<ResourceAllocation> getResourceAllocations(ResourceId id) {
        return List.of();
    }

    @Override
    public boolean isAvailable(Resource resource) {
        return true;
    }

    @Override
    public Collection<Resource> getResources(ResourceConsumer consumer) {
        return List.of();
    }

    @Override
    public Set<Resource> getChildResources(DiscreteResourceId parent) {
        return Set.of();
    }

    @Override
    public <T> Set<Resource> getChildResources(DiscreteResourceId parent, Class<T> cls) {
        return Set.of();
    }

    @Override
    public <T> Collection<Resource> getAllocatedResources(DiscreteResourceId parent,
                                                          Class<T> cls) {
        return List.of();
    }
}
