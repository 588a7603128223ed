package org.onosbfd.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.onosbfd.api.BfdDropReason;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.codec.BfdJson;

/**
 * One vocabulary for the shell: states as operators know them from routers ({@code AdminDown},
 * {@code Up}), drop reasons as REST names them ({@code authMismatch}), never Java's map text.
 */
final class Words {
    private Words() {
    }

    static String state(BfdState state) {
        switch (state) {
            case ADMIN_DOWN:
                return "AdminDown";
            case DOWN:
                return "Down";
            case INIT:
                return "Init";
            default:
                return "Up";
        }
    }

    /**
     * "127.0.0.2 from 127.0.0.1, TX 50ms, RX 50ms, multiplier 3, passive": a configuration in
     * the options' terms.
     */
    static String config(BfdSessionConfig config) {
        StringBuilder text = new StringBuilder(config.path().toString())
                .append(", TX ").append(Durations.format(config.desiredMinTxInterval()))
                .append(", RX ").append(Durations.format(config.requiredMinRxInterval()))
                .append(", multiplier ").append(config.detectMultiplier());
        if (config.desiredMinEchoTxInterval() > 0) {
            text.append(", echo TX ").append(Durations.format(config.desiredMinEchoTxInterval()));
        }
        if (config.requiredMinEchoRxInterval() > 0) {
            text.append(", echo RX ").append(Durations.format(config.requiredMinEchoRxInterval()));
        }
        text.append(config.isPassive() ? ", passive" : "")
                .append(config.isDemand() ? ", demand" : "")
                .append(config.isAdminDown() ? ", AdminDown" : "");
        if (config.dampening() != null) {
            text.append(", dampening ").append(Durations.format(config.dampening().initialHold()))
                    .append("-").append(Durations.format(config.dampening().maximumHold()));
        }
        if (config.authentication() != null) {
            text.append(", key ").append(config.authentication().keyId()).append(" bfd-key-id ")
                    .append(config.authentication().bfdKeyId());
        }
        return text.toString();
    }

    static String dropReason(BfdDropReason reason) {
        return BfdJson.camelCase(reason.name());
    }

    /** "ttl 3, authMismatch 1"; "none" when nothing was dropped. */
    static String drops(Map<BfdDropReason, Long> drops) {
        List<String> parts = new ArrayList<>();
        drops.forEach((reason, count) -> parts.add(dropReason(reason) + " " + count));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** "Up 2, Down 1": the states that have sessions; "none" without sessions. */
    static String byState(Map<BfdState, Integer> sessions) {
        List<String> parts = new ArrayList<>();
        sessions.forEach((state, count) -> {
            if (count > 0) {
                parts.add(state(state) + " " + count);
            }
        });
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
