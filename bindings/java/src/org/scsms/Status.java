package org.scsms;

/**
 * The library's status codes (include/scsms/errors.h). {@link #code()} is
 * the C value; the numbers are ABI and never change.
 */
public enum Status {
    /** Success. */
    OK(0),
    /** A generic failure (the message says what). */
    ERROR(-1),
    /** A native allocation failed. */
    OUT_OF_MEMORY(-2),
    /** An argument is invalid (out of range, unknown id, malformed date). */
    INVALID_ARGUMENT(-3),
    /** Input is not well-formed (JSON syntax, UTF-8, a CSV header). */
    PARSE(-4),
    /** The model document breaks a FORMAT.md rule; see the errors. */
    INVALID_MODEL(-5),
    /** An id or a file does not exist. */
    NOT_FOUND(-6),
    /** Reading or writing a file failed. */
    IO(-7),
    /** A documented limit was exceeded (docs/LIMITS.md). */
    LIMIT(-8),
    /** An unsupported format or options version. */
    VERSION(-9),
    /** A progress listener asked to stop. */
    CANCELED(-10),
    /** The object is in the wrong state for the call. */
    STATE(-11);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The C status value (0 or negative). */
    public int code() {
        return code;
    }

    /** The status of a C value; ERROR for a value this binding does not know. */
    public static Status of(int code) {
        for (Status s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return ERROR;
    }

    /** The library's short description of the status ("out of memory", ...). */
    public String description() {
        return LibScsms.scsms_status_str(code);
    }
}
