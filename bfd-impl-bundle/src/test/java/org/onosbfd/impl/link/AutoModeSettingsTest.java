package org.onosbfd.impl.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSessionConfig;
import org.onosproject.TestApplicationId;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.config.InvalidFieldException;

class AutoModeSettingsTest {
    private static final ConnectPoint A = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
    private static final ConnectPoint B = ConnectPoint.deviceConnectPoint("of:0000000000000002/7");

    @Test
    void bothEndsDeriveTheSamePairFromThePoolWhicheverInstanceAsks() {
        AutoModeSettings settings = AutoModeSettings.of(true, 20, 30, 4, "169.254.0.0/16");
        BfdSessionConfig atA = settings.sessionAt(A, B);
        BfdSessionConfig atB = AutoModeSettings.of(true, 20, 30, 4, "169.254.0.0/16")
                .sessionAt(B, A);
        assertEquals(atA.path().localAddress(), atB.path().peerAddress());
        assertEquals(atA.path().peerAddress(), atB.path().localAddress());
        assertNotEquals(atA.path().localAddress(), atA.path().peerAddress());
        assertEquals(A.toString(), atA.path().interfaceName());
        assertEquals(20_000, atA.desiredMinTxInterval());
        assertEquals(30_000, atA.requiredMinRxInterval());
        assertEquals(4, atA.detectMultiplier());
        byte[] low = atA.path().localAddress().getAddress();
        assertEquals((byte) 169, low[0]);
        assertEquals((byte) 254, low[1]);
        assertEquals(0, low[3] & 1, "the lower address of a pair is even");
    }

    @Test
    void ipv6PoolsGiveLinkLocalPairs() {
        BfdSessionConfig session = AutoModeSettings.of(true, 50, 50, 3, "fe80::bfd:0/112")
                .sessionAt(A, B);
        assertTrue(session.path().localAddress().isLinkLocalAddress());
        assertTrue(session.path().peerAddress().isLinkLocalAddress());
    }

    @Test
    void theSmallestPoolNeverUsesItsFirstOrLastAddress() {
        for (int port = 1; port < 50; port++) {
            BfdSessionConfig session = AutoModeSettings.of(true, 50, 50, 3, "169.254.7.8/29")
                    .sessionAt(A, ConnectPoint.deviceConnectPoint("of:0000000000000002/" + port));
            int local = session.path().localAddress().getAddress()[3] & 0xFF;
            int peer = session.path().peerAddress().getAddress()[3] & 0xFF;
            assertTrue(local >= 10 && local <= 13 && peer >= 10 && peer <= 13, local + " " + peer);
        }
    }

    @Test
    void badSettingsNameTheirField() {
        assertField("addressPool", () -> AutoModeSettings.of(true, 50, 50, 3, "10.0.0.0/8"));
        assertField("addressPool", () -> AutoModeSettings.of(true, 50, 50, 3, "169.254.0.0/30"));
        assertField("addressPool", () -> AutoModeSettings.of(true, 50, 50, 3, "169.254.0.0"));
        assertField("addressPool", () -> AutoModeSettings.of(true, 50, 50, 3, "example.org/16"));
        assertField("addressPool", () -> AutoModeSettings.of(true, 50, 50, 3, "169.254.0.0/33"));
        assertField("addressPool", () -> AutoModeSettings.of(true, 50, 50, 3, "2001:db8::/64"));
        assertField("txIntervalMs", () -> AutoModeSettings.of(true, 0, 50, 3, "169.254.0.0/16"));
        assertField("rxIntervalMs", () -> AutoModeSettings.of(true, 50, -1, 3, "169.254.0.0/16"));
        assertField("detectMultiplier", () -> AutoModeSettings.of(true, 50, 50, 0,
                "169.254.0.0/16"));
        AutoModeSettings ok = AutoModeSettings.DEFAULT;
        assertField("dampeningInitialMs", () -> ok.withDampening(-1, 100));
        assertField("dampeningMaximumMs", () -> ok.withDampening(2_000, 1_000));
    }

    @Test
    void linksAreDampenedByDefaultAndCanBeLeftUndampened() throws Exception {
        ConnectPoint a = ConnectPoint.deviceConnectPoint("of:0000000000000001/1");
        ConnectPoint b = ConnectPoint.deviceConnectPoint("of:0000000000000002/1");
        assertEquals(org.onosbfd.api.BfdDampening.LINK_DEFAULT,
                AutoModeSettings.DEFAULT.sessionAt(a, b).dampening());
        assertEquals(new org.onosbfd.api.BfdDampening(500_000, 10_000_000),
                AutoModeSettings.DEFAULT.withDampening(500, 10_000).sessionAt(a, b).dampening());
        assertEquals(null, AutoModeSettings.DEFAULT.withDampening(0, 0).sessionAt(a, b)
                .dampening());
        assertEquals(null, appConfig("{\"dampeningInitialMs\": 0, \"dampeningMaximumMs\": 0}")
                .settings(AutoModeSettings.DEFAULT).dampening(), "off through netcfg");
    }

    private static void assertField(String field, Runnable bad) {
        BfdException e = assertThrows(BfdException.class, bad::run);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(BfdException.Kind.INVALID, e.kind());
    }

    private static BfdAppConfig appConfig(String json) throws Exception {
        BfdAppConfig config = new BfdAppConfig();
        ApplicationId app = new TestApplicationId("org.onosbfd.bfd");
        ObjectMapper mapper = new ObjectMapper();
        config.init(app, BfdAppConfig.KEY, mapper.readTree(json), mapper, c -> { });
        return config;
    }

    @Test
    void theNetworkConfigurationOverridesOnlyTheFieldsItHas() throws Exception {
        AutoModeSettings base = AutoModeSettings.of(false, 100, 100, 5, "169.254.0.0/16");
        BfdAppConfig config = appConfig("{\"autoMode\": true, \"txIntervalMs\": 20}");
        assertTrue(config.isValid());
        assertEquals(AutoModeSettings.of(true, 20, 100, 5, "169.254.0.0/16"),
                config.settings(base));
    }

    @Test
    void aBadNetworkConfigurationIsRefusedNamingTheField() throws Exception {
        assertInvalid("autoMode", "{\"autoMode\": \"yes\"}");
        assertInvalid("txIntervalMs", "{\"txIntervalMs\": \"fast\"}");
        assertInvalid("detectMultiplier", "{\"detectMultiplier\": 300}");
        assertInvalid("addressPool", "{\"addressPool\": \"10.0.0.0/8\"}");
        assertInvalid("autoMod", "{\"autoMod\": true}");
    }

    private static void assertInvalid(String field, String json) throws Exception {
        BfdAppConfig config = appConfig(json);
        InvalidFieldException e = assertThrows(InvalidFieldException.class, config::isValid);
        assertEquals(field, e.field(), e.getMessage());
    }
}
