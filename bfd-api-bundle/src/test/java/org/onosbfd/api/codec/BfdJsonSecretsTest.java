package org.onosbfd.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdException;

/** No refusal of a key repeats its secret, whatever form the bad input takes. */
class BfdJsonSecretsTest {
    private static final String SECRET = "Tr0ub4dor3";

    private static BfdException refusedKey(String json) {
        BfdException e = assertThrows(BfdException.class,
                () -> BfdJson.decodeKey(BfdJson.parse(json)));
        assertEquals(BfdException.Kind.INVALID, e.kind());
        assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains("54723062"),
                "the secret is repeated: " + e.getMessage());
        return e;
    }

    @Test
    void badHexIsRefusedWithoutRepeatingIt() {
        assertEquals("secretHex", refusedKey("{\"id\": 1, \"type\": \"keyed-sha1\", "
                + "\"secretHex\": \"54723062" + SECRET + "\"}").field());
    }

    @Test
    void aSecretOfTheWrongTypeIsRefusedWithoutRepeatingIt() {
        assertEquals("secret", refusedKey("{\"id\": 1, \"type\": \"keyed-sha1\", "
                + "\"secret\": [\"" + SECRET + "\"]}").field());
    }

    @Test
    void aMisspelledSecretFieldIsNamedButItsValueIsNot() {
        BfdException e = refusedKey("{\"id\": 1, \"type\": \"keyed-sha1\", \"secert\": \""
                + SECRET + "\"}");
        assertEquals("secert", e.field());
        assertTrue(e.getMessage().contains("no such field"), e.getMessage());
    }

    @Test
    void malformedJsonIsLocatedWithoutQuotingTheInput() {
        BfdException e = refusedKey("{\"id\": 1, \"type\": \"keyed-sha1\", \"secret\": "
                + SECRET + "}");
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void duplicateFieldsAreRefused() {
        BfdException e = refusedKey("{\"id\": 1, \"type\": \"keyed-sha1\", \"secret\": \"a\", "
                + "\"secret\": \"" + SECRET + "\"}");
        assertTrue(e.getMessage().contains("Duplicate field 'secret'"), e.getMessage());
    }
}
