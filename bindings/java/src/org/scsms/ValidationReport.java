package org.scsms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result of validating a document without keeping it: OUTPUT.md's
 * validate object ({@link Model#validate}, {@link Model#validateJson}).
 */
public final class ValidationReport {
    static final ValidationReport VALID = new ValidationReport(true, List.of(), null);

    private final boolean valid;
    private final List<ValidationError> errors;
    private final String file;

    ValidationReport(boolean valid, List<ValidationError> errors, String file) {
        this.valid = valid;
        this.errors = Collections.unmodifiableList(new ArrayList<>(errors));
        this.file = file;
    }

    ValidationReport withFile(String f) {
        return new ValidationReport(valid, errors, f);
    }

    /** True when the document loads. */
    public boolean isValid() {
        return valid;
    }

    /** Every error found (their order is not part of the contract); empty when valid. */
    public List<ValidationError> errors() {
        return errors;
    }

    /**
     * {@code {"valid":..., "errors":[{"path","expected","found"[,"line","column"]}]}},
     * plus {@code "file"} for a file, as {@code scsms validate FILE --json}
     * prints it (without "command").
     */
    public String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\"valid\":").append(valid).append(",\"errors\":[");
        for (int i = 0; i < errors.size(); i++) {
            ValidationError e = errors.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"path\":");
            Json.quote(b, e.path());
            b.append(",\"expected\":");
            Json.quote(b, e.expected());
            b.append(",\"found\":");
            Json.quote(b, e.found());
            if (e.line() > 0) {
                b.append(",\"line\":").append(e.line()).append(",\"column\":").append(e.column());
            }
            b.append('}');
        }
        b.append(']');
        if (file != null) {
            b.append(",\"file\":");
            Json.quote(b, file);
        }
        return b.append('}').toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
