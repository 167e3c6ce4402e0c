package org.scsms;

import java.time.LocalDate;
import java.util.Map;

/**
 * The common face of an analysis result: an immutable value computed from a
 * model on a date. It holds no native memory and does not depend on the
 * model afterwards (the model may be edited or closed); it may be shared
 * between threads.
 *
 * <p>{@link #toJson()} is exactly the object the command line prints with
 * {@code --json} (OUTPUT.md), without the {@code "command"} key, and
 * {@link #toMap()} the same object parsed: maps (key order kept), lists,
 * strings, numbers (Long for JSON integers, Double otherwise), booleans and
 * null.
 */
public abstract class AnalysisResult {
    private final String json;
    private final Map<String, Object> map;

    AnalysisResult(String json) {
        this.json = json;
        this.map = Json.parseObject(json);
    }

    /** The OUTPUT.md object of the analysis, as compact JSON text. */
    public String toJson() {
        return json;
    }

    /** The OUTPUT.md object parsed into unmodifiable maps and lists. */
    public Map<String, Object> toMap() {
        return map;
    }

    /** The method version, "scsms-method/1". */
    public String method() {
        return Json.str(map, "method");
    }

    /** The analysis date D used. */
    public LocalDate asOf() {
        return Dates.parse(Json.str(map, "as_of"));
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return json;
    }
}
