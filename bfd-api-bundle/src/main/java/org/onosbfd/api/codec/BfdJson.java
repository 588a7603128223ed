package org.onosbfd.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdDampening;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdEvent;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdStatistics;

/**
 * The one JSON form of sessions, keys, statistics and events: the REST API serves it, the shell's
 * {@code -j} prints it, the configuration file stores it. Names are camelCase, intervals in
 * microseconds. Decoding is strict: unknown fields, wrong types and bad values are refused with
 * a {@link BfdException} that names the field.
 */
public final class BfdJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // {"secret": "a", "secret": "b"}: which one counts would be a guess; refuse it.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Writable session fields, and read-only ones, accepted (and ignored) so that a client may
     * send back what it got. Both are derived from the encoder: what GET returns and what the
     * configuration file holds are always accepted back.
     */
    private static final Set<String> CONFIG_FIELDS;
    private static final Set<String> READ_ONLY_FIELDS;

    static {
        BfdSessionConfig config = BfdSessionConfig.builder()
                .peerAddress(AddressText.parse("peer", "192.0.2.2"))
                .localAddress(AddressText.parse("local", "192.0.2.1"))
                .interfaceName("eth0").authentication(new BfdAuthentication(1, 1))
                .dampening(BfdDampening.LINK_DEFAULT).build();
        CONFIG_FIELDS = fieldNames(encode(config));
        Set<String> readOnly = new java.util.TreeSet<>(fieldNames(encode(BfdSession.builder()
                .id(1).config(config).txSequence(0).rxSequence(0).notCarried("")
                .heldDownUntil(java.time.Instant.EPOCH).settlingUntil(java.time.Instant.EPOCH)
                .lastPacketArrival(java.time.Instant.EPOCH)
                .counters(new BfdCounters(0, 0, 0, 0, Map.of())).build())));
        readOnly.removeAll(CONFIG_FIELDS);
        READ_ONLY_FIELDS = Set.copyOf(readOnly);
    }

    /** Every field a session may carry: the writable ones, and the read-only ones ignored. */
    private static final Set<String> SESSION_FIELDS = union(CONFIG_FIELDS, READ_ONLY_FIELDS);

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return Set.copyOf(names);
    }

    private BfdJson() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Pretty-printed JSON text. */
    public static String print(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    // ---------------------------------------------------------------- encoding

    public static ObjectNode encode(BfdSession session) {
        BfdSessionConfig config = session.config();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", session.id());
        encodeConfig(config, node);
        node.put("state", session.state().name());
        node.put("remoteState", session.remoteState().name());
        node.put("localDiagnostic", session.localDiagnostic().name());
        node.put("remoteDiagnostic", session.remoteDiagnostic().name());
        node.put("localDiscriminator", session.localDiscriminator());
        node.put("remoteDiscriminator", session.remoteDiscriminator());
        node.put("negotiatedTxInterval", session.negotiatedTxInterval());
        node.put("detectionTime", session.detectionTime());
        node.put("lastStateChange", session.lastStateChange().toString());
        if (session.heldDownUntil() != null) {
            node.put("heldDownUntil", session.heldDownUntil().toString());
        }
        if (session.settlingUntil() != null) {
            node.put("settlingUntil", session.settlingUntil().toString());
        }
        node.put("pollActive", session.isPollActive());
        node.put("authenticationPending", session.isAuthenticationPending());
        node.put("transport", session.transport());
        if (session.notCarried() != null) {
            node.put("notCarried", session.notCarried());
        }
        node.put("clients", session.clients());
        ObjectNode remote = node.putObject("remote");
        remote.put("desiredMinTxInterval", session.remoteDesiredMinTxInterval());
        remote.put("requiredMinRxInterval", session.remoteRequiredMinRxInterval());
        remote.put("requiredMinEchoRxInterval", session.remoteRequiredMinEchoRxInterval());
        remote.put("detectMultiplier", session.remoteDetectMultiplier());
        remote.put("demand", session.isRemoteDemand());
        if (session.txSequence() >= 0) {
            node.put("txSequence", session.txSequence());
        }
        if (session.rxSequence() >= 0) {
            node.put("rxSequence", session.rxSequence());
        }
        ObjectNode timing = node.putObject("timing");
        timing.put("maxTxLateness", session.maxTxLateness());
        timing.put("lastTxLateness", session.lastTxLateness());
        timing.put("minDetectionSlack", session.minDetectionSlack());
        timing.put("lastDetectionSlack", session.lastDetectionSlack());
        if (session.lastPacketArrival() != null) {
            timing.put("lastPacketArrival", session.lastPacketArrival().toString());
        }
        node.set("counters", encode(session.counters()));
        return node;
    }

    /** The writable fields only: what the configuration file stores. */
    public static ObjectNode encode(BfdSessionConfig config) {
        return encodeConfig(config, MAPPER.createObjectNode());
    }

    private static ObjectNode encodeConfig(BfdSessionConfig config, ObjectNode node) {
        node.put("peerAddress", AddressText.of(config.path().peerAddress()));
        node.put("localAddress", AddressText.of(config.path().localAddress()));
        if (config.path().interfaceName() != null) {
            node.put("interface", config.path().interfaceName());
        }
        node.put("multihop", config.path().isMultihop());
        node.put("desiredMinTxInterval", config.desiredMinTxInterval());
        node.put("requiredMinRxInterval", config.requiredMinRxInterval());
        node.put("requiredMinEchoRxInterval", config.requiredMinEchoRxInterval());
        node.put("desiredMinEchoTxInterval", config.desiredMinEchoTxInterval());
        node.put("detectMultiplier", config.detectMultiplier());
        node.put("passive", config.isPassive());
        node.put("demand", config.isDemand());
        node.put("adminDown", config.isAdminDown());
        node.put("minReceivedTtl", config.minReceivedTtl());
        if (config.authentication() != null) {
            ObjectNode auth = node.putObject("authentication");
            auth.put("keyId", config.authentication().keyId());
            auth.put("bfdKeyId", config.authentication().bfdKeyId());
        }
        if (config.dampening() != null) {
            ObjectNode dampening = node.putObject("dampening");
            dampening.put("initialHold", config.dampening().initialHold());
            dampening.put("maximumHold", config.dampening().maximumHold());
        }
        return node;
    }

    public static ObjectNode encode(BfdCounters counters) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("rxPackets", counters.rxPackets());
        node.put("txPackets", counters.txPackets());
        node.put("upTransitions", counters.upTransitions());
        node.put("downTransitions", counters.downTransitions());
        node.put("droppedPackets", counters.droppedPackets());
        ObjectNode drops = node.putObject("drops");
        for (Map.Entry<BfdDropReason, Long> entry : counters.drops().entrySet()) {
            drops.put(camelCase(entry.getKey().name()), entry.getValue());
        }
        return node;
    }

    public static ObjectNode encode(BfdKeyInfo key) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", key.id());
        node.put("type", key.type().label());
        node.put("useCount", key.useCount());
        return node;
    }

    public static ObjectNode encode(BfdStatistics statistics) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("sessions", statistics.sessionCount());
        ObjectNode byState = node.putObject("sessionsByState");
        statistics.sessionsByState().forEach((state, count) -> byState.put(state.name(), count));
        node.put("sessionsSettling", statistics.sessionsSettling());
        node.set("counters", encode(statistics.counters()));
        ObjectNode transports = node.putObject("transports");
        statistics.transports().forEach((name, counters) -> {
            ObjectNode transport = transports.putObject(name);
            counters.forEach(transport::put);
        });
        return node;
    }

    public static ObjectNode encode(BfdEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", event.type().name());
        node.put("time", event.time().toString());
        node.put("id", event.session().id());
        node.put("previousState", event.previousState().name());
        node.put("state", event.state().name());
        node.put("diagnostic", event.diagnostic().name());
        node.put("foldedChanges", event.foldedChanges());
        node.set("session", encode(event.session()));
        return node;
    }

    /** {@code {"<name>": [ ... ]}} from already encoded items. */
    public static ObjectNode list(String name, Iterable<? extends JsonNode> items) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode array = node.putArray(name);
        items.forEach(array::add);
        return node;
    }

    /** TTL -> ttl, AUTH_BAD_DIGEST -> authBadDigest. */
    public static String camelCase(String enumName) {
        StringBuilder out = new StringBuilder();
        for (String part : enumName.toLowerCase(Locale.ROOT).split("_")) {
            out.append(out.length() == 0 ? part
                    : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Parses a JSON text into a tree, refusing malformed input with a {@link BfdException}.
     */
    public static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw BfdException.invalid("body", "", "a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BfdException(BfdException.Kind.INVALID, "body",
                    "body: malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + withoutInput(e));
        }
    }

    /**
     * Jackson's description of a syntax error without the text it quotes from the input, which
     * may be a secret ("Unrecognized token 's3cret'"); a duplicate field's name is kept.
     */
    private static String withoutInput(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        return message.startsWith("Duplicate field")
                ? message : message.replaceAll("'[^']*'", "'…'");
    }

    /**
     * A session configuration from JSON. With {@code base} null every required field must be
     * present (create); otherwise the fields given replace the base's (modify).
     */
    public static BfdSessionConfig decodeConfig(JsonNode node, BfdSessionConfig base) {
        requireObject(node, "session");
        rejectUnknownFields(node, "", SESSION_FIELDS,
                String.join(", ", new java.util.TreeSet<>(CONFIG_FIELDS)));
        BfdSessionConfig.Builder b = base != null ? base.toBuilder() : BfdSessionConfig.builder();
        String interfaceName = null;
        if (node.has("interface")) {
            JsonNode value = node.get("interface");
            interfaceName = value.isNull() ? null : text(node, "interface");
            b.interfaceName(interfaceName);
        }
        for (String field : new String[] {"peerAddress", "localAddress"}) {
            if (node.has(field)) {
                String text = text(node, field);
                InetAddress address = AddressText.parse(field, text);
                if (field.equals("peerAddress")) {
                    b.peerAddress(address);
                } else {
                    b.localAddress(address);
                }
                interfaceName = AddressText.withZone(field, text, interfaceName);
            }
        }
        if (interfaceName != null) {
            b.interfaceName(interfaceName);
        }
        if (node.has("multihop")) {
            b.multihop(bool(node, "multihop"));
        }
        if (node.has("desiredMinTxInterval")) {
            b.desiredMinTxInterval(integer(node, "desiredMinTxInterval"));
        }
        if (node.has("requiredMinRxInterval")) {
            b.requiredMinRxInterval(integer(node, "requiredMinRxInterval"));
        }
        if (node.has("requiredMinEchoRxInterval")) {
            b.requiredMinEchoRxInterval(integer(node, "requiredMinEchoRxInterval"));
        }
        if (node.has("desiredMinEchoTxInterval")) {
            b.desiredMinEchoTxInterval(integer(node, "desiredMinEchoTxInterval"));
        }
        if (node.has("detectMultiplier")) {
            b.detectMultiplier(smallInteger(node, "detectMultiplier"));
        }
        if (node.has("passive")) {
            b.passive(bool(node, "passive"));
        }
        if (node.has("demand")) {
            b.demand(bool(node, "demand"));
        }
        if (node.has("adminDown")) {
            b.adminDown(bool(node, "adminDown"));
        }
        if (node.has("minReceivedTtl")) {
            b.minReceivedTtl(smallInteger(node, "minReceivedTtl"));
        }
        if (node.has("authentication")) {
            b.authentication(nested(node.get("authentication"), "authentication",
                    "{\"keyId\": <configured key id>, \"bfdKeyId\": <0-255>}",
                    a -> new BfdAuthentication(integer(a, "keyId"), smallInteger(a, "bfdKeyId")),
                    "keyId", "bfdKeyId"));
        }
        if (node.has("dampening")) {
            b.dampening(nested(node.get("dampening"), "dampening",
                    "{\"initialHold\": <µs>, \"maximumHold\": <µs>}, or null for none",
                    d -> new BfdDampening(integer(d, "initialHold"), integer(d, "maximumHold")),
                    "initialHold", "maximumHold"));
        }
        return b.build();
    }

    /**
     * A nested object of a session with exactly these fields, all required; null for JSON
     * null. Errors name the field where it is in the body ({@code authentication.bfdKeyId}).
     */
    private static <T> T nested(JsonNode node, String name, String shape,
                                java.util.function.Function<JsonNode, T> decode,
                                String... fields) {
        if (node.isNull()) {
            return null;
        }
        requireObject(node, name);
        rejectUnknownFields(node, name + ".", Set.of(fields), String.join(", ", fields));
        for (String field : fields) {
            if (!node.has(field)) {
                throw BfdException.invalid(name, node, shape);
            }
        }
        try {
            return decode.apply(node);
        } catch (BfdException e) {
            String field = e.field() != null && e.field().startsWith(name + ".") ? e.field()
                    : name + "." + e.field();
            throw new BfdException(e.kind(), field, e.getMessage());
        }
    }

    /**
     * A key with its secret, as the configuration file keeps it and {@link #decodeKey} reads
     * it back: the secret as {@code "secretHex"}, which holds any bytes. Never for the API.
     */
    public static ObjectNode encodeWithSecret(BfdAuthKey key) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", key.id());
        node.put("type", key.type().label());
        StringBuilder hex = new StringBuilder();
        for (byte b : key.secret()) {
            hex.append(String.format("%02x", b));
        }
        node.put("secretHex", hex.toString());
        return node;
    }

    /**
     * A key from JSON: {@code {"id": 1, "type": "keyed-sha1", "secret": "s3cret"}}; the secret is
     * text, or bytes given as {@code "secretHex"} (as VPP takes them).
     */
    public static BfdAuthKey decodeKey(JsonNode node) {
        requireObject(node, "key");
        // useCount is what GET returns: accepted so that a client may send back what it got.
        rejectUnknownFields(node, "", Set.of("id", "type", "secret", "secretHex", "useCount"),
                "id, type, secret, secretHex");
        if (!node.has("id")) {
            throw BfdException.invalid("id", null, "an integer 0-4294967295");
        }
        if (!node.has("type")) {
            throw BfdException.invalid("type", null,
                    "simple|keyed-md5|meticulous-keyed-md5|keyed-sha1|meticulous-keyed-sha1");
        }
        byte[] secret;
        if (node.has("secret") == node.has("secretHex")) {
            throw BfdException.invalid("secret", null, "exactly one of secret or secretHex");
        } else if (node.has("secret")) {
            secret = secretText(node, "secret").getBytes(StandardCharsets.UTF_8);
        } else {
            secret = hex("secretHex", secretText(node, "secretHex"));
        }
        return new BfdAuthKey(integer(node, "id"), BfdAuthType.ofLabel(text(node, "type")), secret);
    }

    /** A secret's text; a value of the wrong type is refused without being repeated. */
    private static String secretText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw BfdException.invalidSecret(field, "a string");
        }
        return value.textValue();
    }

    /** A secret's hex digits into bytes ("69d685b0"); refused without being repeated. */
    public static byte[] hex(String field, String text) {
        if (text.length() % 2 != 0 || !text.matches("[0-9A-Fa-f]*")) {
            throw BfdException.invalidSecret(field, "an even number of hex digits");
        }
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /** Refuses the first field that is not accepted, naming it and the fields that are. */
    private static void rejectUnknownFields(JsonNode node, String prefix, Set<String> accepted,
                                            String known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!accepted.contains(name)) {
                throw BfdException.unknownField(prefix + name, known);
            }
        }
    }

    private static void requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw BfdException.invalid(what, node, "a JSON object");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw BfdException.invalid(field, value, "a string");
        }
        return value.textValue();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw BfdException.invalid(field, value, "true or false");
        }
        return value.booleanValue();
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw BfdException.invalid(field, value, "an integer");
        }
        return value.longValue();
    }

    private static int smallInteger(JsonNode node, String field) {
        long value = integer(node, field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw BfdException.invalid(field, value, "a small integer");
        }
        return (int) value;
    }
}
