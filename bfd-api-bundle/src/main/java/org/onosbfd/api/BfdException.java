package org.onosbfd.api;

/**
 * Why a request to {@link BfdService} was refused. Nothing was changed. The kind maps onto the
 * REST status (400, 404, 409, 503) and the field names the offending input, so that the CLI and the
 * REST API can say precisely what to fix.
 */
public class BfdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal this is. */
    public enum Kind {
        /** The input is malformed or out of range. */
        INVALID,
        /** The thing named does not exist. */
        NOT_FOUND,
        /** The input is valid but clashes with what exists (duplicate session, key in use). */
        CONFLICT,
        /**
         * The change could not be made durable (the configuration file cannot be written: a
         * full disk, a read-only directory); it was undone, and may be retried.
         */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String field;

    public BfdException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The input field at fault, or null when the request as a whole is. */
    public String field() {
        return field;
    }

    /** A malformed or out-of-range value, with the accepted form. */
    public static BfdException invalid(String field, Object value, String accepted) {
        return new BfdException(Kind.INVALID, field,
                field + ": '" + value + "' is not valid; expected " + accepted);
    }

    /**
     * A refused secret: the value is never repeated (error messages reach logs and other
     * people's screens), only the field and the accepted form.
     */
    public static BfdException invalidSecret(String field, String accepted) {
        return new BfdException(Kind.INVALID, field,
                field + ": not valid (the value is a secret and is not repeated); expected "
                        + accepted);
    }

    /** A field the input may not have; its value is not repeated (it may be a secret). */
    public static BfdException unknownField(String field, String known) {
        return new BfdException(Kind.INVALID, field,
                field + ": no such field; known fields: " + known);
    }

    /** A missing session or key. */
    public static BfdException notFound(String field, Object value) {
        return new BfdException(Kind.NOT_FOUND, field, field + ": no " + field + " '" + value + "'");
    }

    /** A change that could not be saved, and so was not made. */
    public static BfdException unsaved(String where, String reason) {
        return new BfdException(Kind.UNAVAILABLE, null, "not changed: the configuration could "
                + "not be saved to " + where + " (" + reason + "); nothing was applied");
    }

    /** A clash with existing configuration. */
    public static BfdException conflict(String field, String message) {
        return new BfdException(Kind.CONFLICT, field, field + ": " + message);
    }
}
