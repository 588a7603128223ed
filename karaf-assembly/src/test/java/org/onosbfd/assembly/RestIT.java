package org.onosbfd.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API of the real distribution, as orchestration drives it. */
class RestIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KarafInstance karaf;
    private static Rest rest;

    @BeforeAll
    static void boot() throws Exception {
        karaf = KarafInstance.start(Path.of(System.getProperty("bfd.assembly.dir")),
                Duration.ofSeconds(120));
        rest = new Rest(karaf.httpPort, "karaf", "karaf");
        rest.awaitOk("/sessions", Duration.ofSeconds(60));
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static JsonNode awaitSession(long id, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode session;
        while (!done.test(session = json(rest.send("GET", "/sessions/" + id, null)))) {
            assertTrue(System.nanoTime() < deadline, "never: " + session);
        }
        return session;
    }

    private static String config(String peer, String local) {
        return "{\"peerAddress\":\"" + peer + "\",\"localAddress\":\"" + local + "\","
                + "\"desiredMinTxInterval\":50000,\"requiredMinRxInterval\":50000}";
    }

    @Test
    void everyRequestNeedsCredentials() {
        Rest anonymous = new Rest(karaf.httpPort, null, null);
        Rest wrong = new Rest(karaf.httpPort, "karaf", "wrong");
        for (String path : new String[] {"/sessions", "/sessions/1", "/keys", "/stats", "/events",
            "/openapi.json"}) {
            assertEquals(401, anonymous.send("GET", path, null).statusCode(), path);
            HttpResponse<String> refused = wrong.send("GET", path, null);
            assertEquals(401, refused.statusCode(), path);
            assertTrue(json(refused).get("error").asText().contains("credentials"), path);
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("")
                    .startsWith("Basic"), path + " " + refused.headers());
        }
        // Unknown paths and methods answer in the same JSON form, never a server page.
        HttpResponse<String> unknown = rest.send("GET", "/nowhere", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).has("error"), unknown.body());
        HttpResponse<String> method = rest.send("PUT", "/stats", "{}");
        assertEquals(405, method.statusCode());
        assertTrue(json(method).has("error"), method.body());
        assertEquals(401, anonymous.send("POST", "/sessions", config("10.9.9.2", "10.9.9.1"))
                .statusCode());
    }

    @Test
    void aSessionPairComesUpChangesWithoutDownAndGoesAdminDownAtBothEnds() throws Exception {
        BufferedReader events = new BufferedReader(new InputStreamReader(rest.events(),
                StandardCharsets.UTF_8));
        HttpResponse<String> created = rest.send("POST", "/sessions",
                config("127.0.0.12", "127.0.0.11"));
        assertEquals(201, created.statusCode(), created.body());
        long a = json(created).get("id").asLong();
        assertEquals(rest.base + "/sessions/" + a,
                created.headers().firstValue("Location").orElseThrow());
        long b = json(rest.send("POST", "/sessions", config("127.0.0.11", "127.0.0.12")))
                .get("id").asLong();
        awaitSession(a, s -> s.get("state").asText().equals("UP"));
        awaitSession(b, s -> s.get("state").asText().equals("UP"));
        JsonNode list = json(rest.send("GET", "/sessions", null));
        assertTrue(list.get("sessions").size() >= 2);
        // The operator sees the same sessions in the shell, Up.
        String shell = karaf.run("bfd:sessions 127.0.0.0/8").output;
        assertEquals(2, shell.lines().filter(l -> l.contains("127.0.0.1") && l.contains(" Up "))
                .count(), shell);

        // The event stream saw them come Up.
        CompletableFuture<String> upEvent = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = events.readLine()) != null) {
                    if (line.startsWith("data:") && line.contains("\"state\":\"UP\"")) {
                        return line;
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        assertTrue(upEvent.get(20, TimeUnit.SECONDS).contains("STATE_CHANGED"));

        HttpResponse<String> patched = rest.send("PATCH", "/sessions/" + a,
                "{\"desiredMinTxInterval\":20000,\"requiredMinRxInterval\":30000}");
        assertEquals(200, patched.statusCode(), patched.body());
        JsonNode after = awaitSession(a, s -> !s.get("pollActive").asBoolean());
        assertEquals(20000, after.get("desiredMinTxInterval").asLong());
        assertEquals("UP", after.get("state").asText());
        assertEquals(0, after.get("counters").get("downTransitions").asLong(), "no flap");

        assertEquals(200, rest.send("POST", "/sessions/" + a + "/admin-down", null).statusCode());
        awaitSession(a, s -> s.get("state").asText().equals("ADMIN_DOWN"));
        JsonNode other = awaitSession(b, s -> s.get("remoteState").asText().equals("ADMIN_DOWN"));
        assertEquals("DOWN", other.get("state").asText());
        assertEquals(200, rest.send("POST", "/sessions/" + a + "/admin-up", null).statusCode());
        awaitSession(a, s -> s.get("state").asText().equals("UP"));

        assertEquals(204, rest.send("DELETE", "/sessions/" + a, null).statusCode());
        assertEquals(204, rest.send("DELETE", "/sessions/" + b, null).statusCode());
        assertEquals(404, rest.send("GET", "/sessions/" + a, null).statusCode());
    }

    @Test
    void badInputGetsItsStatusAndFieldAndChangesNothing() {
        HttpResponse<String> base = rest.send("POST", "/sessions", config("10.20.0.2", "10.20.0.1"));
        long id = json(base).get("id").asLong();
        String before = rest.send("GET", "/sessions/" + id, null).body()
                .replaceAll("\"(lastStateChange|counters|timing|txSequence)\"[^\\n]*", "");
        String[][] cases = {
            {"POST", "/sessions", "{not json", "400", "body"},
            {"POST", "/sessions", "{\"peerAddress\":\"10.20.0.3\",\"localAddress\":\"10.20.0.1\",\"speed\":9}", "400", "speed"},
            {"POST", "/sessions", "{\"peerAddress\":\"10.20.0.3\",\"localAddress\":\"10.20.0.1\",\"detectMultiplier\":\"3\"}", "400", "detectMultiplier"},
            {"POST", "/sessions", "{\"peerAddress\":\"10.20.0.3\",\"localAddress\":\"10.20.0.1\",\"desiredMinTxInterval\":5}", "400", "desiredMinTxInterval"},
            {"POST", "/sessions", "{\"peerAddress\":\"10.20.0.3\",\"localAddress\":\"fd00::1\"}", "400", "localAddress"},
            {"POST", "/sessions", "{\"peerAddress\":\"router7\",\"localAddress\":\"10.20.0.1\"}", "400", "peerAddress"},
            {"POST", "/sessions", config("10.20.0.2", "10.20.0.1"), "409", "peerAddress"},
            {"POST", "/sessions", "{\"peerAddress\":\"10.20.0.4\",\"localAddress\":\"10.20.0.1\",\"authentication\":{\"keyId\":404,\"bfdKeyId\":1}}", "404", "keyId"},
            {"PATCH", "/sessions/" + id, "{\"detectMultiplier\":256}", "400", "detectMultiplier"},
            {"PATCH", "/sessions/" + id, "{\"peerAddress\":\"10.20.0.9\"}", "400", "peerAddress"},
            {"PATCH", "/sessions/" + id, "{\"passive\":\"yes\"}", "400", "passive"},
            {"PATCH", "/sessions/999999", "{\"passive\":true}", "404", "id"},
            {"GET", "/sessions/abc", null, "400", "id"},
            {"POST", "/keys", "{\"id\":1,\"type\":\"rot13\",\"secret\":\"x\"}", "400", "type"},
            {"POST", "/keys", "{\"id\":1,\"type\":\"keyed-md5\",\"secret\":\"0123456789abcdefX\"}", "400", "secret"},
            {"DELETE", "/keys/31337", null, "404", "keyId"},
            {"POST", "/sessions", "{\"sessions\":[" + config("10.20.0.5", "10.20.0.1") + ","
                + config("10.20.0.2", "10.20.0.1") + "]}", "409", "sessions[1].peerAddress"},
            {"POST", "/sessions", "{\"sessions\":[" + config("10.20.0.5", "10.20.0.1")
                + ",{\"peerAddress\":\"10.20.0.6\",\"localAddress\":\"10.20.0.1\",\"speed\":9}]}",
                "400", "sessions[1].speed"},
            {"POST", "/sessions", "{\"sessions\":{}}", "400", "sessions"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = rest.send(c[0], c[1], c[2]);
            String what = c[0] + " " + c[1] + " " + c[2] + " -> " + response.body();
            assertEquals(Integer.parseInt(c[3]), response.statusCode(), what);
            JsonNode error = json(response);
            assertTrue(error.has("error"), what);
            assertEquals(c[4], error.get("field").asText(), what);
        }
        String after = rest.send("GET", "/sessions/" + id, null).body()
                .replaceAll("\"(lastStateChange|counters|timing|txSequence)\"[^\\n]*", "");
        assertEquals(before, after, "nothing changed");
        for (JsonNode session : json(rest.send("GET", "/sessions", null)).get("sessions")) {
            assertTrue(!session.get("peerAddress").asText().equals("10.20.0.5"),
                    "a refused batch left a session behind");
        }
        assertEquals(204, rest.send("DELETE", "/sessions/" + id, null).statusCode());

        // Bulk provisioning: all of them, in the order given.
        StringBuilder batch = new StringBuilder("{\"sessions\":[");
        for (int i = 1; i <= 50; i++) {
            batch.append(i > 1 ? "," : "").append(config("10.21.0." + i, "10.20.0.1"));
        }
        HttpResponse<String> created = rest.send("POST", "/sessions", batch.append("]}").toString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode sessions = json(created).get("sessions");
        assertEquals(50, sessions.size());
        assertEquals("10.21.0.50", sessions.get(49).get("peerAddress").asText());
        for (JsonNode session : sessions) {
            assertEquals(204, rest.send("DELETE", "/sessions/" + session.get("id").asLong(), null)
                    .statusCode());
        }
    }

    @Test
    void changesABrowserFormCouldMakeAndOversizedBodiesAreRefused() throws Exception {
        long id = json(rest.send("POST", "/sessions", config("10.40.0.2", "10.40.0.1")))
                .get("id").asLong();
        // What a form on another site can make a browser holding our credentials send.
        HttpResponse<String> form = rest.send("POST", "/sessions/" + id + "/admin-down", null,
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, form.statusCode(), form.body());
        assertTrue(json(form).get("error").asText().contains("X-Requested-By"), form.body());
        assertEquals(403, rest.send("DELETE", "/sessions/" + id, null, new String[0])
                .statusCode());
        assertEquals(403, rest.send("POST", "/sessions", config("10.40.0.3", "10.40.0.1"),
                "Content-Type", "text/plain").statusCode());
        JsonNode session = json(rest.send("GET", "/sessions/" + id, null));
        assertFalse(session.get("adminDown").asBoolean(), session.toString());

        // A body beyond the limit is refused before it is parsed.
        String huge = "{\"sessions\":[" + ",".repeat(9 << 20) + "]}";
        HttpResponse<String> tooLarge = rest.send("POST", "/sessions", huge);
        assertEquals(413, tooLarge.statusCode(), tooLarge.body());
        assertEquals("body", json(tooLarge).get("field").asText());

        // Event streams are bounded: one more than the most served gets a clear 503.
        java.util.List<java.io.InputStream> streams = new java.util.ArrayList<>();
        try {
            HttpResponse<java.io.InputStream> stream;
            while ((stream = rest.eventStream()).statusCode() == 200) {
                streams.add(stream.body());
                assertTrue(streams.size() <= 16, "more than 16 event streams served");
            }
            String refused = new String(stream.body().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(503, stream.statusCode(), refused);
            assertTrue(refused.contains("event-stream clients"), refused);
        } finally {
            for (java.io.InputStream stream : streams) {
                stream.close();
            }
        }
        assertEquals(204, rest.send("DELETE", "/sessions/" + id, null).statusCode());
    }

    @Test
    void keysAreWriteOnlyAndAKeyInUseConflicts() {
        HttpResponse<String> created = rest.send("POST", "/keys",
                "{\"id\":9,\"type\":\"meticulous-keyed-sha1\",\"secret\":\"v3ry-s3cret\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertFalse(created.body().contains("v3ry"));
        long session = json(rest.send("POST", "/sessions", "{\"peerAddress\":\"10.30.0.2\","
                + "\"localAddress\":\"10.30.0.1\",\"authentication\":{\"keyId\":9,\"bfdKeyId\":2}}"))
                .get("id").asLong();
        HttpResponse<String> keys = rest.send("GET", "/keys", null);
        assertTrue(keys.body().contains("\"useCount\" : 1") && !keys.body().contains("v3ry"),
                keys.body());
        assertEquals(409, rest.send("DELETE", "/keys/9", null).statusCode());
        assertEquals(409, rest.send("POST", "/keys",
                "{\"id\":9,\"type\":\"keyed-md5\",\"secret\":\"other\"}").statusCode());
        assertEquals(204, rest.send("DELETE", "/sessions/" + session, null).statusCode());
        assertEquals(204, rest.send("DELETE", "/keys/9", null).statusCode());
        JsonNode stats = json(rest.send("GET", "/stats", null));
        assertTrue(stats.has("sessionsByState") && stats.has("counters")
                && stats.path("transports").path("udp").has("sendErrors"), stats.toString());
        JsonNode openApi = json(rest.send("GET", "/openapi.json", null));
        assertEquals("3.0.3", openApi.get("openapi").asText());
        assertTrue(openApi.get("paths").has("/sessions/{id}"));
    }
}
