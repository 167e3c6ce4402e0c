package org.scsms;

import java.util.List;

/** A progress listener asked to stop the call by returning false (an exception the listener throws propagates as itself). */
public class CanceledException extends ScsmsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the C status code
     * @param message the library's message
     * @param errors the document errors, or null
     */
    public CanceledException(int code, String message, List<ValidationError> errors) {
        super(code, message, errors);
    }
}
