package org.onosbfd.api;

/** Diagnostic codes, RFC 5880 §4.1 (the five-bit Diag field). */
public enum BfdDiagnostic {
    NO_DIAGNOSTIC(0, "No Diagnostic"),
    CONTROL_DETECTION_TIME_EXPIRED(1, "Control Detection Time Expired"),
    ECHO_FUNCTION_FAILED(2, "Echo Function Failed"),
    NEIGHBOR_SIGNALED_SESSION_DOWN(3, "Neighbor Signaled Session Down"),
    FORWARDING_PLANE_RESET(4, "Forwarding Plane Reset"),
    PATH_DOWN(5, "Path Down"),
    CONCATENATED_PATH_DOWN(6, "Concatenated Path Down"),
    ADMINISTRATIVELY_DOWN(7, "Administratively Down"),
    REVERSE_CONCATENATED_PATH_DOWN(8, "Reverse Concatenated Path Down"),
    /** Codes 9-31 are reserved; a peer that sends one is reported with this value. */
    RESERVED(-1, "Reserved");

    private static final BfdDiagnostic[] DEFINED = {
        NO_DIAGNOSTIC, CONTROL_DETECTION_TIME_EXPIRED, ECHO_FUNCTION_FAILED,
        NEIGHBOR_SIGNALED_SESSION_DOWN, FORWARDING_PLANE_RESET, PATH_DOWN,
        CONCATENATED_PATH_DOWN, ADMINISTRATIVELY_DOWN, REVERSE_CONCATENATED_PATH_DOWN,
    };

    private final int code;
    private final String description;

    BfdDiagnostic(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The value carried on the wire; {@link #RESERVED} has none of its own and is sent as 0. */
    public int code() {
        return Math.max(code, 0);
    }

    /** The RFC's wording, as routers print it. */
    public String description() {
        return description;
    }

    /** The diagnostic for a wire value (0-31). */
    public static BfdDiagnostic ofCode(int code) {
        return code >= 0 && code < DEFINED.length ? DEFINED[code] : RESERVED;
    }
}
