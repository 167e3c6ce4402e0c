package org.scsms;

/**
 * Options of {@link Model#reportHtml(java.time.LocalDate, ReportOptions)} and
 * {@link Model#writeReport(java.nio.file.Path, java.time.LocalDate, ReportOptions)}
 * (include/scsms/report.h): an immutable value; each {@code with...} method
 * returns a changed copy. Defaults: 20,000 simulated years, seed 1, one
 * thread, no budget, the title "Supply chain security report", no footer
 * line, no progress listener.
 *
 * <pre>{@code
 * String html = model.reportHtml(date, ReportOptions.defaults().withBudget(50_000).withTitle("Q2 review"));
 * }</pre>
 */
public final class ReportOptions {
    /** The most trials the library accepts. */
    public static final long MAX_TRIALS = SimulationOptions.MAX_TRIALS;
    /** The most threads the library accepts. */
    public static final int MAX_THREADS = SimulationOptions.MAX_THREADS;

    private static final ReportOptions DEFAULTS =
            new ReportOptions(20_000, 1, 1, null, null, null, null);

    private final long trials;
    private final long seed;
    private final int threads;
    private final Double budget;
    private final String title;
    private final String footer;
    private final SimulationProgress progress;

    private ReportOptions(long trials, long seed, int threads, Double budget, String title,
            String footer, SimulationProgress progress) {
        this.trials = trials;
        this.seed = seed;
        this.threads = threads;
        this.budget = budget;
        this.title = title;
        this.footer = footer;
        this.progress = progress;
    }

    /** The defaults. */
    public static ReportOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Simulated years of the loss simulation (current view), 0 to
     * {@link #MAX_TRIALS}; 0 leaves the simulation out of the report.
     */
    public ReportOptions withTrials(long n) {
        if (n < 0 || n > MAX_TRIALS) {
            throw new IllegalArgumentException("trials must be in 0.." + MAX_TRIALS + ": " + n);
        }
        return new ReportOptions(n, seed, threads, budget, title, footer, progress);
    }

    /** The simulation's seed: any 64 bits (stated in the report). */
    public ReportOptions withSeed(long s) {
        return new ReportOptions(trials, s, threads, budget, title, footer, progress);
    }

    /** Threads of the simulation, 1 to {@link #MAX_THREADS}; the report does not depend on it. */
    public ReportOptions withThreads(int t) {
        if (t < 1 || t > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ": " + t);
        }
        return new ReportOptions(trials, seed, t, budget, title, footer, progress);
    }

    /**
     * The plan section also shows the best selection of planned controls
     * under this budget (total annual cost).
     *
     * @param b finite and at least 0 (else IllegalArgumentException)
     */
    public ReportOptions withBudget(double b) {
        if (!Double.isFinite(b) || b < 0) {
            throw new IllegalArgumentException("budget must be finite and >= 0: " + b);
        }
        return new ReportOptions(trials, seed, threads, b, title, footer, progress);
    }

    /** No budget (no selection in the plan section). */
    public ReportOptions withoutBudget() {
        return new ReportOptions(trials, seed, threads, null, title, footer, progress);
    }

    /** The report's title; null for "Supply chain security report". */
    public ReportOptions withTitle(String t) {
        return new ReportOptions(trials, seed, threads, budget, checked(t, "title"), footer, progress);
    }

    /** A line added to the footer (what produced the report, when); null for none. */
    public ReportOptions withFooter(String f) {
        return new ReportOptions(trials, seed, threads, budget, title, checked(f, "footer"), progress);
    }

    /**
     * A listener called during the simulation, as for a simulation; returning
     * false stops the report with {@link CanceledException}, and an exception
     * it throws propagates. null for none.
     */
    public ReportOptions withProgress(SimulationProgress p) {
        return new ReportOptions(trials, seed, threads, budget, title, footer, p);
    }

    private static String checked(String s, String what) {
        if (s != null && s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains U+0000");
        }
        return s;
    }

    /** Trials (0: no simulation). */
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

    /** The budget, or null without one. */
    public Double budget() {
        return budget;
    }

    /** The title, or null for the default. */
    public String title() {
        return title;
    }

    /** The footer line, or null. */
    public String footer() {
        return footer;
    }

    /** The progress listener, or null. */
    public SimulationProgress progress() {
        return progress;
    }
}
