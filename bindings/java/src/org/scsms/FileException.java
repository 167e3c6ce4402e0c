package org.scsms;

import java.util.List;

/** A file cannot be read or written (a directory, no permission, a full disk). */
public class FileException extends ScsmsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code the C status code
     * @param message the library's message
     * @param errors the document errors, or null
     */
    public FileException(int code, String message, List<ValidationError> errors) {
        super(code, message, errors);
    }
}
