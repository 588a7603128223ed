package org.onosbfd.rest;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

/**
 * The body of a 401 (web.xml names this as the error page of the container's BASIC
 * authentication): the API's JSON error instead of the container's HTML page, whatever the
 * method of the request that was refused.
 */
@Path(UnauthorizedResource.PATH)
public class UnauthorizedResource {
    static final String PATH = "errors/unauthorized";

    @GET
    public Response get() {
        return unauthorized();
    }

    @POST
    public Response post() {
        return unauthorized();
    }

    @PUT
    public Response put() {
        return unauthorized();
    }

    @PATCH
    public Response patch() {
        return unauthorized();
    }

    @DELETE
    public Response delete() {
        return unauthorized();
    }

    private static Response unauthorized() {
        return Response.fromResponse(BfdResource.error(Response.Status.UNAUTHORIZED, null,
                "credentials needed: HTTP BASIC with a user of the karaf realm"))
                .header("WWW-Authenticate", "Basic realm=\"karaf\"").build();
    }
}
