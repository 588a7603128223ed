package org.onosbfd.impl.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.onosbfd.impl.punt.PuntedController.address;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdPath;
import org.onosbfd.impl.core.SessionHandover;
import org.onosproject.store.service.TestStorageService;

/** Handover records through ONOS's storage service (onos-api's test implementation). */
class OnosHandoverStoreTest {
    @Test
    void recordsArePutReadAndRemovedByPath() throws ReflectiveOperationException {
        OnosHandoverStore store = new OnosHandoverStore();
        Field storage = OnosHandoverStore.class.getDeclaredField("storageService");
        storage.setAccessible(true);
        storage.set(store, new TestStorageService());
        store.activate();
        BfdPath path = new BfdPath(address("10.0.0.2"), address("10.0.0.1"),
                "of:0000000000000001/1", false);
        BfdPath other = new BfdPath(address("10.0.0.2"), address("10.0.0.1"),
                "of:0000000000000002/1", false);
        SessionHandover record = SessionHandover.decode("ld=1 rd=2 state=UP remoteState=UP"
                + " remoteMinRx=50000 remoteMinTx=50000 remoteMinEchoRx=0 remoteMult=3"
                + " remoteDemand=false ackTx=50000 ackRx=50000 txSeq=7 rxSeq=9 seqKnown=true");
        store.put(path, record);
        assertEquals(record.encode(), store.get(path).encode());
        assertNull(store.get(other));
        store.remove(path);
        assertNull(store.get(path));
        store.deactivate();
    }
}
