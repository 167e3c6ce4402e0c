package org.scsms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The risk register of a model on a date (METHOD.md sections 2 to 5):
 * inherent risk per scenario, its exposures, and residual risk in the three
 * views. {@link #toJson()} is OUTPUT.md's assess object (with the extra key
 * {@code warnings}). Immutable and independent of the model.
 */
public final class Assessment extends AnalysisResult {
    private final List<Scenario> scenarios;
    private final Map<View, Totals> totals;
    private final List<Warning> warnings;

    Assessment(String json) {
        super(json);
        Map<String, Object> m = toMap();
        List<Scenario> s = new ArrayList<>();
        for (Object o : Json.list(m, "scenarios")) {
            s.add(Scenario.of(Json.obj(o)));
        }
        scenarios = Collections.unmodifiableList(s);
        Map<View, Totals> t = new EnumMap<>(View.class);
        Map<String, Object> tm = Json.obj(m, "totals");
        for (View v : View.values()) {
            t.put(v, Totals.of(Json.obj(tm, v.key())));
        }
        totals = Collections.unmodifiableMap(t);
        List<Warning> w = new ArrayList<>();
        for (Object o : Json.list(m, "warnings")) {
            Map<String, Object> wm = Json.obj(o);
            w.add(new Warning(Json.str(wm, "type"), Json.str(wm, "control"), Json.str(wm, "scenario"),
                    Json.str(wm, "message")));
        }
        warnings = Collections.unmodifiableList(w);
    }

    /** The risk appetite: a risk level name (METHOD 2). */
    public String appetite() {
        return Json.str(toMap(), "appetite");
    }

    /** One row per scenario, in document order. */
    public List<Scenario> scenarios() {
        return scenarios;
    }

    /** The row of scenario {@code id}, if the model has it. */
    public Optional<Scenario> scenario(String id) {
        for (Scenario s : scenarios) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The model's totals in a view. */
    public Totals totals(View view) {
        return totals.get(view);
    }

    /** The model's annualised loss expectancy in a view (= totals(view).ale()). */
    public double ale(View view) {
        return totals.get(view).ale();
    }

    /**
     * Things a security manager should look at that do not stop the
     * analysis (docs/ASSESSMENT.md): {@code unreached_effect},
     * {@code training_factor_zero}, {@code requires_unlisted_course}.
     */
    public List<Warning> warnings() {
        return warnings;
    }

    /**
     * A scenario's row of the register.
     *
     * @param id the scenario id
     * @param name its name
     * @param category its category ("cargo_theft", ...)
     * @param lambda lambda(s): rate, PERT mean or rep(likelihood) (METHOD 3)
     * @param consequenceLevels category -> level, as the model rates them
     * @param inherentLikelihood L = band(lambda)
     * @param inherentConsequence C, the highest category level
     * @param inherentScore L x C
     * @param inherentLevel its risk level
     * @param magnitudeMean mean loss per event
     * @param exposures element ids of the exposures in byte order; a single null for the organisation exposure
     * @param views the scenario's row in each view
     */
    public record Scenario(String id, String name, String category, double lambda,
            Map<String, Integer> consequenceLevels, int inherentLikelihood, int inherentConsequence,
            int inherentScore, String inherentLevel, double magnitudeMean, List<String> exposures,
            Map<View, Row> views) {

        /** The row in a view. */
        public Row view(View v) {
            return views.get(v);
        }

        static Scenario of(Map<String, Object> m) {
            Map<String, Integer> levels = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : Json.obj(m, "consequence_category_levels").entrySet()) {
                levels.put(e.getKey(), ((Number) e.getValue()).intValue());
            }
            List<String> ex = new ArrayList<>();
            for (Object o : Json.list(m, "exposures")) {
                ex.add((String) o);
            }
            Map<View, Row> views = new EnumMap<>(View.class);
            Map<String, Object> vm = Json.obj(m, "views");
            for (View v : View.values()) {
                views.put(v, Row.of(Json.obj(vm, v.key())));
            }
            return new Scenario(Json.str(m, "id"), Json.str(m, "name"), Json.str(m, "category"),
                    Json.dbl(m, "lambda"), Collections.unmodifiableMap(levels),
                    Json.integer(m, "inherent_likelihood"), Json.integer(m, "inherent_consequence"),
                    Json.integer(m, "inherent_score"), Json.str(m, "inherent_level"),
                    Json.dbl(m, "magnitude_mean"), Collections.unmodifiableList(ex),
                    Collections.unmodifiableMap(views));
        }
    }

    /**
     * A scenario's row in one view (METHOD 5): the worst exposure's levels,
     * and the sums over the exposures.
     *
     * @param likelihood L' of the worst exposure
     * @param consequence C' of the worst exposure
     * @param score score' of the worst exposure
     * @param level its risk level
     * @param worstElement the worst exposure's element; null for the organisation exposure
     * @param rate the sum of lambda' over the exposures
     * @param ale the sum of ALE(x)
     * @param aboveAppetite the worst exposure's level ranks above the appetite
     * @param exposures every exposure, in the order of {@link Scenario#exposures()}
     */
    public record Row(int likelihood, int consequence, int score, String level, String worstElement,
            double rate, double ale, boolean aboveAppetite, List<Exposure> exposures) {

        static Row of(Map<String, Object> m) {
            List<Exposure> ex = new ArrayList<>();
            for (Object o : Json.list(m, "exposures")) {
                ex.add(Exposure.of(Json.obj(o)));
            }
            return new Row(Json.integer(m, "likelihood"), Json.integer(m, "consequence"),
                    Json.integer(m, "score"), Json.str(m, "level"), Json.str(m, "worst_element"),
                    Json.dbl(m, "rate"), Json.dbl(m, "ale"), Json.bool(m, "above_appetite"),
                    Collections.unmodifiableList(ex));
        }
    }

    /**
     * One exposure in one view (METHOD 4, 5).
     *
     * @param element the element id; null for the organisation exposure
     * @param organization true for the organisation exposure
     * @param lambda lambda'(x)
     * @param a the assurance factor a(x) (1 in the inherent view)
     * @param k the impact factor k(x)
     * @param likelihood L'(x)
     * @param consequence C'(x)
     * @param score score'(x)
     * @param level its risk level
     * @param ale ALE(x)
     * @param controls the controls counted in the view that act at x, document order
     */
    public record Exposure(String element, boolean organization, double lambda, double a, double k,
            int likelihood, int consequence, int score, String level, double ale,
            List<ActingControl> controls) {

        static Exposure of(Map<String, Object> m) {
            List<ActingControl> cs = new ArrayList<>();
            for (Object o : Json.list(m, "controls")) {
                Map<String, Object> c = Json.obj(o);
                cs.add(new ActingControl(Json.str(c, "control"), Json.dbl(c, "training_factor"),
                        Json.dbl(c, "likelihood_reduction"), Json.dbl(c, "impact_reduction")));
            }
            return new Exposure(Json.str(m, "element"), Json.bool(m, "organization"),
                    Json.dbl(m, "lambda"), Json.dbl(m, "a"), Json.dbl(m, "k"),
                    Json.integer(m, "likelihood"), Json.integer(m, "consequence"),
                    Json.integer(m, "score"), Json.str(m, "level"), Json.dbl(m, "ale"),
                    Collections.unmodifiableList(cs));
        }
    }

    /**
     * A control acting at an exposure.
     *
     * @param control the control id
     * @param trainingFactor t(c) on the analysis date
     * @param likelihoodReduction rL on this scenario
     * @param impactReduction rI on this scenario
     */
    public record ActingControl(String control, double trainingFactor, double likelihoodReduction,
            double impactReduction) {
    }

    /**
     * The model's totals in one view.
     *
     * @param ale the model's ALE
     * @param rate the sum of the scenarios' rates
     * @param aboveAppetite the scenarios above appetite, document order
     * @param levels risk level name -> number of scenarios whose row has it (every level present)
     */
    public record Totals(double ale, double rate, List<String> aboveAppetite, Map<String, Integer> levels) {

        static Totals of(Map<String, Object> m) {
            Map<String, Integer> lv = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : Json.obj(m, "levels").entrySet()) {
                lv.put(e.getKey(), ((Number) e.getValue()).intValue());
            }
            return new Totals(Json.dbl(m, "ale"), Json.dbl(m, "rate"), Json.strings(m, "above_appetite"),
                    Collections.unmodifiableMap(lv));
        }
    }

    /**
     * A warning: something to look at that does not stop the analysis.
     *
     * @param type "unreached_effect", "training_factor_zero" or "requires_unlisted_course"
     * @param control the control it is about
     * @param scenario the scenario it is about, or null
     * @param message a sentence describing it
     */
    public record Warning(String type, String control, String scenario, String message) {
    }
}
