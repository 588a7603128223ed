package org.onosbfd.rest;

import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import javax.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error that is not a refusal ({@link ErrorMapper}) as the API's JSON error, never a
 * server page with internal paths or a stack trace: an unknown path or method keeps its status
 * (404, 405, 415...); a service that is stopping or stopped is 503; anything else is 500 with a
 * reference to the log line that has the details, and says that the client cannot know whether
 * a change was applied.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<RuntimeException> {
    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrorMapper.class);

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof WebApplicationException) {
            Response response = ((WebApplicationException) e).getResponse();
            if (response.hasEntity()) {
                return response;
            }
            Response.StatusType status = response.getStatusInfo();
            Response.Status known = Response.Status.fromStatusCode(status.getStatusCode());
            return BfdResource.error(known != null ? known : Response.Status.BAD_REQUEST, null,
                    status.getReasonPhrase());
        }
        if (e instanceof IllegalStateException) {
            // The event loop refuses calls once the service stops (or failed fatally).
            return BfdResource.error(Response.Status.SERVICE_UNAVAILABLE, null,
                    "the BFD service is not available: " + e.getMessage());
        }
        String reference = UUID.randomUUID().toString();
        log.error("BFD REST: unexpected failure, reference {}", reference, e);
        return BfdResource.error(Response.Status.INTERNAL_SERVER_ERROR, null,
                "unexpected failure (reference " + reference + " in the log); whether a change "
                        + "was applied is unknown: read the resource again");
    }
}
