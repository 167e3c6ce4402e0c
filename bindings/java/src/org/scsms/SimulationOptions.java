package org.scsms;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;

/**
 * Options of {@link Model#simulate(SimulationOptions)}: an immutable value;
 * each {@code with...} method returns a changed copy. Defaults: the model's
 * {@code settings.as_of}, the current view, 100,000 trials, seed 1, one
 * thread, samples not kept.
 */
public final class SimulationOptions {
    /** The most trials the library accepts. */
    public static final long MAX_TRIALS = 2_000_000_000L;
    /** The most threads the library accepts. */
    public static final int MAX_THREADS = 1024;

    private static final SimulationOptions DEFAULTS =
            new SimulationOptions(null, View.CURRENT, 100_000, 1, 1, false, null, new double[0]);

    private final LocalDate asOf;
    private final View view;
    private final long trials;
    private final long seed;
    private final int threads;
    private final boolean keepSamples;
    private final SimulationProgress progress;
    private final double[] quantiles;

    private SimulationOptions(LocalDate asOf, View view, long trials, long seed, int threads,
            boolean keepSamples, SimulationProgress progress, double[] quantiles) {
        this.asOf = asOf;
        this.view = view;
        this.trials = trials;
        this.seed = seed;
        this.threads = threads;
        this.keepSamples = keepSamples;
        this.progress = progress;
        this.quantiles = quantiles;
    }

    /** The defaults. */
    public static SimulationOptions defaults() {
        return DEFAULTS;
    }

    /** The analysis date; null for the model's {@code settings.as_of}. */
    public SimulationOptions withAsOf(LocalDate d) {
        return new SimulationOptions(d, view, trials, seed, threads, keepSamples, progress, quantiles);
    }

    /** The view to simulate. */
    public SimulationOptions withView(View v) {
        return new SimulationOptions(asOf, Objects.requireNonNull(v, "view"), trials, seed, threads,
                keepSamples, progress, quantiles);
    }

    /** The number of simulated years, 1 to {@link #MAX_TRIALS}. */
    public SimulationOptions withTrials(long n) {
        if (n < 1 || n > MAX_TRIALS) {
            throw new IllegalArgumentException("trials must be in 1.." + MAX_TRIALS + ": " + n);
        }
        return new SimulationOptions(asOf, view, n, seed, threads, keepSamples, progress, quantiles);
    }

    /** The seed: any 64 bits (the same seed gives the same result). */
    public SimulationOptions withSeed(long s) {
        return new SimulationOptions(asOf, view, trials, s, threads, keepSamples, progress, quantiles);
    }

    /** Threads the library creates for the call, 1 to {@link #MAX_THREADS}; the result does not depend on it. */
    public SimulationOptions withThreads(int t) {
        if (t < 1 || t > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ": " + t);
        }
        return new SimulationOptions(asOf, view, trials, seed, t, keepSamples, progress, quantiles);
    }

    /** Keep every trial's loss ({@link Simulation#samples()}; 8 bytes a trial). */
    public SimulationOptions withKeepSamples(boolean keep) {
        return new SimulationOptions(asOf, view, trials, seed, threads, keep, progress, quantiles);
    }

    /** A progress listener, or null for none. */
    public SimulationOptions withProgress(SimulationProgress p) {
        return new SimulationOptions(asOf, view, trials, seed, threads, keepSamples, p, quantiles);
    }

    /**
     * Quantiles to compute besides OUTPUT.md's five (0.5, 0.9, 0.95, 0.99,
     * 0.999), each in [0, 1]; read them with {@link Simulation#quantile}.
     */
    public SimulationOptions withQuantiles(double... qs) {
        double[] c = qs.clone();
        for (double q : c) {
            if (!(q >= 0 && q <= 1)) {
                throw new IllegalArgumentException("a quantile must be in [0, 1]: " + q);
            }
        }
        return new SimulationOptions(asOf, view, trials, seed, threads, keepSamples, progress, c);
    }

    /** The analysis date, or null. */
    public LocalDate asOf() {
        return asOf;
    }

    /** The view. */
    public View view() {
        return view;
    }

    /** Trials. */
    public long trials() {
        return trials;
    }

    /** Seed. */
    public long seed() {
        return seed;
    }

    /** Threads. */
    public int threads() {
        return threads;
    }

    /** Whether every trial's loss is kept. */
    public boolean keepSamples() {
        return keepSamples;
    }

    /** The progress listener, or null. */
    public SimulationProgress progress() {
        return progress;
    }

    /** The extra quantiles (a copy). */
    public double[] quantiles() {
        return Arrays.copyOf(quantiles, quantiles.length);
    }
}
