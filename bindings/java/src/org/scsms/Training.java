package org.scsms;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training coverage, gaps and training factors of a model on a date
 * (METHOD.md sections 7 and 5). {@link #toJson()} is OUTPUT.md's training
 * object. Immutable and independent of the model.
 */
public final class Training extends AnalysisResult {
    private final List<Coverage> coverage;
    private final List<Gap> gaps;
    private final Map<String, Double> factors;

    Training(String json) {
        super(json);
        Map<String, Object> m = toMap();
        List<Coverage> c = new ArrayList<>();
        for (Object o : Json.list(m, "coverage")) {
            Map<String, Object> r = Json.obj(o);
            c.add(new Coverage(Json.str(r, "role"), Json.str(r, "course"), Json.integer(r, "holders"),
                    Json.integer(r, "current"), Json.dbl(r, "coverage")));
        }
        coverage = Collections.unmodifiableList(c);
        List<Gap> g = new ArrayList<>();
        for (Object o : Json.list(m, "gaps")) {
            Map<String, Object> r = Json.obj(o);
            g.add(new Gap(Json.str(r, "person"), Json.str(r, "course"), Json.str(r, "status"),
                    Dates.parse(Json.str(r, "expires")), Dates.parse(Json.str(r, "completed"))));
        }
        gaps = Collections.unmodifiableList(g);
        Map<String, Double> f = new LinkedHashMap<>();
        for (Object o : Json.list(m, "training_factors")) {
            Map<String, Object> r = Json.obj(o);
            f.put(Json.str(r, "control"), Json.dbl(r, "training_factor"));
        }
        factors = Collections.unmodifiableMap(f);
    }

    /**
     * One row per (role, course): each role with its courses in their
     * listed order, then each pair a control requires that no role lists.
     */
    public List<Coverage> coverage() {
        return coverage;
    }

    /** Distinct required (person, course) pairs, from the roles' own courses. */
    public int requiredPairs() {
        return Json.integer(toMap(), "required_pairs");
    }

    /** Required pairs with a current record on the date. */
    public int currentPairs() {
        return Json.integer(toMap(), "current_pairs");
    }

    /** currentPairs / requiredPairs; 1 when there are none. */
    public double overallCoverage() {
        return Json.dbl(toMap(), "overall_coverage");
    }

    /** {@code settings.training_threshold}. */
    public double threshold() {
        return Json.dbl(toMap(), "threshold");
    }

    /** overallCoverage below threshold. */
    public boolean belowThreshold() {
        return Json.bool(toMap(), "below_threshold");
    }

    /** The required pairs that are missing, expired or expiring (OUTPUT.md order). */
    public List<Gap> gaps() {
        return gaps;
    }

    /** Control id -> training factor t(c), for every control with {@code requires}, document order. */
    public Map<String, Double> trainingFactors() {
        return factors;
    }

    /**
     * Coverage of one (role, course) pair.
     *
     * @param role the role id
     * @param course the course id
     * @param holders people holding the role
     * @param current holders with a current record of the course
     * @param coverage current / holders; 0 when nobody holds the role
     */
    public record Coverage(String role, String course, int holders, int current, double coverage) {
    }

    /**
     * A required (person, course) pair that is not current, or expires soon.
     *
     * @param person the person id
     * @param course the course id
     * @param status "missing", "expired" or "expiring"
     * @param expires the latest expiry (expired) or E (expiring); null for missing
     * @param completed the latest completion on or before the date; null for missing
     */
    public record Gap(String person, String course, String status, LocalDate expires, LocalDate completed) {
    }
}
