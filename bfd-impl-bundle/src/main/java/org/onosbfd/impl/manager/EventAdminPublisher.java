package org.onosbfd.impl.manager;

import java.util.HashMap;
import java.util.Map;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;

/**
 * Publishes every session event on the OSGi EventAdmin, for consumers that know neither ONOS
 * nor this API: topic {@value #TOPIC_PREFIX}{@code SESSION_ADDED | STATE_CHANGED |
 * PEER_DIAGNOSTIC_CHANGED | SESSION_REMOVED}, with the session's id, path and states as properties (all strings, numbers
 * and booleans, as EventAdmin handlers in any bundle can read them). Posted asynchronously.
 *
 * <p>Enabled by {@link BfdManager} when an EventAdmin implementation is installed (Karaf's
 * {@code eventadmin} feature; the import is optional, so that installing BFD never drags it in
 * and refreshes the framework's bundles).
 */
@Component(name = EventAdminPublisher.NAME, immediate = true, enabled = false)
public class EventAdminPublisher implements BfdListener {
    /**
     * The component's name (its class's), for the manager to enable it: a constant, so that
     * naming it loads no class of the optional API.
     */
    public static final String NAME = "org.onosbfd.impl.manager.EventAdminPublisher";
    /** A class of the API it needs: it is enabled only when that API is wired in. */
    public static final String NEEDS = "org.osgi.service.event.EventAdmin";

    /** Topics are this prefix and the {@link BfdEvent.Type} name. */
    public static final String TOPIC_PREFIX = "org/onosbfd/session/";

    @Reference
    private BfdService bfdService;

    @Reference
    private EventAdmin eventAdmin;

    @Activate
    void activate() {
        bfdService.addListener(this);
    }

    @Deactivate
    void deactivate() {
        bfdService.removeListener(this);
    }

    @Override
    public void event(BfdEvent event) {
        eventAdmin.postEvent(toOsgiEvent(event));
    }

    /** The OSGi event for a BFD event. */
    static Event toOsgiEvent(BfdEvent event) {
        BfdPath path = event.session().config().path();
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventConstants.TIMESTAMP, event.time().toEpochMilli());
        properties.put("id", event.session().id());
        properties.put("peer", AddressText.of(path.peerAddress()));
        if (path.localAddress() != null) {
            properties.put("local", AddressText.of(path.localAddress()));
        }
        if (path.interfaceName() != null) {
            properties.put("interface", path.interfaceName());
        }
        properties.put("multihop", path.isMultihop());
        properties.put("state", event.state().name());
        properties.put("previousState", event.previousState().name());
        properties.put("diagnostic", event.diagnostic().name());
        properties.put("remoteState", event.session().remoteState().name());
        return new Event(TOPIC_PREFIX + event.type().name(), properties);
    }
}
