package org.onosbfd.assembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** A small HTTP client for the REST API under test. */
final class Rest {
    final String base;
    private final String authorization;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10)).build();

    Rest(int port, String user, String password) {
        this(port, "/onos/bfd", user, password);
    }

    /** A client of another REST API of the same server, ONOS's own at /onos/v1 for one. */
    Rest(int port, String contextPath, String user, String password) {
        this.base = "http://127.0.0.1:" + port + contextPath;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A request as a well-behaved client sends it: a body as JSON, a change without a body with
     * an X-Requested-By header (the API refuses changes a browser form could make).
     */
    HttpResponse<String> send(String method, String path, String body) {
        if (body != null) {
            return send(method, path, body, "Content-Type", "application/json");
        }
        return method.equals("GET") ? send(method, path, null, new String[0])
                : send(method, path, null, "X-Requested-By", "bfd-tests");
    }

    /**
     * Polls {@code GET path} until it answers 200 within the time (refused connections count as
     * not yet: the web server may still be starting); returns that answer.
     */
    HttpResponse<String> awaitOk(String path, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = send("GET", path, null);
                if (response.statusCode() == 200) {
                    return response;
                }
                last = response.statusCode() + ": " + response.body();
            } catch (UncheckedIOException e) {
                last = e.getCause().toString();
            }
        }
        throw new AssertionError("GET " + base + path + " never answered 200; last " + last);
    }

    /** A request with exactly these headers (name, value, ...) besides the credentials. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return exchange(request);
    }

    /** POSTs a file as the body, as a client uploading an archive does; no time limit. */
    HttpResponse<String> upload(String path, Path file, String contentType) throws IOException {
        return exchange(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens the event stream; lines arrive on the returned stream as events happen. */
    java.io.InputStream events() throws IOException, InterruptedException {
        return eventStream().body();
    }

    /** The event stream's response: its status at once, its body as events happen. */
    HttpResponse<java.io.InputStream> eventStream() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/events"))
                .header("Authorization", authorization).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
