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

class SysctlTest {
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
