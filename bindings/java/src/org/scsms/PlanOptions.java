package org.scsms;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Options of {@link Model#plan(PlanOptions)}: an immutable value; each
 * {@code with...} method returns a changed copy.
 *
 * <pre>{@code
 * Plan p = model.plan(PlanOptions.defaults().withAsOf(date).withBudget(50_000));
 * }</pre>
 */
public final class PlanOptions {
    private static final PlanOptions DEFAULTS = new PlanOptions(null, null, null);

    private final LocalDate asOf;
    private final Double budget;
    private final List<String> candidates;

    private PlanOptions(LocalDate asOf, Double budget, List<String> candidates) {
        this.asOf = asOf;
        this.budget = budget;
        this.candidates = candidates;
    }

    /** No date (the model's {@code settings.as_of}), no budget, the planned controls as candidates. */
    public static PlanOptions defaults() {
        return DEFAULTS;
    }

    /** The analysis date; null for the model's {@code settings.as_of}. */
    public PlanOptions withAsOf(LocalDate date) {
        return new PlanOptions(date, budget, candidates);
    }

    /**
     * Selects controls under a budget (total annual cost): the plan then has
     * a {@link Plan#selection()}.
     *
     * @param b finite and at least 0 (else IllegalArgumentException)
     */
    public PlanOptions withBudget(double b) {
        if (!Double.isFinite(b) || b < 0) {
            throw new IllegalArgumentException("budget must be finite and >= 0: " + b);
        }
        return new PlanOptions(asOf, b, candidates);
    }

    /** No budget (no selection). */
    public PlanOptions withoutBudget() {
        return new PlanOptions(asOf, null, candidates);
    }

    /**
     * Candidate control ids instead of the model's planned controls: planned
     * or retired controls; an empty list names none; a repeated id counts
     * once. null goes back to the planned controls.
     */
    public PlanOptions withCandidates(List<String> ids) {
        List<String> c = null;
        if (ids != null) {
            c = new ArrayList<>(ids.size());
            for (String id : ids) {
                c.add(Objects.requireNonNull(id, "candidate id"));
            }
            c = Collections.unmodifiableList(c);
        }
        return new PlanOptions(asOf, budget, c);
    }

    /** The analysis date, or null. */
    public LocalDate asOf() {
        return asOf;
    }

    /** The budget, or null without one. */
    public Double budget() {
        return budget;
    }

    /** The candidate ids, or null for the model's planned controls. */
    public List<String> candidates() {
        return candidates;
    }
}
