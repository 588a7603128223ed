package org.onosbfd.rest;

import java.net.URI;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.codec.BfdJson;

/** Authentication keys: {@code /onos/bfd/keys}. Secrets go in and never come out. */
@Path("keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource extends BfdResource {
    public KeysResource() {
    }

    KeysResource(Supplier<BfdService> service) {
        super(service);
    }


    @Context
    UriInfo uri;

    @GET
    public Response list() {
        return ok(BfdJson.list("keys",
                bfd().keys().stream().map(BfdJson::encode).collect(Collectors.toList())));
    }

    /** Adds a key or replaces an unused one: 201 with its Location, the secret left out. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response set(String body) {
        BfdAuthKey key = BfdJson.decodeKey(BfdJson.parse(body));
        bfd().setKey(key);
        BfdKeyInfo info = bfd().keys().stream().filter(k -> k.id() == key.id()).findFirst()
                .orElseThrow();
        URI location = uri.getAbsolutePathBuilder().path(Long.toString(key.id())).build();
        return Response.created(location).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(BfdJson.print(BfdJson.encode(info))).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        bfd().removeKey(id("keyId", id));
        return Response.noContent().build();
    }
}
