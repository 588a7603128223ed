package org.onosbfd.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * What every change (POST, PUT, PATCH, DELETE) must pass before its body is read:
 * <ul>
 *   <li>the admin role: a viewer is refused without the server reading what it sent;</li>
 *   <li>a request no browser form can make (CSRF): a JSON content type, or an
 *       {@value #REQUESTED_BY} header for the changes without a body. A page on another site
 *       can make a browser holding cached BASIC credentials post a form, but not with either
 *       (both need a CORS preflight, which this API never grants);</li>
 *   <li>a body of at most {@value #MAX_BODY_BYTES} bytes (413 otherwise), read here so that no
 *       request holds more than that in memory: 10,000 sessions in one bulk POST fit.</li>
 * </ul>
 * Refusals are the API's JSON errors. It runs before Jersey matches the request to a resource,
 * so that a form post is refused as such, not as an unsupported media type.
 */
@PreMatching
public class ChangeGuard implements ContainerRequestFilter {
    static final String REQUESTED_BY = "X-Requested-By";
    static final int MAX_BODY_BYTES = 8 << 20;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (READS.contains(request.getMethod())
                || request.getUriInfo().getPath().equals(UnauthorizedPage.PATH)) {
            return; // a read, or the body of a refused login (any method) that changes nothing
        }
        if (!request.getSecurityContext().isUserInRole("admin")) {
            request.abortWith(BfdResource.error(Response.Status.FORBIDDEN, null,
                    "changes need the admin role"));
            return;
        }
        MediaType type = request.getMediaType();
        boolean json = type != null && "application".equalsIgnoreCase(type.getType())
                && "json".equalsIgnoreCase(type.getSubtype());
        if (!json && request.getHeaderString(REQUESTED_BY) == null) {
            request.abortWith(BfdResource.error(Response.Status.FORBIDDEN, null,
                    "a change must be sent with Content-Type: application/json, or with an "
                            + REQUESTED_BY + " header when it has no body (protection "
                            + "against cross-site requests)"));
            return;
        }
        if (request.hasEntity()) {
            byte[] body = readAtMost(request.getEntityStream(), MAX_BODY_BYTES);
            if (body == null) {
                request.abortWith(BfdResource.error(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "body", "body: larger than " + MAX_BODY_BYTES + " bytes; send "
                                + "sessions in several requests"));
                return;
            }
            request.setEntityStream(new ByteArrayInputStream(body));
        }
    }

    /** The stream's bytes, or null as soon as there are more than {@code limit}. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }
}
