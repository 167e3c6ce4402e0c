package org.scsms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The scores of a set of shipments (METHOD.md section 9): OUTPUT.md's
 * score object, as {@code scsms score MODEL SHIPMENTS --json} prints it
 * (without "command"). Made by {@link Snapshot#scoreFile},
 * {@link Snapshot#scoreShipments(byte[], ShipmentFormat)} and
 * {@link Snapshot#scoreShipments(List)}. Immutable.
 */
public final class ScoreReport extends AnalysisResult {
    private final List<ShipmentScore> shipments;
    private final List<ShipmentBatch.BadLine> badLines;

    private ScoreReport(String json) {
        super(json);
        Map<String, Object> m = toMap();
        List<ShipmentScore> s = new ArrayList<>();
        for (Object o : Json.list(m, "shipments")) {
            s.add(ShipmentScore.of(Json.obj(o)));
        }
        shipments = Collections.unmodifiableList(s);
        List<ShipmentBatch.BadLine> b = new ArrayList<>();
        for (Object o : Json.list(m, "bad_lines")) {
            Map<String, Object> bm = Json.obj(o);
            b.add(new ShipmentBatch.BadLine(Json.lng(bm, "line"), Json.str(bm, "message")));
        }
        badLines = Collections.unmodifiableList(b);
    }

    /** The view scored ("current" or "target"). */
    public View view() {
        return View.ofKey(Json.str(toMap(), "view"));
    }

    /** Every shipment that parsed, in input order; each scored or failing. */
    public List<ShipmentScore> shipments() {
        return shipments;
    }

    /** The lines that are not shipments, ascending. */
    public List<ShipmentBatch.BadLine> badLines() {
        return badLines;
    }

    // ---- building ------------------------------------------------------------------

    private static StringBuilder head(Snapshot s) {
        StringBuilder b = new StringBuilder(1024);
        b.append("{\"method\":\"scsms-method/1\",\"as_of\":");
        Json.quote(b, Dates.format(s.asOf()));
        b.append(",\"view\":");
        Json.quote(b, s.view().key());
        b.append(",\"shipments\":[");
        return b;
    }

    static ScoreReport of(Snapshot s, ShipmentReader r) {
        StringBuilder b = head(s);
        List<ShipmentBatch.BadLine> bad = new ArrayList<>();
        boolean first = true;
        for (ShipmentBatch batch = r.next(); batch != null; batch = r.next()) {
            bad.addAll(batch.badLines());
            int n = batch.size();
            if (n == 0) {
                continue;
            }
            BatchScores sc = s.score(batch);
            int[] off = batch.routeOffsetsRaw();
            int[] el = batch.routeElementsRaw();
            double[] values = batch.valuesRaw();
            for (int i = 0; i < n; i++) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                shipment(b, s, sc, i, batch.firstIndex() + i, batch.ids().get(i), batch.lineRaw(i),
                        values[i], el, off[i], off[i + 1], batch.routeIds());
            }
        }
        return finish(b, bad);
    }

    static ScoreReport of(Snapshot s, List<Shipment> shipments) {
        int n = shipments.size();
        int total = 0;
        for (Shipment sh : shipments) {
            total += sh.route().size();
        }
        int[] off = new int[n + 1];
        int[] el = new int[total];
        double[] values = new double[n];
        List<String> routeIds = new ArrayList<>(total);
        int at = 0;
        for (int i = 0; i < n; i++) {
            Shipment sh = shipments.get(i);
            values[i] = sh.value();
            for (String id : sh.route()) {
                el[at++] = s.elementIndex(id);
                routeIds.add(id);
            }
            off[i + 1] = at;
        }
        BatchScores sc = s.score(off, el, values);
        StringBuilder b = head(s);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            shipment(b, s, sc, i, i, shipments.get(i).id(), -1, values[i], el, off[i], off[i + 1], routeIds);
        }
        return finish(b, List.of());
    }

    private static ScoreReport finish(StringBuilder b, List<ShipmentBatch.BadLine> bad) {
        b.append("],\"bad_lines\":[");
        for (int k = 0; k < bad.size(); k++) {
            if (k > 0) {
                b.append(',');
            }
            b.append("{\"line\":").append(bad.get(k).line()).append(",\"message\":");
            Json.quote(b, bad.get(k).message());
            b.append('}');
        }
        b.append("]}");
        return new ScoreReport(b.toString());
    }

    /** One shipments[] object, as the command line writes it. */
    private static void shipment(StringBuilder b, Snapshot s, BatchScores sc, int i, long index, String id,
            long line, double value, int[] el, int from, int to, List<String> routeIds) {
        b.append("{\"index\":").append(index).append(",\"id\":");
        Json.quote(b, id);
        b.append(",\"line\":");
        if (line > 0) {
            b.append(line);
        } else {
            b.append("null");
        }
        if (sc.status[i] == 0) {
            b.append(",\"value\":");
            Json.number(b, value);
            b.append(",\"p_incident\":");
            Json.number(b, sc.pIncident[i]);
            b.append(",\"expected_loss\":");
            Json.number(b, sc.expectedLoss[i]);
            b.append(",\"max_level\":");
            Json.quote(b, sc.maxLevel[i] >= 0 ? s.levelNames().get(sc.maxLevel[i]) : null);
            b.append(",\"top\":");
            if (sc.topRouteIndex[i] < 0) {
                b.append("null");
            } else {
                Snapshot.ExposureAt x = s.exposure(sc.topElement[i], sc.topScenario[i], value);
                b.append("{\"route_index\":").append(sc.topRouteIndex[i]).append(",\"element\":");
                Json.quote(b, s.elementIds().get(sc.topElement[i]));
                b.append(",\"scenario\":");
                Json.quote(b, s.scenarioIds().get(sc.topScenario[i]));
                b.append(",\"p\":");
                Json.number(b, x.p());
                b.append(",\"loss\":");
                Json.number(b, x.loss());
                b.append(",\"expected_loss\":");
                Json.number(b, x.expectedLoss());
                b.append('}');
            }
        } else {
            int[] route = java.util.Arrays.copyOfRange(el, from, to);
            b.append(",\"errors\":[");
            List<Snapshot.FailureAt> fs = s.failures(route, value);
            for (int k = 0; k < fs.size(); k++) {
                Snapshot.FailureAt f = fs.get(k);
                if (k > 0) {
                    b.append(',');
                }
                b.append("{\"error\":");
                Json.quote(b, f.failure().key());
                b.append(",\"route_index\":");
                if (f.routeIndex() < 0) {
                    b.append("null,\"element\":null}");
                } else {
                    b.append(f.routeIndex()).append(",\"element\":");
                    Json.quote(b, routeIds.get(from + f.routeIndex()));
                    b.append('}');
                }
            }
            b.append(']');
        }
        b.append('}');
    }

    /**
     * One shipment's score: scored (value, pIncident, expectedLoss,
     * maxLevel, top; errors empty) or failing (errors; the numbers NaN).
     *
     * @param index the 0-based position among the shipments that parsed
     * @param id the shipment id
     * @param line its line in the file (from 1), or null when not read from a file
     * @param value the declared value (NaN when failing)
     * @param pIncident the probability of an incident (NaN when failing)
     * @param expectedLoss the expected loss (NaN when failing)
     * @param maxLevel the highest risk level name, or null (no exposure, or failing)
     * @param top the top exposure, or null (no exposure, or failing)
     * @param errors the failures (empty when scored)
     */
    public record ShipmentScore(long index, String id, Long line, double value, double pIncident,
            double expectedLoss, String maxLevel, Top top, List<ShipmentError> errors) {

        /** True when the shipment was scored. */
        public boolean scored() {
            return errors.isEmpty();
        }

        static ShipmentScore of(Map<String, Object> m) {
            Object line = m.get("line");
            Long l = line == null ? null : ((Number) line).longValue();
            if (m.containsKey("errors")) {
                List<ShipmentError> es = new ArrayList<>();
                for (Object o : Json.list(m, "errors")) {
                    Map<String, Object> e = Json.obj(o);
                    Object ri = e.get("route_index");
                    es.add(new ShipmentError(Json.str(e, "error"), ri == null ? -1 : ((Number) ri).intValue(),
                            Json.str(e, "element")));
                }
                return new ShipmentScore(Json.lng(m, "index"), Json.str(m, "id"), l, Double.NaN, Double.NaN,
                        Double.NaN, null, null, Collections.unmodifiableList(es));
            }
            Map<String, Object> t = Json.obj(m, "top");
            Top top = t == null ? null
                    : new Top(Json.integer(t, "route_index"), Json.str(t, "element"), Json.str(t, "scenario"),
                            Json.dbl(t, "p"), Json.dbl(t, "loss"), Json.dbl(t, "expected_loss"));
            return new ShipmentScore(Json.lng(m, "index"), Json.str(m, "id"), l, Json.dbl(m, "value"),
                    Json.dbl(m, "p_incident"), Json.dbl(m, "expected_loss"), Json.str(m, "max_level"), top,
                    List.of());
        }
    }

    /**
     * The exposure with the largest expected loss on a shipment's route.
     *
     * @param routeIndex its position on the route
     * @param element its element id
     * @param scenario its scenario id
     * @param p p(x)
     * @param loss loss(x) at the shipment's value
     * @param expectedLoss p x loss
     */
    public record Top(int routeIndex, String element, String scenario, double p, double loss,
            double expectedLoss) {
    }

    /**
     * A failure of a shipment.
     *
     * @param error "negative_value", "empty_route", "unknown", "out_of_scope" or "no_annual_shipments"
     * @param routeIndex the position on the route, -1 for the first two
     * @param element the route's element id as given, or null for the first two
     */
    public record ShipmentError(String error, int routeIndex, String element) {
    }
}
