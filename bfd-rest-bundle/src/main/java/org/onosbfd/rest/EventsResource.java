package org.onosbfd.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.codec.BfdJson;

/**
 * {@code /onos/bfd/events}: every session event as it happens, as Server-Sent Events
 * ({@code event: STATE_CHANGED}, {@code data: {...}}) that a plain HTTP client can follow:
 * {@code curl -N -u karaf:karaf http://host:8181/onos/bfd/events}. A comment line every
 * {@value #HEARTBEAT_SECONDS} s keeps proxies open and notices clients that went away.
 */
@Path("events")
public class EventsResource extends BfdResource {
    public EventsResource() {
    }

    EventsResource(Supplier<BfdService> service) {
        super(service);
    }

    static final int HEARTBEAT_SECONDS = 15;
    /**
     * Events a slow client may lag behind before it is told so and dropped (each holds a
     * session snapshot: about a megabyte per client at most).
     */
    private static final int BACKLOG = 1_000;
    /** Streams open at once: each holds a server thread for as long as it is followed. */
    static final int MAX_CLIENTS = 16;
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @GET
    @Produces("text/event-stream")
    public Response events() {
        BfdService service = bfd();
        if (CLIENTS.incrementAndGet() > MAX_CLIENTS) {
            CLIENTS.decrementAndGet();
            return error(Response.Status.SERVICE_UNAVAILABLE, null, "already " + MAX_CLIENTS
                    + " event-stream clients, the most served at once; retry when one closes");
        }
        BlockingQueue<BfdEvent> queue = new LinkedBlockingQueue<>(BACKLOG);
        // Set on the service's event thread, read by the streaming thread.
        AtomicBoolean overflow = new AtomicBoolean();
        BfdListener listener = event -> {
            if (!queue.offer(event)) {
                overflow.set(true);
            }
        };
        StreamingOutput stream = out -> {
            try {
                service.addListener(listener);
                write(out, ": BFD events\n\n");
                while (!overflow.get()) {
                    BfdEvent event = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                    write(out, event == null ? ": heartbeat\n\n"
                            : "event: " + event.type() + "\ndata: "
                            + BfdJson.mapper().valueToTree(BfdJson.encode(event)) + "\n\n");
                }
                write(out, "event: OVERFLOW\ndata: {\"error\": \"the client fell more than "
                        + BACKLOG + " events behind\"}\n\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                service.removeListener(listener);
                CLIENTS.decrementAndGet();
            }
        };
        return Response.ok(stream, "text/event-stream").header("Cache-Control", "no-cache")
                .build();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
