package org.onosbfd.rest;

import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/** {@code /onos/bfd/openapi.json}: the OpenAPI 3 description of this API. */
@Path("openapi.json")
public class OpenApiResource {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi.json")) {
            return Response.ok(in.readAllBytes(), MediaType.APPLICATION_JSON_TYPE).build();
        }
    }
}
