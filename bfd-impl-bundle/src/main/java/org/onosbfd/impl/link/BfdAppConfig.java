package org.onosbfd.impl.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.onosbfd.api.BfdException;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.config.Config;
import org.onosproject.net.config.InvalidFieldException;

/**
 * BFD's ONOS network configuration, under {@code apps / org.onosbfd.bfd / bfd}, so that an
 * operator can post it with {@code onos-netcfg}:
 *
 * <pre>{"apps": {"org.onosbfd.bfd": {"bfd": {
 *     "autoMode": true, "txIntervalMs": 50, "rxIntervalMs": 50, "detectMultiplier": 3,
 *     "addressPool": "169.254.0.0/16",
 *     "ties": [{"peer": "192.0.2.1", "port": "of:0000000000000001/3"}]}}}}</pre>
 *
 * Fields left out keep the component configuration's values. When present, this configuration
 * wins over the component's (it is the cluster-wide one).
 */
public final class BfdAppConfig extends Config<ApplicationId> {
    public static final String KEY = "bfd";
    static final String AUTO_MODE = "autoMode";
    static final String TX_INTERVAL = "txIntervalMs";
    static final String RX_INTERVAL = "rxIntervalMs";
    static final String DETECT_MULTIPLIER = "detectMultiplier";
    static final String ADDRESS_POOL = "addressPool";
    static final String TIES = "ties";
    static final String DAMPENING_INITIAL = "dampeningInitialMs";
    static final String DAMPENING_MAXIMUM = "dampeningMaximumMs";

    /**
     * ONOS's convention: a bad field throws {@link InvalidFieldException} naming it, which
     * ONOS's network configuration REST API returns to the operator.
     */
    @Override
    public boolean isValid() {
        hasOnlyFields(AUTO_MODE, TX_INTERVAL, RX_INTERVAL, DETECT_MULTIPLIER, ADDRESS_POOL,
                DAMPENING_INITIAL, DAMPENING_MAXIMUM, TIES);
        try {
            settings(AutoModeSettings.DEFAULT);
        } catch (BfdException e) {
            throw new InvalidFieldException(e.field(), e.getMessage());
        }
        ties();
        return true;
    }

    /**
     * The settings this configuration gives, fields left out taken from {@code defaults}.
     *
     * @throws BfdException naming the bad field
     */
    public AutoModeSettings settings(AutoModeSettings defaults) {
        for (String field : new String[] {TX_INTERVAL, RX_INTERVAL, DETECT_MULTIPLIER,
            DAMPENING_INITIAL, DAMPENING_MAXIMUM}) {
            if (object.has(field) && !object.get(field).canConvertToLong()) {
                throw BfdException.invalid(field, object.get(field), "an integer");
            }
        }
        if (object.has(AUTO_MODE) && !object.get(AUTO_MODE).isBoolean()) {
            throw BfdException.invalid(AUTO_MODE, object.get(AUTO_MODE), "true or false");
        }
        return AutoModeSettings.of(get(AUTO_MODE, defaults.isEnabled()),
                get(TX_INTERVAL, defaults.txIntervalMicros() / 1000),
                get(RX_INTERVAL, defaults.rxIntervalMicros() / 1000),
                get(DETECT_MULTIPLIER, defaults.detectMultiplier()),
                get(ADDRESS_POOL, defaults.addressPool()))
                .withDampening(get(DAMPENING_INITIAL, defaults.dampening() == null ? 0
                                : defaults.dampening().initialHold() / 1000),
                        get(DAMPENING_MAXIMUM, defaults.dampening() == null ? 0
                                : defaults.dampening().maximumHold() / 1000));
    }

    /**
     * The sessions tied to ports and links ({@link SessionTie}).
     *
     * @throws InvalidFieldException naming the bad entry and field
     */
    List<SessionTie> ties() {
        JsonNode list = object.path(TIES);
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new InvalidFieldException(TIES, "expected a list");
        }
        List<SessionTie> ties = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ties.add(SessionTie.parse(list.get(i), i));
        }
        return ties;
    }
}
