package org.onosbfd.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.codec.BfdJson;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The base of every resource, after ONOS's AbstractWebResource: the service (tracked in the
 * OSGi registry) and JSON responses in the API's one JSON form. Changes are checked before
 * they reach a resource ({@link ChangeGuard}).
 */
abstract class BfdResource {
    private final Supplier<BfdService> service;

    /** As Jersey creates it: the service is the one in the OSGi registry. */
    BfdResource() {
        this(() -> Services.TRACKER == null ? null : Services.TRACKER.getService());
    }

    /** With the service given (null when it is not running): tests. */
    BfdResource(Supplier<BfdService> service) {
        this.service = service;
    }

    BfdService bfd() {
        BfdService service = this.service.get();
        if (service == null) {
            throw new WebApplicationException(error(Response.Status.SERVICE_UNAVAILABLE, null,
                    "the BFD service is not running"));
        }
        return service;
    }

    /**
     * One tracker for the bundle's life: a lookup per request through getService would raise
     * the service's use count every time and never lower it.
     */
    private static final class Services {
        static final ServiceTracker<BfdService, BfdService> TRACKER = open();

        private static ServiceTracker<BfdService, BfdService> open() {
            Bundle bundle = FrameworkUtil.getBundle(BfdResource.class);
            BundleContext context = bundle == null ? null : bundle.getBundleContext();
            if (context == null) {
                return null;
            }
            ServiceTracker<BfdService, BfdService> tracker =
                    new ServiceTracker<>(context, BfdService.class, null);
            tracker.open();
            return tracker;
        }
    }

    static Response ok(JsonNode node) {
        return Response.ok(BfdJson.print(node), MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response error(Response.Status status, String field, String message) {
        com.fasterxml.jackson.databind.node.ObjectNode body = BfdJson.mapper().createObjectNode();
        body.put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(BfdJson.print(body)).build();
    }

    /** A path id: a non-negative integer, else a 400 that says so. */
    static long id(String name, String text) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw BfdException.invalid(name, text, "a non-negative integer");
    }
}
