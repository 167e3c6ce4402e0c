package org.scsms;

/**
 * The views of METHOD.md section 5. Values are the C {@code scsms_view}
 * values; {@link #key()} is the name OUTPUT.md writes.
 */
public enum View {
    /** No controls, assurance factor 1. */
    INHERENT(0, "inherent"),
    /** Implemented and verified controls. */
    CURRENT(1, "current"),
    /** Planned, implemented and verified controls. */
    TARGET(2, "target");

    private final int code;
    private final String key;

    View(int code, String key) {
        this.code = code;
        this.key = key;
    }

    /** The C value. */
    public int code() {
        return code;
    }

    /** "inherent", "current" or "target". */
    public String key() {
        return key;
    }

    /** The view named {@code key}; IllegalArgumentException when none. */
    public static View ofKey(String key) {
        for (View v : values()) {
            if (v.key.equals(key)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no view named '" + key + "'");
    }

    static View ofCode(int code) {
        for (View v : values()) {
            if (v.code == code) {
                return v;
            }
        }
        throw new IllegalArgumentException("no view with value " + code);
    }
}
