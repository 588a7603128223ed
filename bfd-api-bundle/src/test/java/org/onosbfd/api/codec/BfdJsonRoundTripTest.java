package org.onosbfd.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthType;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;

/** What BfdJson writes it reads back, and each way a body can be wrong is refused by name. */
class BfdJsonRoundTripTest {
    private static final BfdSessionConfig FULL = BfdSessionConfig.builder()
            .peerAddress(AddressText.parse("peerAddress", "fd00:77::2"))
            .localAddress(AddressText.parse("localAddress", "fd00:77::1"))
            .interfaceName("veth1").multihop(false).desiredMinTxInterval(50_000)
            .requiredMinRxInterval(40_000).requiredMinEchoRxInterval(0)
            .desiredMinEchoTxInterval(0).detectMultiplier(5).passive(true).demand(true)
            .adminDown(true).authentication(new BfdAuthentication(7, 3))
            .dampening(new org.onosbfd.api.BfdDampening(2_000_000, 120_000_000)).build();

    private static BfdSessionConfig decode(String json) {
        return BfdJson.decodeConfig(BfdJson.parse(json), null);
    }

    private static BfdException refused(String json) {
        return assertThrows(BfdException.class, () -> decode(json));
    }

    @Test
    void aConfigurationComesBackAsItWasWritten() {
        assertEquals(FULL, BfdJson.decodeConfig(BfdJson.encode(FULL), null));
        BfdSessionConfig multihop = BfdSessionConfig.builder()
                .peerAddress(AddressText.parse("peerAddress", "10.0.0.2"))
                .localAddress(AddressText.parse("localAddress", "10.0.0.1")).multihop(true)
                .minReceivedTtl(250).build();
        assertEquals(multihop, BfdJson.decodeConfig(BfdJson.encode(multihop), null));
    }

    @Test
    void aSessionAsGetReturnsItIsAcceptedBackAsItsConfiguration() {
        BfdSession session = BfdSession.builder().id(4).config(FULL).state(BfdState.UP)
                .txSequence(9).rxSequence(8).lastPacketArrival(Instant.EPOCH)
                .counters(new BfdCounters(1, 2, 3, 4, Map.of())).build();
        assertEquals(FULL, BfdJson.decodeConfig(BfdJson.encode(session), null));
    }

    @Test
    void aPatchChangesOnlyTheFieldsGivenAndNullRemovesAuthentication() {
        BfdSessionConfig patched = BfdJson.decodeConfig(BfdJson.parse(
                "{\"detectMultiplier\": 3, \"authentication\": null}"), FULL);
        assertEquals(3, patched.detectMultiplier());
        assertNull(patched.authentication());
        assertEquals(FULL.path(), patched.path());
        assertEquals(FULL.desiredMinTxInterval(), patched.desiredMinTxInterval());
    }

    @Test
    void aKeyWithItsSecretComesBackWithTheSameBytes() {
        byte[] secret = {0, 1, (byte) 0xfe, (byte) 0xff, 's'};
        BfdAuthKey key = new BfdAuthKey(3, BfdAuthType.METICULOUS_KEYED_SHA1, secret);
        ObjectNode written = BfdJson.encodeWithSecret(key);
        assertEquals("0001feff73", written.get("secretHex").textValue());
        BfdAuthKey read = BfdJson.decodeKey(written);
        assertEquals(3, read.id());
        assertEquals(BfdAuthType.METICULOUS_KEYED_SHA1, read.type());
        assertArrayEquals(secret, read.secret());
        assertArrayEquals("pw".getBytes(StandardCharsets.UTF_8), BfdJson.decodeKey(BfdJson.parse(
                "{\"id\": 1, \"type\": \"simple\", \"secret\": \"pw\"}")).secret());
    }

    @Test
    void eachWrongSessionFieldIsRefusedNamingIt() {
        String path = "\"peerAddress\": \"10.0.0.2\", \"localAddress\": \"10.0.0.1\"";
        assertEquals("peerAdress", refused("{\"peerAdress\": \"10.0.0.2\"}").field());
        assertEquals("peerAddress", refused("{\"localAddress\": \"10.0.0.1\"}").field());
        assertEquals("peerAddress", refused("{\"peerAddress\": \"router.example\", "
                + "\"localAddress\": \"10.0.0.1\"}").field());
        assertEquals("localAddress", refused("{\"peerAddress\": \"10.0.0.2\", "
                + "\"localAddress\": 7}").field());
        assertEquals("detectMultiplier", refused("{" + path + ", \"detectMultiplier\": 0}")
                .field());
        assertEquals("detectMultiplier", refused("{" + path + ", \"detectMultiplier\": 256}")
                .field());
        assertEquals("desiredMinTxInterval", refused("{" + path
                + ", \"desiredMinTxInterval\": \"50ms\"}").field());
        assertEquals("multihop", refused("{" + path + ", \"multihop\": \"yes\"}").field());
        assertEquals("authentication", refused("{" + path
                + ", \"authentication\": {\"keyId\": 1}}").field());
        assertEquals("authentication.bfdKeyId", refused("{" + path
                + ", \"authentication\": {\"keyId\": 1, \"bfdKeyId\": 256}}").field());
        assertEquals("authentication.keyid", refused("{" + path
                + ", \"authentication\": {\"keyid\": 1, \"bfdKeyId\": 1}}").field());
        assertEquals("dampening", refused("{" + path
                + ", \"dampening\": {\"initialHold\": 1000000}}").field());
        assertEquals("dampening.maximumHold", refused("{" + path
                + ", \"dampening\": {\"initialHold\": 2000000, \"maximumHold\": 1000}}").field());
        assertEquals("dampening.initialHold", refused("{" + path
                + ", \"dampening\": {\"initialHold\": \"2s\", \"maximumHold\": 1000}}").field());
        assertEquals("dampening.holds", refused("{" + path
                + ", \"dampening\": {\"holds\": 1}}").field());
        assertNull(BfdJson.decodeConfig(BfdJson.parse("{\"dampening\": null}"), FULL)
                .dampening(), "null: no dampening");
        BfdException notObject = refused("[1, 2]");
        assertEquals(BfdException.Kind.INVALID, notObject.kind());
        assertTrue(refused("{" + path + ", \"colour\": 1}").getMessage().contains("peerAddress"),
                "the refusal lists the fields that are accepted");
    }

    @Test
    void eachWrongKeyFieldIsRefusedNamingIt() {
        assertEquals("id", assertThrows(BfdException.class, () -> BfdJson.decodeKey(
                BfdJson.parse("{\"type\": \"simple\", \"secret\": \"pw\"}"))).field());
        assertEquals("type", assertThrows(BfdException.class, () -> BfdJson.decodeKey(
                BfdJson.parse("{\"id\": 1, \"secret\": \"pw\"}"))).field());
        assertEquals("type", assertThrows(BfdException.class, () -> BfdJson.decodeKey(
                BfdJson.parse("{\"id\": 1, \"type\": \"sha3\", \"secret\": \"pw\"}"))).field());
        assertEquals("secret", assertThrows(BfdException.class, () -> BfdJson.decodeKey(
                BfdJson.parse("{\"id\": 1, \"type\": \"simple\", \"secret\": \"pw\", "
                        + "\"secretHex\": \"00\"}"))).field());
        assertEquals("secretHex", assertThrows(BfdException.class, () -> BfdJson.decodeKey(
                BfdJson.parse("{\"id\": 1, \"type\": \"simple\", \"secretHex\": \"0g\"}")))
                .field());
    }
}
