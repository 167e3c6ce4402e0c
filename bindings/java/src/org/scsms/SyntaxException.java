package org.scsms;

import java.util.List;

/** Input is not well-formed: not JSON, bad UTF-8, a byte order mark, a CSV file without the {@code id,value,route} header. For JSON, {@link #errors()} holds the error with its line and column. */
public class SyntaxException extends ScsmsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the C status code
     * @param message the library's message
     * @param errors the document errors, or null
     */
    public SyntaxException(int code, String message, List<ValidationError> errors) {
        super(code, message, errors);
    }
}
