package org.scsms;

import java.util.List;

/** An id or a file does not exist. */
public class NotFoundException extends ScsmsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the C status code
     * @param message the library's message
     * @param errors the document errors, or null
     */
    public NotFoundException(int code, String message, List<ValidationError> errors) {
        super(code, message, errors);
    }
}
