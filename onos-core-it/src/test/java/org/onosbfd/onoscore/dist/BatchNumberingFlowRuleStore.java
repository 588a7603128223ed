package org.onosbfd.onoscore.dist;

import java.util.HashSet;
import java.util.Set;
import org.onosproject.net.flow.FlowRuleStore;
import org.onosproject.net.flow.oldbatch.FlowRuleBatchEntry;
import org.onosproject.net.flow.oldbatch.FlowRuleBatchEvent;
import org.onosproject.net.flow.oldbatch.FlowRuleBatchOperation;
import org.onosproject.net.flow.oldbatch.FlowRuleBatchRequest;
import org.onosproject.store.trivial.SimpleFlowRuleStore;
import org.osgi.service.component.annotations.Component;

/**
 * ONOS 2.5's trivial flow rule store with one fix: it passes a batch to the device under the
 * batch's own id. {@code SimpleFlowRuleStore} numbers batches with a counter of its own, so the
 * device's completion never matches the {@code FlowRuleManager}'s pending operation and intents
 * stay INSTALLING. Test-only.
 */
@Component(service = FlowRuleStore.class)
public final class BatchNumberingFlowRuleStore extends SimpleFlowRuleStore {
    @Override
    public void storeBatch(FlowRuleBatchOperation operation) {
        Set<FlowRuleBatchEntry> entries = new HashSet<>();
        for (FlowRuleBatchEntry entry : operation.getOperations()) {
            if (entry.operator() == FlowRuleBatchEntry.FlowRuleOperation.REMOVE) {
                deleteFlowRule(entry.target());
            } else {
                storeFlowRule(entry.target());
            }
            entries.add(entry);
        }
        notifyDelegate(FlowRuleBatchEvent.requested(
                new FlowRuleBatchRequest(operation.id(), entries), operation.deviceId()));
    }
}
