package org.onosbfd.rest;

import java.util.function.Supplier;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.codec.BfdJson;

/** {@code /onos/bfd/stats}: sessions by state and counters over every packet. */
@Path("stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource extends BfdResource {
    public StatsResource() {
    }

    StatsResource(Supplier<BfdService> service) {
        super(service);
    }

    @GET
    public Response stats() {
        return ok(BfdJson.encode(bfd().statistics()));
    }

    /** Clears the BFD counters of every session and the totals: 204. */
    @POST
    @Path("clear-counters")
    public Response clearCounters() {
        bfd().clearCounters();
        return Response.noContent().build();
    }
}
