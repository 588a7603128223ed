package org.onosbfd.rest;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import javax.ws.rs.ext.Provider;
import org.onosbfd.api.BfdException;

/**
 * A refused request: 400 (invalid), 404 (not found), 409 (conflict) or 503 (not saved, so not
 * applied), with the field named.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<BfdException> {
    @Override
    public Response toResponse(BfdException e) {
        Response.Status status;
        switch (e.kind()) {
            case NOT_FOUND:
                status = Response.Status.NOT_FOUND;
                break;
            case CONFLICT:
                status = Response.Status.CONFLICT;
                break;
            case UNAVAILABLE:
                status = Response.Status.SERVICE_UNAVAILABLE;
                break;
            default:
                status = Response.Status.BAD_REQUEST;
                break;
        }
        return BfdResource.error(status, e.field(), e.getMessage());
    }
}
