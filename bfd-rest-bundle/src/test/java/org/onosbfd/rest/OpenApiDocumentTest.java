package org.onosbfd.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.codec.BfdJson;

/**
 * The published API document ({@code GET /onos/bfd/openapi.json}) says what the code does: every
 * field the encoder writes is documented with its JSON type and every documented field is
 * written; every documented operation exists on a resource and every resource operation is
 * documented. The document is written by hand for its prose; this test keeps its facts true.
 */
class OpenApiDocumentTest {
    private static final JsonNode DOCUMENT = load();
    private static final JsonNode SCHEMAS = DOCUMENT.at("/components/schemas");

    private static final BfdSessionConfig CONFIG = BfdSessionConfig.builder()
            .peerAddress(AddressText.parse("peerAddress", "10.0.0.2"))
            .localAddress(AddressText.parse("localAddress", "10.0.0.1")).interfaceName("eth0")
            .authentication(new BfdAuthentication(1, 1))
            .dampening(org.onosbfd.api.BfdDampening.LINK_DEFAULT).build();
    /** A session with every optional field present. */
    private static final BfdSession SESSION = BfdSession.builder().id(1).config(CONFIG)
            .txSequence(1).rxSequence(1).lastPacketArrival(Instant.EPOCH)
            .notCarried("udp: no interface eth0 on this host").heldDownUntil(Instant.EPOCH)
            .settlingUntil(Instant.EPOCH)
            .counters(new BfdCounters(1, 1, 1, 1, Map.of(BfdDropReason.TTL, 1L))).build();

    private static JsonNode load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi.json")) {
            return BfdJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Each field of {@code encoded} is documented in {@code properties} with its JSON type. */
    private static void assertDocuments(String where, JsonNode properties, JsonNode encoded) {
        assertEquals(names(encoded), names(properties), where + ": documented vs written");
        for (Iterator<Map.Entry<String, JsonNode>> it = encoded.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode schema = properties.get(field.getKey());
            if (schema.has("$ref")) {
                schema = DOCUMENT.at(schema.get("$ref").textValue().substring(1));
            }
            String type = schema.get("type").textValue();
            JsonNode value = field.getValue();
            boolean matches = type.equals("integer") ? value.isIntegralNumber()
                    : type.equals("boolean") ? value.isBoolean()
                    : type.equals("string") ? value.isTextual()
                    : type.equals("object") && value.isObject();
            assertTrue(matches, where + "." + field.getKey() + " is documented as " + type
                    + " but written as " + value);
            if (type.equals("object") && schema.has("properties")) {
                assertDocuments(where + "." + field.getKey(), schema.get("properties"), value);
            }
        }
    }

    @Test
    void theSessionConfigurationIsWhatTheCodecWritesAndAccepts() {
        JsonNode written = BfdJson.encode(CONFIG);
        assertDocuments("SessionConfig", SCHEMAS.at("/SessionConfig/properties"), written);
        // What is documented is accepted back as it is.
        assertEquals(CONFIG, BfdJson.decodeConfig(written, null));
    }

    @Test
    void aSessionIsItsConfigurationAndTheReadOnlyFieldsTheCodecWrites() {
        JsonNode allOf = SCHEMAS.at("/Session/allOf");
        assertEquals("#/components/schemas/SessionConfig", allOf.at("/0/$ref").textValue());
        com.fasterxml.jackson.databind.node.ObjectNode properties = BfdJson.mapper()
                .createObjectNode();
        properties.setAll((com.fasterxml.jackson.databind.node.ObjectNode)
                SCHEMAS.at("/SessionConfig/properties"));
        properties.setAll((com.fasterxml.jackson.databind.node.ObjectNode)
                allOf.at("/1/properties"));
        assertDocuments("Session", properties, BfdJson.encode(SESSION));
        Set<String> states = Arrays.stream(BfdState.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String field : new String[] {"state", "remoteState"}) {
            Set<String> documented = new TreeSet<>();
            allOf.at("/1/properties/" + field + "/enum").forEach(v -> documented.add(v.asText()));
            assertEquals(states, documented, field);
        }
    }

    @Test
    void countersKeysAndErrorsAreWhatTheCodeWrites() {
        JsonNode counters = BfdJson.encode(SESSION.counters());
        assertDocuments("Counters", SCHEMAS.at("/Counters/properties"), counters);
        assertDocuments("Key", SCHEMAS.at("/Key/properties"),
                BfdJson.encode(new BfdKeyInfo(1, BfdAuthType.KEYED_SHA1, 2)));
        assertDocuments("Error", SCHEMAS.at("/Error/properties"), BfdJson.parse((String)
                new ErrorMapper().toResponse(org.onosbfd.api.BfdException.notFound("id", 3))
                        .getEntity()));
        Set<String> types = Arrays.stream(BfdAuthType.values()).map(BfdAuthType::label)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        SCHEMAS.at("/KeyIn/properties/type/enum").forEach(v -> documented.add(v.asText()));
        assertEquals(types, documented, "key types");
        // What the configuration file writes for a key is a documented key body.
        assertTrue(names(SCHEMAS.at("/KeyIn/properties")).containsAll(names(
                BfdJson.encodeWithSecret(new org.onosbfd.api.BfdAuthKey(1,
                        BfdAuthType.KEYED_SHA1, new byte[] {1})))));
    }

    @Test
    void everyDocumentedOperationIsServedAndEveryServedOneDocumented() {
        Set<String> documented = new TreeSet<>();
        DOCUMENT.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> {
                    if (!method.equals("parameters")) {
                        documented.add(method.toUpperCase() + " " + path.getKey());
                    }
                }));
        Set<String> served = new TreeSet<>();
        for (Class<?> resource : new BfdWebApplication().getClasses()) {
            Path root = resource.getAnnotation(Path.class);
            if (root == null) {
                continue; // a provider (error mapper, guard), not a resource
            }
            for (Method method : resource.getMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET"
                        : method.isAnnotationPresent(POST.class) ? "POST"
                        : method.isAnnotationPresent(PUT.class) ? "PUT"
                        : method.isAnnotationPresent(DELETE.class) ? "DELETE"
                        : method.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    served.add(verb + " /" + root.value() + (sub == null ? "" : "/" + sub.value()));
                }
            }
        }
        assertEquals(served, documented);
    }
}
