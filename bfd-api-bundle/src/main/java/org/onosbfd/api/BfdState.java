package org.onosbfd.api;

/** Session state, RFC 5880 §4.1 (the two-bit Sta field). */
public enum BfdState {
    ADMIN_DOWN(0), DOWN(1), INIT(2), UP(3);

    private static final BfdState[] BY_CODE = values();

    private final int code;

    BfdState(int code) {
        this.code = code;
    }

    /** The value carried on the wire. */
    public int code() {
        return code;
    }

    /** The state for a wire value; every 2-bit value is defined. */
    public static BfdState ofCode(int code) {
        return BY_CODE[code & 0x3];
    }
}
