package org.onosbfd.impl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RealtimeSchedulingTest {
    @Test
    void describesTheDefaultThrottleAndHowLongItStopsTheLoop() {
        assertEquals("the host lets real-time threads run 950 ms of each 1000 ms "
                        + "(kernel.sched_rt_runtime_us) and stops them for the rest, 50 ms at a "
                        + "time: for a loop near a whole CPU, set it to -1",
                RealtimeScheduling.describeLimit(950_000L, 1_000_000L));
    }

    @Test
    void saysWhenTheHostDoesNotThrottle() {
        assertEquals("the host does not throttle real-time threads",
                RealtimeScheduling.describeLimit(-1L, 1_000_000L));
        assertEquals("the host does not throttle real-time threads",
                RealtimeScheduling.describeLimit(1_000_000L, 1_000_000L));
    }

    @Test
    void saysWhenTheLimitCannotBeRead() {
        assertEquals("the host's real-time limit could not be read",
                RealtimeScheduling.describeLimit(null, 1_000_000L));
        assertEquals("the host's real-time limit could not be read",
                RealtimeScheduling.describeLimit(950_000L, 0L));
    }

    @Test
    void readsAHostSettingWhole() throws IOException {
        File period = new File("/proc/sys/kernel/sched_rt_period_us");
        assumeTrue(period.canRead(), "a Linux host");
        String whole;
        try (InputStream in = new FileInputStream(period)) {
            whole = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        // procfs reports a size of 0; a read that trusted it gave "1" for "1000000".
        assertEquals(whole, Sysctl.read("kernel", "sched_rt_period_us"));
        assertNull(Sysctl.read("kernel", "no_such_setting"));
    }
}
