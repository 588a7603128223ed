package org.onosbfd.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * An authentication key as an operator configures it, after VPP's key table: a configuration id,
 * a type and a secret. Sessions refer to a key by id; a key in use can neither be deleted nor
 * changed. The secret goes into the service and never comes back out: {@link BfdService#keys()}
 * returns {@link BfdKeyInfo}, and {@link #toString()} hides it.
 */
public final class BfdAuthKey {
    private final long id;
    private final BfdAuthType type;
    private final byte[] secret;

    public BfdAuthKey(long id, BfdAuthType type, byte[] secret) {
        checkId(id);
        this.id = id;
        this.type = Objects.requireNonNull(type, "type");
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 1 || secret.length > type.maxSecretLength()) {
            throw BfdException.invalid("secret", "(" + secret.length + " bytes)",
                    "1-" + type.maxSecretLength() + " bytes for " + type.label());
        }
        this.secret = secret.clone();
    }

    /** Rejects ids outside the unsigned 32-bit range VPP and the REST API use. */
    static void checkId(long id) {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw BfdException.invalid("keyId", id, "an integer 0-4294967295");
        }
    }

    public long id() {
        return id;
    }

    public BfdAuthType type() {
        return type;
    }

    /** A copy of the secret, for the implementation that signs packets. */
    public byte[] secret() {
        return secret.clone();
    }

    /** True when both keys have the same type and secret (a re-set of an in-use key is no change). */
    public boolean sameMaterial(BfdAuthKey other) {
        return type == other.type && Arrays.equals(secret, other.secret);
    }

    @Override
    public String toString() {
        return "BfdAuthKey{id=" + id + ", type=" + type.label() + ", secret=<hidden>}";
    }
}
