package org.onosbfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdException;

class DurationsTest {
    @Test
    void parsesUnitsAndBareMicroseconds() {
        assertEquals(50_000, Durations.parseMicros("--tx", "50ms"));
        assertEquals(300_000, Durations.parseMicros("--tx", "300000us"));
        assertEquals(300_000, Durations.parseMicros("--tx", "300000"));
        assertEquals(1_000_000, Durations.parseMicros("--tx", "1s"));
        assertEquals(1_500_000, Durations.parseMicros("--tx", "1.5s"));
        assertEquals(2_500, Durations.parseMicros("--tx", "2.5ms"));
    }

    @Test
    void refusesWhatIsNotADurationNamingTheOption() {
        for (String bad : new String[] {"", "fast", "-5ms", "5 minutes", "0.5us", "5000s"}) {
            BfdException e = assertThrows(BfdException.class, () -> Durations.parseMicros("--rx", bad));
            assertEquals("--rx", e.field());
            assertTrue(e.getMessage().startsWith("--rx: '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void formatsAsOperatorsRead() {
        assertEquals("50ms", Durations.format(50_000));
        assertEquals("1s", Durations.format(1_000_000));
        assertEquals("1.5s", Durations.format(1_500_000));
        assertEquals("250us", Durations.format(250));
        assertEquals("-", Durations.format(0));
        assertEquals("42s", Durations.since(42));
        assertEquals("3m07s", Durations.since(187));
        assertEquals("2h05m", Durations.since(2 * 3600 + 5 * 60));
        assertEquals("4d03h", Durations.since(4 * 86_400 + 3 * 3600));
    }
}
