package org.onosbfd.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.codec.BfdJson;

/** Sessions: {@code /onos/bfd/sessions}. */
@Path("sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource extends BfdResource {
    public SessionsResource() {
    }

    SessionsResource(Supplier<BfdService> service) {
        super(service);
    }


    @Context
    UriInfo uri;

    @GET
    public Response list() {
        return ok(BfdJson.list("sessions",
                bfd().sessions().stream().map(BfdJson::encode).collect(Collectors.toList())));
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return ok(BfdJson.encode(session(id)));
    }

    /**
     * Creates a session: 201 with its Location and representation. A body
     * {@code {"sessions": [...]}} creates them all or none (bulk provisioning): 201 with
     * {@code {"sessions": [...]}} as created; errors name {@code sessions[i].field}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        JsonNode json = BfdJson.parse(body);
        if (json.has("sessions") && json.size() == 1) {
            return createAll(json.get("sessions"));
        }
        BfdSession session = bfd().addSession(BfdJson.decodeConfig(json, null));
        URI location = uri.getAbsolutePathBuilder().path(Long.toString(session.id())).build();
        return Response.created(location).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(BfdJson.print(BfdJson.encode(session))).build();
    }

    private Response createAll(JsonNode items) {
        if (!items.isArray()) {
            throw BfdException.invalid("sessions", items, "an array of sessions");
        }
        List<BfdSessionConfig> configs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                configs.add(BfdJson.decodeConfig(items.get(i), null));
            } catch (BfdException e) {
                throw new BfdException(e.kind(), "sessions[" + i + "]." + e.field(),
                        e.getMessage());
            }
        }
        List<JsonNode> created = bfd().addSessions(configs).stream().map(BfdJson::encode)
                .collect(Collectors.toList());
        return Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(BfdJson.print(BfdJson.list("sessions", created))).build();
    }

    /** Changes the fields given (a live session through a Poll Sequence: no flap). */
    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response patch(@PathParam("id") String id, String body) {
        BfdSession session = session(id);
        BfdSessionConfig config = BfdJson.decodeConfig(BfdJson.parse(body), session.config());
        return ok(BfdJson.encode(bfd().modifySession(session.id(), config)));
    }

    /** Replaces the configuration: fields left out take their defaults. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, String body) {
        BfdSession session = session(id);
        BfdSessionConfig config = BfdJson.decodeConfig(BfdJson.parse(body), null);
        return ok(BfdJson.encode(bfd().modifySession(session.id(), config)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        bfd().removeSession(session(id).id());
        return Response.noContent().build();
    }

    /** AdminDown (RFC 5880 §6.8.16). */
    @POST
    @Path("{id}/admin-down")
    public Response adminDown(@PathParam("id") String id) {
        return ok(BfdJson.encode(bfd().setAdminDown(session(id).id(), true)));
    }

    @POST
    @Path("{id}/admin-up")
    public Response adminUp(@PathParam("id") String id) {
        return ok(BfdJson.encode(bfd().setAdminDown(session(id).id(), false)));
    }

    /** Clears the session's counters and timing figures: 204. */
    @POST
    @Path("{id}/clear-counters")
    public Response clearCounters(@PathParam("id") String id) {
        bfd().clearCounters(session(id).id());
        return Response.noContent().build();
    }

    private BfdSession session(String id) {
        return bfd().session(id("id", id)).orElseThrow(() -> BfdException.notFound("id", id));
    }
}
