package org.onosbfd.impl.manager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.onosbfd.api.BfdAuthKey;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdKeyInfo;
import org.onosbfd.api.BfdSessionConfig;
import org.onosbfd.impl.runtime.OnLoop;

/**
 * The authentication keys sessions name by id (RFC 5880 §6.7): a key in use never changes its
 * material under a session, and one is removed only once no session uses it.
 */
@OnLoop
final class KeyRing {
    static final int DEFAULT_MAX_KEYS = 1024;

    /** The registry's sessions, a live view: who uses which key. */
    private final Collection<SessionRecord> sessions;
    private final Map<Long, BfdAuthKey> keys = new TreeMap<>();
    private int maxKeys = DEFAULT_MAX_KEYS;

    KeyRing(Collection<SessionRecord> sessions) {
        this.sessions = sessions;
    }

    /** Sets the most keys (a component property); below 1 means 1. */
    void limit(int keyCount) {
        maxKeys = Math.max(1, keyCount);
    }

    /** The key {@code config}'s authentication names; null without authentication. */
    BfdAuthKey keyFor(BfdSessionConfig config) {
        if (config.authentication() == null) {
            return null;
        }
        BfdAuthKey key = keys.get(config.authentication().keyId());
        if (key == null) {
            throw BfdException.notFound("keyId", config.authentication().keyId());
        }
        return key;
    }

    private int users(long keyId) {
        int users = 0;
        for (SessionRecord record : sessions) {
            if (record.config().authentication() != null
                    && record.config().authentication().keyId() == keyId) {
                users++;
            }
        }
        return users;
    }

    void putKey(BfdAuthKey key) {
        BfdAuthKey existing = keys.get(key.id());
        int users = users(key.id());
        if (existing != null && users > 0 && !existing.sameMaterial(key)) {
            throw BfdException.conflict("keyId", "key " + key.id() + " is used by " + users
                    + " session(s) and cannot change; give the new key another id");
        }
        if (existing == null && keys.size() >= maxKeys) {
            throw BfdException.conflict("keyId", "no room for another key: " + keys.size()
                    + " of at most " + maxKeys + " exist (maxKeys in etc/org.onosbfd.cfg)");
        }
        keys.put(key.id(), key);
    }

    void deleteKey(long keyId) {
        if (!keys.containsKey(keyId)) {
            throw BfdException.notFound("keyId", keyId);
        }
        int users = users(keyId);
        if (users > 0) {
            throw BfdException.conflict("keyId", "key " + keyId + " is used by " + users
                    + " session(s)");
        }
        keys.remove(keyId);
    }

    List<BfdKeyInfo> keyInfos() {
        List<BfdKeyInfo> all = new ArrayList<>();
        keys.values().forEach(k -> all.add(new BfdKeyInfo(k.id(), k.type(), users(k.id()))));
        return all;
    }

    /** Every key, in id order. */
    List<BfdAuthKey> list() {
        return new ArrayList<>(keys.values());
    }

    /** Puts the keys that are new or changed; returns how many. */
    int reconcile(Collection<BfdAuthKey> wanted, List<String> errors) {
        int changes = 0;
        for (BfdAuthKey key : wanted) {
            BfdAuthKey existing = keys.get(key.id());
            if (existing == null || !existing.sameMaterial(key)) {
                try {
                    putKey(key);
                    changes++;
                } catch (BfdException e) {
                    errors.add("key " + key.id() + ": " + e.getMessage());
                }
            }
        }
        return changes;
    }

    /** Deletes the keys not in {@code wanted}; a key in use stays, reported in errors. */
    int removeUnwanted(Collection<BfdAuthKey> wanted, List<String> errors) {
        Set<Long> keyIds = new HashSet<>();
        wanted.forEach(k -> keyIds.add(k.id()));
        int changes = 0;
        for (Long id : new ArrayList<>(keys.keySet())) {
            if (!keyIds.contains(id)) {
                try {
                    deleteKey(id);
                    changes++;
                } catch (BfdException e) {
                    errors.add("key " + id + ": " + e.getMessage());
                }
            }
        }
        return changes;
    }
}
