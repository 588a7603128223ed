package org.onosbfd.impl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdState;

class SessionHandoverTest {
    @Test
    void aRecordSurvivesItsTextIncludingUnsignedDiscriminatorsAndSequences() {
        SessionHandover record = new SessionHandover(0xF000_0001, 7, BfdState.UP, BfdState.UP,
                50_000, 50_000, 0, 3, false, 50_000, 50_000, 0xFFFF_FFF0L, 12, true);
        SessionHandover decoded = SessionHandover.decode(record.encode());
        assertEquals(record.encode(), decoded.encode());
        assertEquals(0xF000_0001L, decoded.localDiscriminator());
        assertEquals(BfdState.UP, decoded.state());
    }

    @Test
    void aDamagedRecordIsRefusedNamingWhatIsWrong() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SessionHandover.decode("ld=1 rd=2"));
        assertTrue(missing.getMessage().contains("no state"), missing.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> SessionHandover.decode("ld=x"));
        assertTrue(malformed.getMessage().startsWith("handover record"), malformed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionHandover.decode("garbage"));
    }
}
