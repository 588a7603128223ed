package org.onosbfd.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdAuthentication;
import org.onosbfd.api.BfdCounters;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdListener;
import org.onosbfd.api.BfdPath;
import org.onosbfd.api.BfdRequest;
import org.onosbfd.api.BfdService;
import org.onosbfd.api.BfdSession;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.api.BfdState;
import org.onosbfd.api.BfdStatistics;

/** The service as the resources see it: configuration kept in maps, no protocol. */
final class InMemoryBfdService implements BfdService {
    private final Map<Long, BfdSessionConfig> sessions = new TreeMap<>();
    private final Map<Long, BfdAuthKey> keys = new TreeMap<>();
    private long nextId = 1;

    private BfdSession snapshot(long id) {
        return BfdSession.builder().id(id).config(sessions.get(id))
                .state(sessions.get(id).isAdminDown() ? BfdState.ADMIN_DOWN : BfdState.DOWN)
                .counters(new BfdCounters(0, 0, 0, 0, Map.of())).build();
    }

    private long existing(long id) {
        if (!sessions.containsKey(id)) {
            throw BfdException.notFound("id", id);
        }
        return id;
    }

    @Override
    public BfdSession addSession(BfdSessionConfig config) {
        if (session(config.path()).isPresent()) {
            throw BfdException.conflict("peerAddress", "a session runs on " + config.path());
        }
        if (config.authentication() != null && !keys.containsKey(config.authentication().keyId())) {
            throw BfdException.notFound("keyId", config.authentication().keyId());
        }
        sessions.put(nextId, config);
        return snapshot(nextId++);
    }

    @Override
    public BfdSession modifySession(long id, BfdSessionConfig config) {
        sessions.put(existing(id), config);
        return snapshot(id);
    }

    @Override
    public void removeSession(long id) {
        sessions.remove(existing(id));
    }

    @Override
    public BfdSession setAuthentication(long id, BfdAuthentication authentication,
                                        boolean delayed) {
        return modifySession(id, sessions.get(existing(id)).toBuilder()
                .authentication(authentication).build());
    }

    @Override
    public BfdSession setAdminDown(long id, boolean adminDown) {
        return modifySession(id, sessions.get(existing(id)).toBuilder().adminDown(adminDown)
                .build());
    }

    @Override
    public Optional<BfdSession> session(long id) {
        return sessions.containsKey(id) ? Optional.of(snapshot(id)) : Optional.empty();
    }

    @Override
    public Optional<BfdSession> session(BfdPath path) {
        return sessions.entrySet().stream().filter(e -> e.getValue().path().equals(path))
                .findFirst().map(e -> snapshot(e.getKey()));
    }

    @Override
    public List<BfdSession> sessions() {
        List<BfdSession> all = new ArrayList<>();
        sessions.keySet().forEach(id -> all.add(snapshot(id)));
        return all;
    }

    @Override
    public BfdRequest requestSession(BfdSessionConfig config, BfdListener listener) {
        throw new UnsupportedOperationException("clients do not use REST");
    }

    @Override
    public void addListener(BfdListener listener) {
    }

    @Override
    public void removeListener(BfdListener listener) {
    }

    @Override
    public void setKey(BfdAuthKey key) {
        keys.put(key.id(), key);
    }

    @Override
    public void removeKey(long keyId) {
        if (keys.remove(keyId) == null) {
            throw BfdException.notFound("keyId", keyId);
        }
    }

    @Override
    public List<BfdKeyInfo> keys() {
        List<BfdKeyInfo> all = new ArrayList<>();
        keys.values().forEach(k -> all.add(new BfdKeyInfo(k.id(), k.type(), 0)));
        return all;
    }

    /** Counters cleared by the resources, -1 for all. */
    final java.util.List<Long> cleared = new ArrayList<>();

    @Override
    public void clearCounters() {
        cleared.add(-1L);
    }

    @Override
    public void clearCounters(long id) {
        cleared.add(existing(id));
    }

    @Override
    public BfdStatistics statistics() {
        return new BfdStatistics(Map.of(BfdState.DOWN, sessions.size()), 0,
                new BfdCounters(0, 0, 0, 0, Map.of()), Map.of("udp", Map.of("sent", 0L)));
    }
}
