package org.scsms;

/**
 * The singleton objects of a model (FORMAT.md top level), each with its
 * JSON key. Values are the C {@code scsms_section} values.
 */
public enum Section {
    /** {@code organization} (cannot be removed). */
    ORGANIZATION(1, "organization"),
    /** {@code settings}. */
    SETTINGS(2, "settings"),
    /** {@code scales}. */
    SCALES(3, "scales"),
    /** {@code assurance}. */
    ASSURANCE(4, "assurance"),
    /** {@code certificate}. */
    CERTIFICATE(5, "certificate");

    private final int code;
    private final String key;

    Section(int code, String key) {
        this.code = code;
        this.key = key;
    }

    /** The C value. */
    public int code() {
        return code;
    }

    /** The JSON key ("settings"). */
    public String key() {
        return key;
    }

    /** The section whose JSON key is {@code key}; IllegalArgumentException when none. */
    public static Section ofKey(String key) {
        for (Section s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no section with key '" + key + "'");
    }
}
