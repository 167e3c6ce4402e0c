package org.scsms;

import java.util.List;

/** The library refused an argument: an unknown candidate control, a negative budget, a view the call does not take, a model without an analysis date when none is given. */
public class InvalidArgumentException extends ScsmsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the C status code
     * @param message the library's message
     * @param errors the document errors, or null
     */
    public InvalidArgumentException(int code, String message, List<ValidationError> errors) {
        super(code, message, errors);
    }
}
