package org.scsms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Monte Carlo simulation of the annual loss (METHOD.md section 10): the
 * mean, standard deviation, quantiles, each scenario's mean loss, the loss
 * exceedance curve and, when the options kept them, every trial's loss.
 * {@link #toJson()} is OUTPUT.md's simulate object. The result is
 * bit-identical for the same model, date, view, trials and seed, whatever
 * the thread count. Immutable and independent of the model.
 */
public final class Simulation extends AnalysisResult {
    private static final double[] STANDARD = {0.5, 0.9, 0.95, 0.99, 0.999};
    private static final String[] STANDARD_KEYS = {"50", "90", "95", "99", "99.9"};

    private final Map<Double, Double> quantiles;
    private final double[] samples;
    private double[] sorted;
    private final Map<String, Double> scenarioMeans;
    private final List<LecPoint> lec;
    private final long seed;

    Simulation(String json, long seed, double[] extraQ, double[] extraV, double[] samples) {
        super(json);
        this.seed = seed;
        Map<String, Object> m = toMap();
        Map<Double, Double> q = new LinkedHashMap<>();
        Map<String, Object> qm = Json.obj(m, "quantiles");
        for (int i = 0; i < STANDARD.length; i++) {
            q.put(STANDARD[i], Json.dbl(qm, STANDARD_KEYS[i]));
        }
        for (int i = 0; i < extraQ.length; i++) {
            q.put(extraQ[i], extraV[i]);
        }
        quantiles = Collections.unmodifiableMap(q);
        this.samples = samples;
        Map<String, Double> sm = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Json.obj(m, "scenario_means").entrySet()) {
            sm.put(e.getKey(), ((Number) e.getValue()).doubleValue());
        }
        scenarioMeans = Collections.unmodifiableMap(sm);
        List<LecPoint> l = new ArrayList<>();
        for (Object o : Json.list(m, "lec")) {
            Map<String, Object> p = Json.obj(o);
            l.add(new LecPoint(Json.dbl(p, "loss"), Json.dbl(p, "probability")));
        }
        lec = Collections.unmodifiableList(l);
    }

    /** Runs a simulation of a model (model != 0) or on a snapshot, and reads it. */
    static Simulation run(SimulationOptions o, long model, long snapshot, String asOf, int view) {
        double[] qs = o.quantiles();
        long[] out = new long[1];
        LibScsms.scsmsj_simulate(out, model, snapshot, asOf, view, o.trials(), o.seed(), o.threads(),
                o.keepSamples() ? 1 : 0, o.progress());
        try {
            byte[][] text = new byte[1][];
            LibScsms.scsms_simulation_to_json(text, out[0]);
            double[] qv = new double[qs.length];
            for (int i = 0; i < qs.length; i++) {
                qv[i] = LibScsms.scsms_simulation_quantile(out[0], qs[i]);
            }
            double[] samples = null;
            if (o.keepSamples()) {
                long n = LibScsms.scsmsj_simulation_sample_count(out[0]);
                if (n > Integer.MAX_VALUE - 8) {
                    throw new LimitException(Status.LIMIT.code(), n + " samples do not fit in a Java array", null);
                }
                samples = new double[(int) n];
                LibScsms.scsmsj_simulation_samples(out[0], samples);
            }
            return new Simulation(Utf8.str(text[0]), o.seed(), qs, qv, samples);
        } finally {
            LibScsms.scsms_simulation_free(out[0]);
        }
    }

    /** The view simulated. */
    public View view() {
        return View.ofKey(Json.str(toMap(), "view"));
    }

    /** Trials run. */
    public long trials() {
        return Json.lng(toMap(), "trials");
    }

    /** The seed used (64 bits; Long.toUnsignedString for seeds above Long.MAX_VALUE). */
    public long seed() {
        return seed;
    }

    /** Mean trial loss. */
    public double mean() {
        return Json.dbl(toMap(), "mean");
    }

    /** Population standard deviation of the trial losses. */
    public double std() {
        return Json.dbl(toMap(), "std");
    }

    /** Quantile -> value: OUTPUT.md's five (0.5 to 0.999) and those the options asked for. */
    public Map<Double, Double> quantiles() {
        return quantiles;
    }

    /**
     * Quantile {@code q} of the trial losses (linear interpolation between
     * order statistics, numpy's default): one of OUTPUT.md's five, one the
     * options asked for, or any q when the samples were kept.
     *
     * @throws IllegalArgumentException q outside [0, 1], or not computed and no samples kept
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile must be in [0, 1]: " + q);
        }
        Double v = quantiles.get(q);
        if (v != null) {
            return v;
        }
        if (samples == null) {
            throw new IllegalArgumentException("quantile " + q + " was not computed: ask for it with "
                    + "SimulationOptions.withQuantiles, or keep the samples");
        }
        double[] x = sortedSamples();
        int n = x.length;
        double h = (double) (n - 1) * q;
        double lo = Math.floor(h);
        int i = (int) lo;
        if (i + 1 >= n) {
            return x[n - 1];
        }
        double t = h - lo;
        double a = x[i];
        double b = x[i + 1];
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
    }

    private synchronized double[] sortedSamples() {
        if (sorted == null) {
            sorted = samples.clone();
            Arrays.sort(sorted);
        }
        return sorted;
    }

    /** Scenario id -> mean over the trials of its loss, document order. */
    public Map<String, Double> scenarioMeans() {
        return scenarioMeans;
    }

    /** The 101-point loss exceedance curve. */
    public List<LecPoint> lec() {
        return lec;
    }

    /** True when the options kept every trial's loss. */
    public boolean hasSamples() {
        return samples != null;
    }

    /**
     * Every trial's loss in trial order (a copy).
     *
     * @throws IllegalStateException when the options did not keep them
     */
    public double[] samples() {
        if (samples == null) {
            throw new IllegalStateException("the samples were not kept (SimulationOptions.withKeepSamples)");
        }
        return samples.clone();
    }

    /**
     * A point of the loss exceedance curve.
     *
     * @param loss the largest trial loss x i / 100
     * @param probability the share of trials whose loss is strictly greater
     */
    public record LecPoint(double loss, double probability) {
    }
}
