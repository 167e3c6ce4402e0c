package org.scsms;

/**
 * The kinds of entity a model holds in arrays (FORMAT.md), each with its
 * JSON key. Values are the C {@code scsms_kind} values.
 */
public enum Kind {
    /** {@code partners}. */
    PARTNER(1, "partners"),
    /** {@code nodes}. */
    NODE(2, "nodes"),
    /** {@code legs}. */
    LEG(3, "legs"),
    /** {@code scenarios}. */
    SCENARIO(4, "scenarios"),
    /** {@code controls}. */
    CONTROL(5, "controls"),
    /** {@code courses}. */
    COURSE(6, "courses"),
    /** {@code roles}. */
    ROLE(7, "roles"),
    /** {@code people}. */
    PERSON(8, "people"),
    /** {@code catalogues}. */
    CATALOGUE(9, "catalogues"),
    /** {@code audits}. */
    AUDIT(10, "audits"),
    /** {@code findings}. */
    FINDING(11, "findings"),
    /** {@code actions}. */
    ACTION(12, "actions"),
    /** {@code reviews}: they have no id; address them by index. */
    REVIEW(13, "reviews");

    private final int code;
    private final String key;

    Kind(int code, String key) {
        this.code = code;
        this.key = key;
    }

    /** The C value. */
    public int code() {
        return code;
    }

    /** The JSON key of the kind's array ("scenarios"). */
    public String key() {
        return key;
    }

    /** The kind whose JSON key is {@code key}; IllegalArgumentException when none. */
    public static Kind ofKey(String key) {
        for (Kind k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no entity kind with key '" + key + "'");
    }
}
