package org.onosbfd.onoscore.dist;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.onosproject.net.behaviour.NextGroup;
import org.onosproject.net.flowobjective.FlowObjectiveStore;
import org.onosproject.net.flowobjective.FlowObjectiveStoreDelegate;
import org.onosproject.net.flowobjective.ObjectiveEvent;
import org.onosproject.store.AbstractStore;
import org.osgi.service.component.annotations.Component;

/** The next-objective groups of one instance, in memory, with ids allocated from 1. */
@Component(service = FlowObjectiveStore.class)
public final class MemoryFlowObjectiveStore
        extends AbstractStore<ObjectiveEvent, FlowObjectiveStoreDelegate>
        implements FlowObjectiveStore {
    private final Map<Integer, NextGroup> groups = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();

    @Override
    public void putNextGroup(Integer nextId, NextGroup group) {
        groups.put(nextId, group);
    }

    @Override
    public NextGroup getNextGroup(Integer nextId) {
        return groups.get(nextId);
    }

    @Override
    public NextGroup removeNextGroup(Integer nextId) {
        return groups.remove(nextId);
    }

    @Override
    public Map<Integer, NextGroup> getAllGroups() {
        return Map.copyOf(groups);
    }

    @Override
    public int allocateNextId() {
        return nextId.incrementAndGet();
    }
}
