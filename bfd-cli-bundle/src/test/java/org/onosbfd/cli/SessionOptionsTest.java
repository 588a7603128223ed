package org.onosbfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSessionConfig;

/** The shared session options: flags turn a setting on or off, or leave it as it was. */
class SessionOptionsTest {
    private static final BfdSessionConfig BASE = BfdSessionConfig.builder()
            .peerAddress(AddressText.parse("PEER", "10.0.0.2"))
            .localAddress(AddressText.parse("LOCAL", "10.0.0.1")).passive(true).build();

    /** The options of a command, applied to {@link #BASE}. */
    private static final class Options extends SessionOptions {
        @Override
        protected void run() {
        }

        BfdSessionConfig applied() {
            return apply(BASE.toBuilder(), BASE).build();
        }
    }

    @Test
    void flagsSetTheirValueAndAbsentFlagsKeepTheBase() {
        Options none = new Options();
        assertTrue(none.applied().isPassive(), "no flag: as it was");
        assertFalse(none.applied().isDemand());
        Options active = new Options();
        active.active = true;
        active.demand = true;
        assertFalse(active.applied().isPassive());
        assertTrue(active.applied().isDemand());
        Options off = new Options();
        off.noDemand = true;
        off.passive = true;
        assertFalse(off.applied().isDemand());
        assertTrue(off.applied().isPassive());
    }

    @Test
    void contradictingFlagsAreRefusedNamingBoth() {
        Options both = new Options();
        both.passive = true;
        both.active = true;
        BfdException refused = assertThrows(BfdException.class, both::applied);
        assertEquals("--passive", refused.field());
        assertTrue(refused.getMessage().contains("--active"), refused.getMessage());
    }
}
