package org.onosbfd.api;

/** Authentication types, RFC 5880 §4.2 - §4.4, with the sizes of their sections on the wire. */
public enum BfdAuthType {
    /** §4.2: the password itself, 1-16 bytes. */
    SIMPLE_PASSWORD(1, "simple", 16, false),
    /** §4.3: MD5 over the packet with the key in the digest field; sequence may repeat. */
    KEYED_MD5(2, "keyed-md5", 16, false),
    /** §4.3: as keyed MD5, sequence number incremented on every packet. */
    METICULOUS_KEYED_MD5(3, "meticulous-keyed-md5", 16, true),
    /** §4.4: SHA-1 over the packet with the key in the hash field; sequence may repeat. */
    KEYED_SHA1(4, "keyed-sha1", 20, false),
    /** §4.4: as keyed SHA-1, sequence number incremented on every packet. */
    METICULOUS_KEYED_SHA1(5, "meticulous-keyed-sha1", 20, true);

    private final int code;
    private final String label;
    private final int maxSecretLength;
    private final boolean meticulous;

    BfdAuthType(int code, String label, int maxSecretLength, boolean meticulous) {
        this.code = code;
        this.label = label;
        this.maxSecretLength = maxSecretLength;
        this.meticulous = meticulous;
    }

    /** The Auth Type value on the wire. */
    public int code() {
        return code;
    }

    /** The lower-case name operators type ("keyed-sha1"), as in VPP, BIRD and the REST API. */
    public String label() {
        return label;
    }

    /** The longest secret this type carries: 16 bytes for a password or MD5 key, 20 for SHA-1. */
    public int maxSecretLength() {
        return maxSecretLength;
    }

    /** True when every transmitted packet must carry a new sequence number (§6.7.3, §6.7.4). */
    public boolean isMeticulous() {
        return meticulous;
    }

    /** True for the types with a sequence number and digest (all but simple password). */
    public boolean hasSequenceNumber() {
        return this != SIMPLE_PASSWORD;
    }

    /** The Auth Len on the wire: 3 + password length for simple, 24 for MD5, 28 for SHA-1. */
    public int sectionLength(int secretLength) {
        return this == SIMPLE_PASSWORD ? 3 + secretLength : 8 + maxSecretLength;
    }

    /** The type with this wire code, or null for codes RFC 5880 does not define. */
    public static BfdAuthType ofCode(int code) {
        for (BfdAuthType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }

    /** The type with this operator label ("keyed-sha1"), case-insensitive. */
    public static BfdAuthType ofLabel(String label) {
        for (BfdAuthType type : values()) {
            if (type.label.equalsIgnoreCase(label) || type.name().equalsIgnoreCase(label)) {
                return type;
            }
        }
        throw BfdException.invalid("type", label,
                "simple|keyed-md5|meticulous-keyed-md5|keyed-sha1|meticulous-keyed-sha1");
    }
}
