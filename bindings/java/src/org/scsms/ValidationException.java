package org.scsms;

import java.util.List;

/** A document (or an edit) breaks a FORMAT.md rule; {@link #errors()} lists every error with its JSON path. */
public class ValidationException extends ScsmsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the C status code
     * @param message the library's message
     * @param errors the document errors, or null
     */
    public ValidationException(int code, String message, List<ValidationError> errors) {
        super(code, message, errors);
    }
}
