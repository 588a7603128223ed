package org.onosbfd.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Proxy;
import java.net.URI;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.codec.BfdJson;

/**
 * The resources' own logic on an in-memory service: what each call answers, and that every
 * refusal becomes the status and JSON body the API documents. HTTP itself, the guard and the
 * web stack are tested against the distribution (RestIT).
 */
class ResourcesTest {
    private static final String PAIR =
            "\"peerAddress\": \"fd00:77::2\", \"localAddress\": \"fd00:77::1\"";

    private final InMemoryBfdService service = new InMemoryBfdService();
    private final SessionsResource sessions = new SessionsResource(() -> service);
    private final KeysResource keys = new KeysResource(() -> service);

    ResourcesTest() {
        sessions.uri = uriInfo("http://127.0.0.1:8181/onos/bfd/sessions");
        keys.uri = uriInfo("http://127.0.0.1:8181/onos/bfd/keys");
    }

    private static UriInfo uriInfo(String path) {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(),
                new Class<?>[] {UriInfo.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAbsolutePathBuilder")) {
                        return UriBuilder.fromUri(path);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static JsonNode body(Response response) {
        return BfdJson.parse((String) response.getEntity());
    }

    /** What the API answers for a refusal, as ErrorMapper makes it. */
    private static Response refusal(Runnable call) {
        return new ErrorMapper().toResponse(assertThrows(BfdException.class, call::run));
    }

    @Test
    void aSessionIsCreatedReadChangedAndDeleted() {
        Response created = sessions.create("{" + PAIR + ", \"desiredMinTxInterval\": 50000}");
        assertEquals(201, created.getStatus());
        assertEquals(URI.create("http://127.0.0.1:8181/onos/bfd/sessions/1"),
                created.getLocation());
        assertEquals("fd00:77::2", body(created).get("peerAddress").textValue(),
                "addresses as RFC 5952 writes them");
        assertEquals(1, body(sessions.list()).get("sessions").size());
        JsonNode patched = body(sessions.patch("1", "{\"detectMultiplier\": 5}"));
        assertEquals(5, patched.get("detectMultiplier").intValue());
        assertEquals(50000, patched.get("desiredMinTxInterval").intValue(), "kept by PATCH");
        JsonNode put = body(sessions.put("1", "{" + PAIR + "}"));
        long defaultTx = org.onosbfd.api.BfdSessionConfig.builder()
                .peerAddress(AddressText.parse("peer", "10.0.0.2"))
                .localAddress(AddressText.parse("local", "10.0.0.1")).build().desiredMinTxInterval();
        assertEquals(defaultTx, put.get("desiredMinTxInterval").longValue(),
                "PUT: what is left out takes its default");
        assertEquals("ADMIN_DOWN", body(sessions.adminDown("1")).get("state").textValue());
        assertEquals("DOWN", body(sessions.adminUp("1")).get("state").textValue());
        JsonNode got = body(sessions.get("1"));
        assertEquals(put.get("desiredMinTxInterval"), got.get("desiredMinTxInterval"));
        assertEquals(204, sessions.delete("1").getStatus());
        assertEquals(0, body(sessions.list()).get("sessions").size());
    }

    @Test
    void whatGetReturnsCanBeSentBackAsIs() {
        sessions.create("{" + PAIR + "}");
        String got = BfdJson.print(body(sessions.get("1")));
        assertEquals(200, sessions.put("1", got).getStatus());
    }

    @Test
    void aBatchIsCreatedWholeOrRefusedNamingTheEntry() {
        Response created = sessions.create("{\"sessions\": [{" + PAIR + "}, "
                + "{\"peerAddress\": \"10.0.0.2\", \"localAddress\": \"10.0.0.1\"}]}");
        assertEquals(201, created.getStatus());
        assertEquals(2, body(created).get("sessions").size());
        Response bad = refusal(() -> sessions.create("{\"sessions\": [{\"peerAddress\": "
                + "\"10.0.0.3\", \"localAddress\": \"10.0.0.1\"}, {\"peerAddress\": \"x\"}]}"));
        assertEquals(400, bad.getStatus());
        assertEquals("sessions[1].peerAddress", body(bad).get("field").textValue());
        assertEquals("sessions", body(refusal(() -> sessions.create("{\"sessions\": 3}")))
                .get("field").textValue());
        assertEquals(2, service.sessions().size(), "nothing of a refused batch was added");
    }

    @Test
    void eachRefusalHasItsStatusAndNamesTheField() {
        Response badId = refusal(() -> sessions.get("one"));
        assertEquals(400, badId.getStatus());
        assertEquals("id", body(badId).get("field").textValue());
        assertEquals(400, refusal(() -> sessions.get("-1")).getStatus());
        assertEquals(404, refusal(() -> sessions.get("7")).getStatus());
        assertEquals(404, refusal(() -> sessions.delete("7")).getStatus());
        assertEquals(400, refusal(() -> sessions.create("{\"peerAddress\": 1")).getStatus(),
                "malformed JSON");
        sessions.create("{" + PAIR + "}");
        Response twice = refusal(() -> sessions.create("{" + PAIR + "}"));
        assertEquals(409, twice.getStatus());
        assertEquals("peerAddress", body(twice).get("field").textValue());
        Response unknownKey = refusal(() -> sessions.create("{\"peerAddress\": \"10.0.0.9\", "
                + "\"localAddress\": \"10.0.0.1\", \"authentication\": "
                + "{\"keyId\": 4, \"bfdKeyId\": 1}}"));
        assertEquals(404, unknownKey.getStatus());
        assertEquals("keyId", body(unknownKey).get("field").textValue());
        Response unsaved = new ErrorMapper().toResponse(
                BfdException.unsaved("etc/bfd.json", "No space left on device"));
        assertEquals(503, unsaved.getStatus());
        assertTrue(body(unsaved).get("error").textValue().contains("No space left"));
    }

    @Test
    void keysAreSetListedAndDeletedAndTheirSecretsNeverComeBack() {
        Response created = keys.set("{\"id\": 3, \"type\": \"keyed-sha1\", "
                + "\"secret\": \"s3cret\"}");
        assertEquals(201, created.getStatus());
        assertEquals(URI.create("http://127.0.0.1:8181/onos/bfd/keys/3"), created.getLocation());
        String everything = created.getEntity() + BfdJson.print(body(keys.list()));
        assertFalse(everything.contains("s3cret") || everything.contains("secret"), everything);
        assertEquals("keyed-sha1", body(keys.list()).get("keys").get(0).get("type").textValue());
        Response refused = refusal(() -> keys.set("{\"id\": 4, \"type\": \"keyed-sha1\", "
                + "\"secret\": 42}"));
        assertEquals(400, refused.getStatus());
        assertFalse(((String) refused.getEntity()).contains("42"), "the value is not repeated");
        assertEquals(204, keys.delete("3").getStatus());
        assertEquals("keyId", body(refusal(() -> keys.delete("3"))).get("field").textValue());
    }

    @Test
    void countersAreClearedForAllOrOneSession() {
        sessions.create("{" + PAIR + "}");
        assertEquals(204, new StatsResource(() -> service).clearCounters().getStatus());
        assertEquals(204, sessions.clearCounters("1").getStatus());
        assertEquals(java.util.List.of(-1L, 1L), service.cleared);
        assertEquals(404, refusal(() -> sessions.clearCounters("9")).getStatus());
    }

    @Test
    void statisticsAndAStoppedService() {
        sessions.create("{" + PAIR + "}");
        JsonNode stats = body(new StatsResource(() -> service).stats());
        assertEquals(1, stats.get("sessions").intValue());
        assertEquals(0, stats.get("transports").get("udp").get("sent").intValue());
        WebApplicationException down = assertThrows(WebApplicationException.class,
                () -> new StatsResource(() -> null).stats());
        assertEquals(503, down.getResponse().getStatus());
        assertEquals("the BFD service is not running",
                body(down.getResponse()).get("error").textValue());
    }
}
