package org.scsms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The security plan of a model (METHOD.md section 6): the candidate
 * controls, the efficient frontier, the selection under a budget when one
 * was given, and the plan report. {@link #toJson()} is OUTPUT.md's plan
 * object. Immutable and independent of the model.
 */
public final class Plan extends AnalysisResult {
    private final List<FrontierPoint> frontier;
    private final Selection selection;
    private final List<ReportRow> report;
    private final List<UnreachedEffect> unreached;

    Plan(String json) {
        super(json);
        Map<String, Object> m = toMap();
        List<FrontierPoint> f = new ArrayList<>();
        for (Object o : Json.list(m, "frontier")) {
            Map<String, Object> p = Json.obj(o);
            f.add(new FrontierPoint(Json.dbl(p, "cost"), Json.dbl(p, "ale"), Json.strings(p, "controls")));
        }
        frontier = Collections.unmodifiableList(f);
        Map<String, Object> s = Json.obj(m, "selection");
        selection = s == null ? null
                : new Selection(Json.dbl(s, "budget"), Json.strings(s, "selected"), Json.dbl(s, "cost"),
                        Json.dbl(s, "ale_before"), Json.dbl(s, "ale_after"), Json.strings(s, "above_appetite"),
                        Json.bool(s, "exact"), Json.str(s, "algorithm"),
                        s.get("bound") == null ? null : Json.dbl(s, "bound"));
        List<ReportRow> r = new ArrayList<>();
        for (Object o : Json.list(m, "report")) {
            Map<String, Object> row = Json.obj(o);
            List<ReportControl> cs = new ArrayList<>();
            for (Object co : Json.list(row, "controls")) {
                Map<String, Object> c = Json.obj(co);
                cs.add(new ReportControl(Json.str(c, "id"), Json.str(c, "status"),
                        Dates.parse(Json.str(c, "due")), Json.bool(c, "past_due"),
                        Json.dbl(c, "training_factor")));
            }
            r.add(new ReportRow(Json.str(row, "scenario"), Json.str(row, "level"), Json.integer(row, "score"),
                    Collections.unmodifiableList(cs), Json.strings(row, "flags")));
        }
        report = Collections.unmodifiableList(r);
        List<UnreachedEffect> u = new ArrayList<>();
        for (Object o : Json.list(m, "unreached_effects")) {
            Map<String, Object> e = Json.obj(o);
            u.add(new UnreachedEffect(Json.str(e, "control"), Json.str(e, "scenario")));
        }
        unreached = Collections.unmodifiableList(u);
    }

    /** The candidate controls, byte order. */
    public List<String> candidates() {
        return Json.strings(toMap(), "candidates");
    }

    /** The model's ALE in the current view. */
    public double aleBefore() {
        return Json.dbl(toMap(), "ale_before");
    }

    /** Scenarios above appetite in the current view, document order. */
    public List<String> aboveAppetiteBefore() {
        return Json.strings(toMap(), "above_appetite_before");
    }

    /** The efficient frontier, ascending cost. */
    public List<FrontierPoint> frontier() {
        return frontier;
    }

    /** True when the frontier is exact (always for at most 20 candidates). */
    public boolean frontierExact() {
        return Json.bool(toMap(), "frontier_exact");
    }

    /** The selection under the budget; empty when no budget was given. */
    public Optional<Selection> selection() {
        return Optional.ofNullable(selection);
    }

    /** The scenarios above appetite in the target view, document order. */
    public List<ReportRow> report() {
        return report;
    }

    /** Effects that act at none of their scenario's exposures. */
    public List<UnreachedEffect> unreachedEffects() {
        return unreached;
    }

    /**
     * A point of the efficient frontier.
     *
     * @param cost the subset's total annual cost
     * @param ale the model's ALE with current controls plus the subset
     * @param controls the subset, byte order
     */
    public record FrontierPoint(double cost, double ale, List<String> controls) {
    }

    /**
     * The selection under a budget.
     *
     * @param budget the budget B
     * @param selected the selected controls S, byte order
     * @param cost their total annual cost
     * @param aleBefore the ALE in the current view
     * @param aleAfter the ALE in the view current + S
     * @param aboveAppetite scenarios still above appetite in that view
     * @param exact the optimum is proven
     * @param algorithm the algorithm's name
     * @param bound when not exact, a proven bound on aleAfter minus the optimum, else null
     */
    public record Selection(double budget, List<String> selected, double cost, double aleBefore,
            double aleAfter, List<String> aboveAppetite, boolean exact, String algorithm, Double bound) {
    }

    /**
     * A scenario above appetite in the target view.
     *
     * @param scenario the scenario id
     * @param level its target-view risk level
     * @param score its target-view score
     * @param controls the controls counted in the target view acting at its exposures
     * @param flags "no_control", "planned_past_due", "training_factor_below_1", in this order
     */
    public record ReportRow(String scenario, String level, int score, List<ReportControl> controls,
            List<String> flags) {
    }

    /**
     * A control of a report row.
     *
     * @param id the control id
     * @param status "planned", "implemented" or "verified"
     * @param due its due date, or null
     * @param pastDue planned and the date after its due date
     * @param trainingFactor its training factor t on the date
     */
    public record ReportControl(String id, String status, java.time.LocalDate due, boolean pastDue,
            double trainingFactor) {
    }

    /**
     * An effect that reaches none of its scenario's exposures.
     *
     * @param control the control
     * @param scenario the scenario of the effect
     */
    public record UnreachedEffect(String control, String scenario) {
    }
}
