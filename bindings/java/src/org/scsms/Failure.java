package org.scsms;

/**
 * Why a shipment cannot be scored (METHOD.md section 9). Values are the C
 * {@code scsms_failure} values; {@link #key()} is the name OUTPUT.md writes.
 */
public enum Failure {
    /** Scored. */
    NONE(0, null),
    /** The value is negative or not a finite number. */
    NEGATIVE_VALUE(1, "negative_value"),
    /** The route has no element. */
    EMPTY_ROUTE(2, "empty_route"),
    /** A route element is not an element of the model. */
    UNKNOWN(3, "unknown"),
    /** A route element is out of scope. */
    OUT_OF_SCOPE(4, "out_of_scope"),
    /** A route element has exposures but no {@code annual_shipments}. */
    NO_ANNUAL_SHIPMENTS(5, "no_annual_shipments");

    private final int code;
    private final String key;

    Failure(int code, String key) {
        this.code = code;
        this.key = key;
    }

    /** The C value (the status byte of a batch). */
    public int code() {
        return code;
    }

    /** The OUTPUT.md name ("negative_value", ...); null for NONE. */
    public String key() {
        return key;
    }

    /** The failure of a C value (a batch's status byte). */
    public static Failure of(int code) {
        for (Failure f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("no failure with value " + code);
    }
}
