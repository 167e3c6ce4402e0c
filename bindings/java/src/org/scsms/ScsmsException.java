package org.scsms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A libscsms call failed: the status code, the library's message and, for
 * documents that do not parse or validate, every error found.
 *
 * <p>Unchecked (docs/JAVA.md, "Errors"): most failures are a bad argument
 * or a bad document, which the caller handles where it makes sense rather
 * than at every call. Subclasses name the common cases:
 * {@link ValidationException} (a document breaks the format),
 * {@link SyntaxException} (not JSON, bad UTF-8, a bad CSV header),
 * {@link NotFoundException} (no such id or file), {@link FileException}
 * (a file cannot be read or written), {@link InvalidArgumentException}
 * (an argument the library refuses), {@link LimitException} (a documented
 * limit), {@link CanceledException} (a progress listener stopped the
 * call). Arguments refused before the native call (null, wrong array
 * lengths) throw the standard NullPointerException and
 * IllegalArgumentException instead, and use of a closed object throws
 * IllegalStateException.
 */
public class ScsmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final int code;
    private final ArrayList<ValidationError> errors;

    /**
     * @param code the C status code (negative)
     * @param message the library's message
     * @param errors the document errors (copied), or null for none
     */
    public ScsmsException(int code, String message, List<ValidationError> errors) {
        super(message);
        this.code = code;
        this.status = Status.of(code);
        this.errors = errors == null ? new ArrayList<>() : new ArrayList<>(errors);
    }

    /** The status, e.g. {@link Status#INVALID_MODEL}. */
    public Status status() {
        return status;
    }

    /** The C status code (negative). */
    public int code() {
        return code;
    }

    /**
     * Every error found in the document (parse and validation failures,
     * edits that would make the model invalid); empty for other failures.
     */
    public List<ValidationError> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** The exception for a native failure (called from the JNI glue). */
    static ScsmsException fromNative(int code, byte[] message, byte[] diagnostics) {
        String msg = message == null ? Status.of(code).description()
                : new String(message, StandardCharsets.UTF_8);
        List<ValidationError> errs = new ArrayList<>();
        if (diagnostics != null) {
            for (Object o : Json.list(Json.parse(new String(diagnostics, StandardCharsets.UTF_8)))) {
                errs.add(ValidationError.of(Json.obj(o)));
            }
        }
        switch (Status.of(code)) {
            case INVALID_MODEL:
                return new ValidationException(code, msg, errs);
            case PARSE:
                return new SyntaxException(code, msg, errs);
            case NOT_FOUND:
                return new NotFoundException(code, msg, errs);
            case IO:
                return new FileException(code, msg, errs);
            case INVALID_ARGUMENT:
                return new InvalidArgumentException(code, msg, errs);
            case LIMIT:
                return new LimitException(code, msg, errs);
            case CANCELED:
                return new CanceledException(code, msg, errs);
            default:
                return new ScsmsException(code, msg, errs);
        }
    }
}
