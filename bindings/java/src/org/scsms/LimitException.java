package org.scsms;

import java.util.List;

/** A documented limit was exceeded (docs/LIMITS.md). */
public class LimitException extends ScsmsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the C status code
     * @param message the library's message
     * @param errors the document errors, or null
     */
    public LimitException(int code, String message, List<ValidationError> errors) {
        super(code, message, errors);
    }
}
