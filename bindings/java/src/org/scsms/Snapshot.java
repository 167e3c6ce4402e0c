package org.scsms;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of a model compiled for one date and one view
 * (METHOD.md section 9), for batch shipment scoring.
 *
 * <p>A snapshot is independent of the model (which may be edited or closed
 * afterwards) and may be shared by any number of threads: every method may
 * run concurrently. {@link #close()} frees it once the calls in flight
 * end; other calls afterwards throw IllegalStateException.
 *
 * <p>Routes are arrays of element indexes ({@link #elementIndex(String)}:
 * nodes in document order, then legs; -1 for an unknown id). A batch of n
 * shipments is columnar: shipment i's route is
 * {@code routeElements[routeOffsets[i] .. routeOffsets[i+1])}. Scoring
 * reads the caller's arrays in place and writes the caller's output arrays
 * in place, with one native call per batch.
 */
public final class Snapshot implements AutoCloseable {
    private final Handle handle;
    private final View view;
    private final LocalDate asOf;
    private final String kernel;
    private final List<String> elementIds;
    private final Map<String, Integer> elementIndex;
    private final List<String> scenarioIds;
    private final Map<String, Integer> scenarioIndex;
    private final List<String> levelNames;

    Snapshot(long address) {
        Handle h;
        try {
            h = new Handle(this, address, LibScsms::scsms_snapshot_free, "snapshot");
        } catch (RuntimeException | Error e) {
            LibScsms.scsms_snapshot_free(address);
            throw e;
        }
        this.handle = h;
        this.view = View.ofCode(LibScsms.scsms_snapshot_view(address));
        this.asOf = Dates.parse(LibScsms.scsms_snapshot_as_of(address));
        this.kernel = LibScsms.scsms_snapshot_kernel(address);
        this.elementIds = Collections.unmodifiableList(Utf8.split(LibScsms.scsmsj_snapshot_names(address, 0)));
        this.scenarioIds = Collections.unmodifiableList(Utf8.split(LibScsms.scsmsj_snapshot_names(address, 1)));
        this.levelNames = Collections.unmodifiableList(Utf8.split(LibScsms.scsmsj_snapshot_names(address, 2)));
        this.elementIndex = index(elementIds);
        this.scenarioIndex = index(scenarioIds);
    }

    private static Map<String, Integer> index(List<String> ids) {
        Map<String, Integer> m = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            m.put(ids.get(i), i);
        }
        return m;
    }

    /** Frees the snapshot (after the calls in flight end). Closing twice is harmless. */
    @Override
    public void close() {
        handle.close();
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** The view it was compiled for. */
    public View view() {
        return view;
    }

    /** The analysis date. */
    public LocalDate asOf() {
        return asOf;
    }

    /** The scoring kernel used on this machine: "avx2" or "scalar" (results are identical). */
    public String kernel() {
        return kernel;
    }

    // ---- elements, scenarios, levels -------------------------------------------------

    /** The element ids: nodes in document order, then legs. */
    public List<String> elementIds() {
        return elementIds;
    }

    /** The index of element {@code id}, or -1 when the model has no such node or leg. */
    public int elementIndex(String id) {
        Integer i = elementIndex.get(Objects.requireNonNull(id, "id"));
        return i == null ? -1 : i;
    }

    /** The element indexes of a route (-1 for unknown ids, which then fail as {@link Failure#UNKNOWN}). */
    public int[] route(List<String> ids) {
        int[] r = new int[ids.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = elementIndex(ids.get(i));
        }
        return r;
    }

    /** As {@link #route(List)}. */
    public int[] route(String... ids) {
        return route(List.of(ids));
    }

    /** The scenario ids, document order (the indexes of {@code topScenario}). */
    public List<String> scenarioIds() {
        return scenarioIds;
    }

    /** The index of scenario {@code id}, or -1. */
    public int scenarioIndex(String id) {
        Integer i = scenarioIndex.get(Objects.requireNonNull(id, "id"));
        return i == null ? -1 : i;
    }

    /** The model's risk level names, lowest first (the indexes of {@code maxLevel}). */
    public List<String> levelNames() {
        return levelNames;
    }

    // ---- batch scoring on arrays ---------------------------------------------------------

    /**
     * Scores n shipments into the caller's arrays (METHOD.md 9): no copy and
     * one native call, whatever n.
     *
     * <p>Inputs: {@code routeOffsets} (at least n + 1, non-decreasing, the
     * last at most {@code routeElements.length}), {@code routeElements}
     * (element indexes; anything outside [0, element count) fails as
     * unknown), {@code values} (at least n). Outputs, each null when not
     * wanted or of length at least n: p_incident, expected loss, max level
     * index (-1 none), top exposure's element, scenario and route index (-1
     * none), status (0 scored, else the first {@link Failure} code). A
     * failing shipment gets NaN probabilities and -1 indexes. Extra array
     * entries beyond n are neither read nor written.
     *
     * <p>The arrays are pinned during the call (JNI critical access: the
     * garbage collector may wait for a large batch); direct buffers
     * ({@link #score(int, IntBuffer, IntBuffer, DoubleBuffer, DoubleBuffer,
     * DoubleBuffer, IntBuffer, IntBuffer, IntBuffer, IntBuffer, ByteBuffer,
     * int)}) avoid that.
     *
     * @param threads threads the library creates for the call (0 or 1: this thread only)
     * @return the number of failing shipments
     * @throws NullPointerException a required array is null
     * @throws IllegalArgumentException an array too short, n or threads negative
     * @throws InvalidArgumentException offsets decreasing or beyond the elements
     *         (checked by the library), an inherent-view snapshot
     */
    public int score(int n, int[] routeOffsets, int[] routeElements, double[] values,
            double[] pIncident, double[] expectedLoss, int[] maxLevel, int[] topElement,
            int[] topScenario, int[] topRouteIndex, byte[] status, int threads) {
        checkCounts(n, threads);
        Objects.requireNonNull(routeOffsets, "routeOffsets");
        Objects.requireNonNull(routeElements, "routeElements");
        Objects.requireNonNull(values, "values");
        need("routeOffsets", routeOffsets.length, (long) n + 1);
        need("values", values.length, n);
        if (pIncident != null) {
            need("pIncident", pIncident.length, n);
        }
        if (expectedLoss != null) {
            need("expectedLoss", expectedLoss.length, n);
        }
        if (maxLevel != null) {
            need("maxLevel", maxLevel.length, n);
        }
        if (topElement != null) {
            need("topElement", topElement.length, n);
        }
        if (topScenario != null) {
            need("topScenario", topScenario.length, n);
        }
        if (topRouteIndex != null) {
            need("topRouteIndex", topRouteIndex.length, n);
        }
        if (status != null) {
            need("status", status.length, n);
        }
        long last = routeOffsets[n] & 0xffffffffL;
        if (last > routeElements.length) {
            throw new IllegalArgumentException("routeOffsets[" + n + "] = " + last
                    + " exceeds routeElements.length = " + routeElements.length);
        }
        long p = handle.acquire();
        try {
            return (int) LibScsms.scsmsj_score(p, n, routeOffsets, routeElements, values, pIncident,
                    expectedLoss, maxLevel, topElement, topScenario, topRouteIndex, status, threads, 0);
        } finally {
            handle.release();
        }
    }

    /**
     * Scores every shipment of the arrays (n = values.length) into new
     * output arrays, on this thread.
     */
    public BatchScores score(int[] routeOffsets, int[] routeElements, double[] values) {
        return score(routeOffsets, routeElements, values, 1);
    }

    /** As {@link #score(int[], int[], double[])} with {@code threads} threads. */
    public BatchScores score(int[] routeOffsets, int[] routeElements, double[] values, int threads) {
        Objects.requireNonNull(values, "values");
        BatchScores out = new BatchScores(values.length);
        out.failed = score(values.length, routeOffsets, routeElements, values, out.pIncident,
                out.expectedLoss, out.maxLevel, out.topElement, out.topScenario, out.topRouteIndex,
                out.status, threads);
        return out;
    }

    /** Scores a batch read by a {@link ShipmentReader} into new output arrays. */
    public BatchScores score(ShipmentBatch batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.routeElementsRaw() == null) {
            throw new IllegalArgumentException("the batch was read without a snapshot: its routes are not resolved");
        }
        return score(batch.routeOffsetsRaw(), batch.routeElementsRaw(), batch.valuesRaw(), 1);
    }

    // ---- batch scoring on direct buffers -----------------------------------------------

    /**
     * As {@link #score(int, int[], int[], double[], double[], double[], int[],
     * int[], int[], int[], byte[], int)} on direct NIO buffers in the
     * platform's byte order ({@code ByteBuffer.allocateDirect(..)
     * .order(ByteOrder.nativeOrder()).asIntBuffer()}), read and written from
     * each buffer's position (positions are not changed). Off-heap data
     * shared with other native code is scored without a copy and without
     * pinning Java arrays.
     *
     * @throws IllegalArgumentException a buffer that is not direct, not in native
     *         order, read-only (outputs) or with fewer than the needed remaining elements
     */
    public int score(int n, IntBuffer routeOffsets, IntBuffer routeElements, DoubleBuffer values,
            DoubleBuffer pIncident, DoubleBuffer expectedLoss, IntBuffer maxLevel, IntBuffer topElement,
            IntBuffer topScenario, IntBuffer topRouteIndex, ByteBuffer status, int threads) {
        checkCounts(n, threads);
        Objects.requireNonNull(routeOffsets, "routeOffsets");
        Objects.requireNonNull(routeElements, "routeElements");
        Objects.requireNonNull(values, "values");
        direct("routeOffsets", routeOffsets, routeOffsets.order(), (long) n + 1, false);
        direct("values", values, values.order(), n, false);
        direct("pIncident", pIncident, pIncident == null ? null : pIncident.order(), n, true);
        direct("expectedLoss", expectedLoss, expectedLoss == null ? null : expectedLoss.order(), n, true);
        direct("maxLevel", maxLevel, maxLevel == null ? null : maxLevel.order(), n, true);
        direct("topElement", topElement, topElement == null ? null : topElement.order(), n, true);
        direct("topScenario", topScenario, topScenario == null ? null : topScenario.order(), n, true);
        direct("topRouteIndex", topRouteIndex, topRouteIndex == null ? null : topRouteIndex.order(), n, true);
        direct("status", status, ByteOrder.nativeOrder(), n, true);
        long last = routeOffsets.get(routeOffsets.position() + n) & 0xffffffffL;
        direct("routeElements", routeElements, routeElements.order(), last, false);
        long p = handle.acquire();
        try {
            return (int) LibScsms.scsmsj_score_direct(p, n, routeOffsets, routeOffsets.position(),
                    routeElements, routeElements.position(), routeElements.remaining(),
                    values, values.position(), pIncident, pos(pIncident), expectedLoss, pos(expectedLoss),
                    maxLevel, pos(maxLevel), topElement, pos(topElement), topScenario, pos(topScenario),
                    topRouteIndex, pos(topRouteIndex), status, pos(status), threads, 0);
        } finally {
            handle.release();
        }
    }

    private static int pos(Buffer b) {
        return b == null ? 0 : b.position();
    }

    private static void direct(String what, Buffer b, ByteOrder order, long need, boolean output) {
        if (b == null) {
            return;
        }
        if (!b.isDirect()) {
            throw new IllegalArgumentException(what + " is not a direct buffer");
        }
        if (order != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(what + " is not in the native byte order");
        }
        if (output && b.isReadOnly()) {
            throw new IllegalArgumentException(what + " is read-only");
        }
        if (b.remaining() < need) {
            throw new IllegalArgumentException(what + " has " + b.remaining() + " elements remaining, "
                    + need + " needed");
        }
    }

    private static void checkCounts(int n, int threads) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0: " + threads);
        }
    }

    private static void need(String what, int length, long need) {
        if (length < need) {
            throw new IllegalArgumentException(what + " has length " + length + ", " + need + " needed");
        }
    }

    // ---- one shipment ---------------------------------------------------------------

    /**
     * Scores one shipment (the transactional form of batch scoring).
     *
     * @param route element indexes ({@link #route(String...)})
     * @param value the declared value
     */
    public ShipmentResult scoreOne(int[] route, double value) {
        Objects.requireNonNull(route, "route");
        double[] d = new double[2];
        int[] i = new int[5];
        long p = handle.acquire();
        try {
            LibScsms.scsmsj_score_one(p, route, value, d, i);
        } finally {
            handle.release();
        }
        return new ShipmentResult(Failure.of(i[0]), d[0], d[1], i[1], i[2], i[3], i[4]);
    }

    /**
     * Every failure of one shipment, in METHOD.md 9's order: negative_value
     * and empty_route first (route index -1), then per route element in
     * route order; empty when the shipment scores.
     */
    public List<FailureAt> failures(int[] route, double value) {
        Objects.requireNonNull(route, "route");
        int cap = route.length + 2;
        int[] kinds = new int[cap];
        int[] at = new int[cap];
        long count;
        long p = handle.acquire();
        try {
            count = LibScsms.scsmsj_failures(p, route, value, kinds, at);
        } finally {
            handle.release();
        }
        List<FailureAt> out = new ArrayList<>();
        for (int k = 0; k < count && k < cap; k++) {
            out.add(new FailureAt(Failure.of(kinds[k]), at[k]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * One exposure of the snapshot at a shipment value (for reporting a
     * shipment's top exposure).
     *
     * @throws NotFoundException the scenario has no exposure at the element
     * @throws InvalidArgumentException an index out of range
     */
    public ExposureAt exposure(int element, int scenario, double value) {
        double[] d = new double[3];
        long level;
        long p = handle.acquire();
        try {
            level = LibScsms.scsmsj_exposure(p, element, scenario, value, d);
        } finally {
            handle.release();
        }
        return new ExposureAt(d[0], d[1], d[2], (int) level);
    }

    // ---- simulation ------------------------------------------------------------------------

    /**
     * Monte Carlo simulation of the annual loss (METHOD.md section 10) on
     * this snapshot: its date and view are used (the options' date and view
     * are ignored). Many threads may simulate on one snapshot at once; the
     * result equals {@link Model#simulate} for the same date, view and
     * options.
     *
     * @throws CanceledException the options' progress listener returned false
     */
    public Simulation simulate(SimulationOptions options) {
        SimulationOptions o = options == null ? SimulationOptions.defaults() : options;
        long p = handle.acquire();
        try {
            return Simulation.run(o, 0L, p, null, view.code());
        } finally {
            handle.release();
        }
    }

    // ---- shipment files --------------------------------------------------------------------

    /**
     * Opens a streaming reader of a shipment file, resolving route ids with
     * this snapshot (which the reader keeps alive until it is closed).
     *
     * @throws NotFoundException no such file
     * @throws FileException the file cannot be read
     */
    public ShipmentReader openShipments(Path path, ShipmentFormat format) {
        return ShipmentReader.open(this, Objects.requireNonNull(path, "path").toString(),
                Objects.requireNonNull(format, "format"));
    }

    /** A streaming reader of shipments given as bytes (copied), resolved with this snapshot. */
    public ShipmentReader openShipments(byte[] data, ShipmentFormat format) {
        return ShipmentReader.open(this, Objects.requireNonNull(data, "data").clone(),
                Objects.requireNonNull(format, "format"));
    }

    /**
     * Scores a whole shipment file: OUTPUT.md's score object, as
     * {@code scsms score MODEL SHIPMENTS --json} prints it.
     *
     * @throws SyntaxException a CSV file whose first line is not {@code id,value,route}
     */
    public ScoreReport scoreFile(Path path, ShipmentFormat format) {
        try (ShipmentReader r = openShipments(path, format)) {
            return ScoreReport.of(this, r);
        }
    }

    /** As {@link #scoreFile} for shipment file content given as bytes. */
    public ScoreReport scoreShipments(byte[] data, ShipmentFormat format) {
        try (ShipmentReader r = openShipments(data, format)) {
            return ScoreReport.of(this, r);
        }
    }

    /** Scores shipments given as objects: the score object, with {@code line} null. */
    public ScoreReport scoreShipments(List<Shipment> shipments) {
        return ScoreReport.of(this, shipments);
    }

    // ---- internal ------------------------------------------------------------------------

    long acquire() {
        return handle.acquire();
    }

    void release() {
        handle.release();
    }

    /**
     * The result of one shipment.
     *
     * @param failure NONE when scored, else the first failure
     * @param pIncident the probability of an incident on the route (NaN when failing)
     * @param expectedLoss the expected loss (NaN when failing)
     * @param maxLevel the highest risk level index on the route, -1 none
     * @param topElement the top exposure's element index, -1 none
     * @param topScenario the top exposure's scenario index, -1 none
     * @param topRouteIndex the top exposure's position on the route, -1 none
     */
    public record ShipmentResult(Failure failure, double pIncident, double expectedLoss, int maxLevel,
            int topElement, int topScenario, int topRouteIndex) {
        /** True when the shipment was scored. */
        public boolean scored() {
            return failure == Failure.NONE;
        }
    }

    /**
     * A failure of a shipment.
     *
     * @param failure the kind
     * @param routeIndex the position on the route, -1 for negative_value and empty_route
     */
    public record FailureAt(Failure failure, int routeIndex) {
    }

    /**
     * One exposure at a shipment value.
     *
     * @param p p(x) = -expm1(-lambda'(x) / n(e))
     * @param loss loss(x) at the value
     * @param expectedLoss p(x) x loss(x), as the kernel computes it
     * @param level the exposure's risk level index
     */
    public record ExposureAt(double p, double loss, double expectedLoss, int level) {
    }
}
