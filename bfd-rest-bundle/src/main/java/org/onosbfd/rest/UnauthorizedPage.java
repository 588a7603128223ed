package org.onosbfd.rest;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Response;

/**
 * The body of a 401 (web.xml names {@value #PATH} as the error page of the container's BASIC
 * authentication): the API's JSON error instead of the container's HTML page, whatever the
 * method of the request that was refused.
 */
@PreMatching
public class UnauthorizedPage implements ContainerRequestFilter {
    static final String PATH = "errors/unauthorized";

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().equals(PATH)) {
            request.abortWith(Response.fromResponse(BfdResource.error(
                    Response.Status.UNAUTHORIZED, null,
                    "credentials needed: HTTP BASIC with a user of the karaf realm"))
                    .header("WWW-Authenticate", "Basic realm=\"karaf\"").build());
        }
    }
}
