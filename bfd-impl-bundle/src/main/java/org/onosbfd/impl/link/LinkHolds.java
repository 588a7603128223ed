package org.onosbfd.impl.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onosbfd.impl.storage.DurableFile;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.LinkKey;
import org.onosproject.net.config.NetworkConfigService;
import org.onosproject.net.config.basics.BasicLinkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps links that BFD declared dead out of the topology until BFD sees them alive again, by
 * the one means ONOS gives every link provider to respect: the link's {@code basic} network
 * configuration with {@code "allowed": false}. ONOS's link manager then refuses the link from
 * any provider (so LLDP's next probe cannot bring it back and make it flap) and removes it in
 * both directions.
 *
 * <p>Releasing restores only the {@code allowed} field to what it was, so other fields an
 * operator edits meanwhile survive, and a configuration created for the hold is removed again.
 * The holds are written to a state file: if BFD stops, or dies, while holding links, they are
 * released on the next start rather than left blocking links for ever.
 */
final class LinkHolds {
    private static final Logger log = LoggerFactory.getLogger(LinkHolds.class);
    private static final String ALLOWED = "allowed";

    /** What a hold changed: the configuration's previous {@code allowed}, if it existed. */
    private static final class Hold {
        final boolean configExisted;
        /** The previous value of {@code allowed}; null when the field was absent. */
        final JsonNode previousAllowed;

        Hold(boolean configExisted, JsonNode previousAllowed) {
            this.configExisted = configExisted;
            this.previousAllowed = previousAllowed;
        }
    }

    private final NetworkConfigService netcfg;
    private final Path stateFile;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<LinkKey, Hold> holds = new LinkedHashMap<>();

    /** @param stateFile where holds are remembered across restarts; null: not remembered */
    LinkHolds(NetworkConfigService netcfg, Path stateFile) {
        this.netcfg = netcfg;
        this.stateFile = stateFile;
    }

    boolean isHeld(LinkKey key) {
        return holds.containsKey(key);
    }

    Set<LinkKey> held() {
        return Set.copyOf(holds.keySet());
    }

    /** Disallows the link (both directions); idempotent. */
    void hold(LinkKey key) {
        if (holds.containsKey(key)) {
            return;
        }
        BasicLinkConfig config = netcfg.getConfig(key, BasicLinkConfig.class);
        ObjectNode node = config != null && config.node() instanceof ObjectNode
                ? ((ObjectNode) config.node()).deepCopy() : mapper.createObjectNode();
        holds.put(key, new Hold(config != null, node.get(ALLOWED)));
        if (!save()) {
            // A hold that is not on record could outlive a crash and block the link for ever:
            // the link is reported gone all the same, but not held against re-discovery.
            holds.remove(key);
            log.error("BFD: link {} is not held against re-discovery, since the hold cannot be "
                    + "recorded in {}", key, stateFile);
            return;
        }
        node.put(ALLOWED, false);
        netcfg.applyConfig(key, BasicLinkConfig.class, node);
    }

    /** Gives the link back to whoever reports it; idempotent. */
    void release(LinkKey key) {
        Hold hold = holds.remove(key);
        if (hold == null) {
            return;
        }
        restore(key, hold);
        save();
    }

    void releaseAll() {
        for (LinkKey key : List.copyOf(holds.keySet())) {
            release(key);
        }
    }

    private void restore(LinkKey key, Hold hold) {
        BasicLinkConfig config = netcfg.getConfig(key, BasicLinkConfig.class);
        if (config == null || !(config.node() instanceof ObjectNode)) {
            return; // removed by the operator meanwhile: nothing of ours is left
        }
        ObjectNode node = ((ObjectNode) config.node()).deepCopy();
        if (hold.previousAllowed == null) {
            node.remove(ALLOWED);
        } else {
            node.set(ALLOWED, hold.previousAllowed);
        }
        if (!hold.configExisted && node.size() == 0) {
            netcfg.removeConfig(key, BasicLinkConfig.class);
        } else {
            netcfg.applyConfig(key, BasicLinkConfig.class, node);
        }
    }

    /**
     * Releases the holds a previous run left (it stopped or died holding them): their sessions
     * start again from Down, and BFD only holds a link again after seeing it Up and then fail.
     */
    void releaseLeftovers() {
        if (stateFile == null || !Files.exists(stateFile)) {
            return;
        }
        try {
            JsonNode saved = mapper.readTree(Files.readString(stateFile));
            for (JsonNode entry : saved) {
                LinkKey key = LinkKey.linkKey(ConnectPoint.deviceConnectPoint(entry.get("src")
                        .asText()), ConnectPoint.deviceConnectPoint(entry.get("dst").asText()));
                JsonNode previous = entry.get("previousAllowed");
                restore(key, new Hold(entry.get("configExisted").asBoolean(),
                        previous == null || previous.isNull() ? null : previous));
                log.info("BFD released link {} held by a previous run", key);
            }
            Files.delete(stateFile);
        } catch (IOException | RuntimeException e) {
            log.warn("BFD cannot read its link holds in {}: {}", stateFile, e.toString());
        }
    }

    /** Records the holds; false when they cannot be (a hold must not go unrecorded). */
    private boolean save() {
        if (stateFile == null) {
            return true;
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        holds.forEach((key, hold) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("src", key.src().toString());
            entry.put("dst", key.dst().toString());
            entry.put("configExisted", hold.configExisted);
            entry.put("previousAllowed", hold.previousAllowed);
            entries.add(entry);
        });
        try {
            DurableFile.replace(stateFile, mapper.writeValueAsString(entries)
                    .getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            log.warn("BFD cannot record its link holds in {}: {}", stateFile, e.toString());
            return false;
        }
    }
}
