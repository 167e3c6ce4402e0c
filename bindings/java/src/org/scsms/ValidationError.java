package org.scsms;

import java.io.Serializable;
import java.util.Map;

/**
 * One error found in a document (FORMAT.md, "Errors"; OUTPUT.md's validate
 * errors).
 *
 * @param path the JSON path, e.g. {@code $.scenarios[3].likelihood}
 * @param expected what was expected, in words
 * @param found what was found, in words
 * @param line the line (from 1) of a JSON syntax error, 0 when none
 * @param column the column (from 1, in code points) of a JSON syntax error, 0 when none
 */
public record ValidationError(String path, String expected, String found, int line, int column)
        implements Serializable {

    static ValidationError of(Map<String, Object> m) {
        Object line = m.get("line");
        Object column = m.get("column");
        return new ValidationError(Json.str(m, "path"), Json.str(m, "expected"), Json.str(m, "found"),
                line == null ? 0 : ((Number) line).intValue(),
                column == null ? 0 : ((Number) column).intValue());
    }

    /** {@code path: expected X, found Y} (the CLI's wording). */
    @Override
    public String toString() {
        return path + ": expected " + expected + ", found " + found
                + (line > 0 ? " (line " + line + ", column " + column + ")" : "");
    }
}
