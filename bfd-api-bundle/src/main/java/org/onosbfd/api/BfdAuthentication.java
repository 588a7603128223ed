package org.onosbfd.api;

import java.util.Objects;

/**
 * A session's authentication: which configured key it uses ({@link BfdAuthKey#id()}) and the
 * Auth Key ID carried on the wire (RFC 5880 §4.2 - §4.4), as VPP's conf-key-id / bfd-key-id.
 */
public final class BfdAuthentication {
    private final long keyId;
    private final int bfdKeyId;

    public BfdAuthentication(long keyId, int bfdKeyId) {
        BfdAuthKey.checkId(keyId);
        if (bfdKeyId < 0 || bfdKeyId > 255) {
            throw BfdException.invalid("bfdKeyId", bfdKeyId, "an integer 0-255");
        }
        this.keyId = keyId;
        this.bfdKeyId = bfdKeyId;
    }

    /** The configuration key id of the key in the service's key table. */
    public long keyId() {
        return keyId;
    }

    /** The Auth Key ID field on the wire. */
    public int bfdKeyId() {
        return bfdKeyId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BfdAuthentication && ((BfdAuthentication) o).keyId == keyId
                && ((BfdAuthentication) o).bfdKeyId == bfdKeyId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, bfdKeyId);
    }

    @Override
    public String toString() {
        return "key " + keyId + " (bfd-key-id " + bfdKeyId + ")";
    }
}
