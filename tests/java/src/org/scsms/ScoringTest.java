package org.scsms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot: compiling, batch scoring on arrays and buffers, shipment files (METHOD 9). */
class ScoringTest {
    private static Model model;
    private static Snapshot snap;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        model = Model.load(Fixtures.rich());
        snap = model.compile(null, View.CURRENT);
    }

    @AfterAll
    static void close() {
        snap.close();
        model.close();
    }

    @Test
    void snapshotDescribesItself() {
        assertEquals(View.CURRENT, snap.view());
        assertEquals(LocalDate.of(2024, 6, 30), snap.asOf());
        assertTrue(List.of("avx2", "scalar").contains(snap.kernel()), snap.kernel());
        // nodes in document order, then legs
        assertEquals(List.of("N-HAM-FAC", "N-HAM-WH", "N-RTM-PORT", "N-RTM-CUST", "L-FAC-WH", "L-WH-PORT",
                "L-PORT-CUST"), snap.elementIds());
        assertEquals(5, snap.elementIndex("L-WH-PORT"));
        assertEquals(-1, snap.elementIndex("NOPE"));
        assertArrayEquals(new int[] {0, 4, 1, -1}, snap.route("N-HAM-FAC", "L-FAC-WH", "N-HAM-WH", "X"));
        assertEquals(List.of("S-THEFT-ROAD", "S-TAMPER-WH", "S-SMUGGLE", "S-CYBER"), snap.scenarioIds());
        assertEquals(2, snap.scenarioIndex("S-SMUGGLE"));
        assertEquals(List.of("low", "medium", "high", "critical"), snap.levelNames());
        try (Snapshot t = model.compile(LocalDate.of(2025, 3, 1), View.TARGET)) {
            assertEquals(View.TARGET, t.view());
            assertEquals(LocalDate.of(2025, 3, 1), t.asOf());
        }
    }

    @Test
    void scoreFileIsTheCliObject() {
        for (String f : List.of("rich_shipments.csv", "rich_shipments.jsonl")) {
            Path p = Fixtures.data(f);
            ShipmentFormat fmt = ShipmentFormat.ofFileName(p);
            ScoreReport r = snap.scoreFile(p, fmt);
            Fixtures.assertJsonEquals(Fixtures.cliJson("score", Fixtures.rich().toString(), p.toString(), "--json"),
                    Json.parse(r.toJson()), f);
            assertEquals(Json.parse(r.toJson()), r.toMap());
            // the same bytes through a buffer
            byte[] data = Fixtures.read(p).getBytes(StandardCharsets.UTF_8);
            assertEquals(r.toJson(), snap.scoreShipments(data, fmt).toJson());
        }
        try (Snapshot t = model.compile(LocalDate.of(2025, 1, 1), View.TARGET)) {
            Path p = Fixtures.data("rich_shipments.csv");
            Fixtures.assertJsonEquals(Fixtures.cliJson("score", Fixtures.rich().toString(), p.toString(), "--view",
                    "target", "--as-of", "2025-01-01", "--json"), Json.parse(t.scoreFile(p, ShipmentFormat.CSV).toJson()),
                    "target");
        }
        try (Model f = Model.load(Fixtures.forwarder()); Snapshot s = f.compile(null, View.CURRENT)) {
            Path p = Fixtures.root().resolve("examples/java/data/shipments.csv");
            Fixtures.assertJsonEquals(Fixtures.cliJson("score", Fixtures.forwarder().toString(), p.toString(), "--json"),
                    Json.parse(s.scoreFile(p, ShipmentFormat.CSV).toJson()), "forwarder");
        }
    }

    @Test
    void scoreReportTypedView() {
        ScoreReport r = snap.scoreFile(Fixtures.data("rich_shipments.csv"), ShipmentFormat.CSV);
        assertEquals(View.CURRENT, r.view());
        assertEquals(11, r.shipments().size());
        assertEquals(List.of(9L, 10L, 16L), r.badLines().stream().map(ShipmentBatch.BadLine::line).toList());
        ScoreReport.ShipmentScore s1 = r.shipments().get(0);
        assertEquals("SH-001", s1.id());
        assertEquals(Long.valueOf(2), s1.line());
        assertTrue(s1.scored());
        assertEquals("high", s1.maxLevel());
        assertEquals("S-TAMPER-WH", s1.top().scenario());
        assertEquals("N-HAM-WH", s1.top().element());
        assertEquals(2, s1.top().routeIndex());
        ScoreReport.ShipmentScore s4 = r.shipments().get(3);
        assertEquals("SH-004", s4.id());
        assertFalse(s4.scored());
        assertTrue(Double.isNaN(s4.pIncident()));
        assertEquals(List.of(new ScoreReport.ShipmentError("unknown", 1, "NOPE"),
                new ScoreReport.ShipmentError("out_of_scope", 2, "N-RTM-CUST"),
                new ScoreReport.ShipmentError("out_of_scope", 3, "L-PORT-CUST")), s4.errors());
        // SH-011: negative value and empty route, in this order, without route index
        ScoreReport.ShipmentScore s11 = r.shipments().get(10);
        assertEquals(List.of(new ScoreReport.ShipmentError("negative_value", -1, null),
                new ScoreReport.ShipmentError("empty_route", -1, null)), s11.errors());
        // SH-006: a route with no exposure is scored with p 0 and no top
        ScoreReport.ShipmentScore s6 = r.shipments().get(5);
        assertEquals(0.0, s6.pIncident());
        assertNull(s6.maxLevel());
        assertNull(s6.top());
    }

    @Test
    void scoreShipmentObjectsLikeTheFile() {
        ScoreReport file = snap.scoreFile(Fixtures.data("rich_shipments.jsonl"), ShipmentFormat.JSONL);
        List<Shipment> list = List.of(
                Shipment.of("J-001", 250000, "N-HAM-FAC", "L-FAC-WH", "N-HAM-WH", "L-WH-PORT", "N-RTM-PORT"),
                Shipment.of("J-002", 80000.25, "N-HAM-WH", "L-WH-PORT", "N-RTM-PORT"),
                Shipment.of("J-003", -5, "N-HAM-FAC"),
                Shipment.of("J-004", 1000, "N-HAM-FAC", "NOPE", "N-RTM-CUST"),
                Shipment.of("J-005", 500),
                Shipment.of("J-007", 42, "L-FAC-WH"));
        ScoreReport objs = snap.scoreShipments(list);
        Map<String, Object> expected = Json.parseObject(file.toJson());
        List<Object> rows = new ArrayList<>();
        for (Object o : Json.list(expected, "shipments")) {
            Map<String, Object> row = new java.util.LinkedHashMap<>(Json.obj(o));
            row.put("line", null);   // not read from a file
            rows.add(row);
        }
        Fixtures.assertJsonEquals(rows, Json.parseObject(objs.toJson()).get("shipments"), "objects");
        assertNull(objs.shipments().get(0).line());
        assertTrue(objs.badLines().isEmpty());
    }

    /** A batch of every shipment of the CSV fixture, as columnar arrays. */
    private static int[][] batchArrays(List<Shipment> list, double[] values) {
        int n = list.size();
        int[] off = new int[n + 1];
        List<Integer> el = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int e : snap.route(list.get(i).route())) {
                el.add(e);
            }
            off[i + 1] = el.size();
            values[i] = list.get(i).value();
        }
        return new int[][] {off, el.stream().mapToInt(Integer::intValue).toArray()};
    }

    static List<Shipment> sampleShipments() {
        List<String> ids = snap.elementIds();
        List<Shipment> list = new ArrayList<>();
        long x = 12345;
        for (int i = 0; i < 500; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            int len = (int) ((x >>> 33) % 6);
            List<String> route = new ArrayList<>();
            for (int k = 0; k < len; k++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                int pick = (int) ((x >>> 33) % (ids.size() + 1));
                route.add(pick == ids.size() ? "UNKNOWN" : ids.get(pick));
            }
            double value = i % 37 == 0 ? -1 : (x >>> 40) % 1_000_000;
            list.add(new Shipment("S" + i, value, route));
        }
        return list;
    }

    @Test
    void batchAgreesWithScoreOneAndFailures() {
        List<Shipment> list = sampleShipments();
        double[] values = new double[list.size()];
        int[][] a = batchArrays(list, values);
        BatchScores b = snap.score(a[0], a[1], values);
        assertEquals(list.size(), b.size());
        int failing = 0;
        for (int i = 0; i < list.size(); i++) {
            int[] route = Arrays.copyOfRange(a[1], a[0][i], a[0][i + 1]);
            Snapshot.ShipmentResult one = snap.scoreOne(route, values[i]);
            assertEquals(one, b.get(i), "shipment " + i);
            List<Snapshot.FailureAt> fs = snap.failures(route, values[i]);
            if (one.scored()) {
                assertTrue(fs.isEmpty());
                assertEquals(0, b.status()[i]);
            } else {
                failing++;
                assertEquals(one.failure(), fs.get(0).failure());
                assertEquals(one.failure().code(), b.status()[i]);
                assertTrue(Double.isNaN(b.pIncident()[i]));
                assertEquals(-1, b.topElement()[i]);
            }
            if (one.topRouteIndex() >= 0) {
                // the top exposure's expected loss is the largest on the route, at most the total
                Snapshot.ExposureAt x = snap.exposure(one.topElement(), one.topScenario(), values[i]);
                assertTrue(x.expectedLoss() <= one.expectedLoss() * (1 + 1e-12) + 1e-300);
                assertEquals(route[one.topRouteIndex()], one.topElement());
            }
        }
        assertEquals(failing, b.failedCount());
        assertTrue(failing > 0 && failing < list.size(), "the sample has both kinds: " + failing);
        // the same with threads: identical results
        BatchScores t = snap.score(a[0], a[1], values, 4);
        assertArrayEquals(b.pIncident(), t.pIncident());
        assertArrayEquals(b.expectedLoss(), t.expectedLoss());
        assertArrayEquals(b.status(), t.status());
        assertArrayEquals(b.topScenario(), t.topScenario());
    }

    @Test
    void outputsAreOptionalAndExtraEntriesUntouched() {
        List<Shipment> list = sampleShipments().subList(0, 50);
        double[] values = new double[list.size()];
        int[][] a = batchArrays(list, values);
        BatchScores full = snap.score(a[0], a[1], values);
        double[] p = new double[60];
        Arrays.fill(p, 7.0);
        byte[] st = new byte[55];
        Arrays.fill(st, (byte) 9);
        int failed = snap.score(50, a[0], a[1], values, p, null, null, null, null, null, st, 1);
        assertEquals(full.failedCount(), failed);
        assertArrayEquals(full.pIncident(), Arrays.copyOf(p, 50));
        assertArrayEquals(full.status(), Arrays.copyOf(st, 50));
        for (int i = 50; i < 60; i++) {
            assertEquals(7.0, p[i]);
        }
        for (int i = 50; i < 55; i++) {
            assertEquals(9, st[i]);
        }
        // n = 0: nothing read or written
        assertEquals(0, snap.score(0, new int[1], new int[0], new double[0], null, null, null, null, null, null, null, 1));
    }

    @Test
    void directBuffersAgreeWithArrays() {
        List<Shipment> list = sampleShipments();
        int n = list.size();
        double[] values = new double[n];
        int[][] a = batchArrays(list, values);
        BatchScores ref = snap.score(a[0], a[1], values);
        // inputs at a non-zero position, to check positions are honoured
        IntBuffer off = ints(a[0].length + 3).position(3);
        off.duplicate().put(a[0]);
        IntBuffer el = ints(a[1].length);
        el.duplicate().put(a[1]);
        DoubleBuffer val = doubles(n + 1).position(1);
        val.duplicate().put(values);
        DoubleBuffer p = doubles(n);
        DoubleBuffer loss = doubles(n);
        IntBuffer lvl = ints(n);
        IntBuffer te = ints(n);
        IntBuffer ts = ints(n);
        IntBuffer tr = ints(n);
        ByteBuffer st = ByteBuffer.allocateDirect(n);
        int failed = snap.score(n, off, el, val, p, loss, lvl, te, ts, tr, st, 2);
        assertEquals(ref.failedCount(), failed);
        assertEquals(3, off.position());   // positions unchanged
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToLongBits(ref.pIncident()[i]), Double.doubleToLongBits(p.get(i)));
            assertEquals(Double.doubleToLongBits(ref.expectedLoss()[i]), Double.doubleToLongBits(loss.get(i)));
            assertEquals(ref.maxLevel()[i], lvl.get(i));
            assertEquals(ref.topElement()[i], te.get(i));
            assertEquals(ref.topScenario()[i], ts.get(i));
            assertEquals(ref.topRouteIndex()[i], tr.get(i));
            assertEquals(ref.status()[i], st.get(i));
        }
        // refused buffers
        IntBuffer heap = IntBuffer.wrap(a[0]);
        assertThrows(IllegalArgumentException.class,
                () -> snap.score(n, heap, el, val, null, null, null, null, null, null, null, 1));
        IntBuffer swapped = ByteBuffer.allocateDirect(4 * (n + 1)).order(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer();
        assertThrows(IllegalArgumentException.class,
                () -> snap.score(n, swapped, el, val, null, null, null, null, null, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> snap.score(n, off, el, val, doubles(n).asReadOnlyBuffer(), null, null, null, null, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> snap.score(n, off, el, val, doubles(n - 1), null, null, null, null, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> snap.score(n + 1, off, el, val, null, null, null, null, null, null, null, 1));
        assertThrows(NullPointerException.class,
                () -> snap.score(n, (IntBuffer) null, el, val, null, null, null, null, null, null, null, 1));
    }

    private static IntBuffer ints(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    private static DoubleBuffer doubles(int n) {
        return ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    @Test
    void wrongArgumentsNeverReachTheKernel() {
        int[] off = {0, 2, 3};
        int[] el = {0, 4, 1};
        double[] v = {100, 200};
        assertThrows(NullPointerException.class, () -> snap.score(null, el, v));
        assertThrows(NullPointerException.class, () -> snap.score(off, null, v));
        assertThrows(NullPointerException.class, () -> snap.score(off, el, null));
        // offsets too short for n
        assertThrows(IllegalArgumentException.class, () -> snap.score(new int[] {0, 2}, el, v));
        // an output too short
        assertThrows(IllegalArgumentException.class,
                () -> snap.score(2, off, el, v, new double[1], null, null, null, null, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> snap.score(2, off, el, v, null, null, null, null, null, null, new byte[1], 1));
        // the last offset beyond the elements
        assertThrows(IllegalArgumentException.class, () -> snap.score(new int[] {0, 2, 4}, el, v));
        assertThrows(IllegalArgumentException.class, () -> snap.score(-1, off, el, v, null, null, null, null, null, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> snap.score(2, off, el, v, null, null, null, null, null, null, null, -1));
        // decreasing offsets and negative offsets: refused by the library, nothing written
        double[] p = {5, 5};
        assertThrows(InvalidArgumentException.class,
                () -> snap.score(2, new int[] {0, 3, 2}, el, v, p, null, null, null, null, null, null, 1));
        assertThrows(InvalidArgumentException.class,
                () -> snap.score(2, new int[] {0, -1, 3}, el, v, p, null, null, null, null, null, null, 1));
        assertThrows(NullPointerException.class, () -> snap.scoreOne(null, 1));
        // element indexes out of range are unknown elements, not crashes
        BatchScores b = snap.score(new int[] {0, 2}, new int[] {Integer.MAX_VALUE, -7}, new double[] {1});
        assertEquals(Failure.UNKNOWN.code(), b.status()[0]);
        assertEquals(List.of(new Snapshot.FailureAt(Failure.UNKNOWN, 0), new Snapshot.FailureAt(Failure.UNKNOWN, 1)),
                snap.failures(new int[] {Integer.MAX_VALUE, -7}, 1));
        // an exposure that does not exist; an index out of range
        assertThrows(NotFoundException.class, () -> snap.exposure(0, 3, 1));
        assertThrows(InvalidArgumentException.class, () -> snap.exposure(99, 0, 1));
        // an inherent-view snapshot compiles but does not score
        try (Snapshot inh = model.compile(null, View.INHERENT)) {
            assertThrows(InvalidArgumentException.class, () -> inh.score(off, el, v));
            assertThrows(InvalidArgumentException.class, () -> inh.scoreOne(new int[] {0}, 1));
        }
    }

    @Test
    void noAnnualShipmentsAndNonFiniteValues() throws Exception {
        try (Model m = model.copy()) {
            // a port without annual_shipments: S-SMUGGLE (node_type port) has an exposure there
            m.put(Kind.NODE, "{\"id\":\"N-ANR\",\"type\":\"port\"}");
            Path mp = tmp.resolve("m.json");
            m.save(mp);
            Path sp = tmp.resolve("s.csv");
            Files.writeString(sp, "id,value,route\nA,10,N-HAM-FAC>N-ANR\n");
            try (Snapshot s = m.compile(null, View.CURRENT)) {
                Snapshot.ShipmentResult r = s.scoreOne(s.route("N-HAM-FAC", "N-ANR"), 10);
                assertEquals(Failure.NO_ANNUAL_SHIPMENTS, r.failure());
                assertEquals(List.of(new Snapshot.FailureAt(Failure.NO_ANNUAL_SHIPMENTS, 1)),
                        s.failures(s.route("N-HAM-FAC", "N-ANR"), 10));
                Fixtures.assertJsonEquals(Fixtures.cliJson("score", mp.toString(), sp.toString(), "--json"),
                        Json.parse(s.scoreFile(sp, ShipmentFormat.CSV).toJson()), "no_annual_shipments");
                assertEquals(Failure.NEGATIVE_VALUE, s.scoreOne(new int[] {0}, Double.NaN).failure());
                assertEquals(Failure.NEGATIVE_VALUE, s.scoreOne(new int[] {0}, Double.POSITIVE_INFINITY).failure());
            }
        }
    }

    @Test
    void readerStreamsBatches() throws Exception {
        // more shipments than one batch holds
        StringBuilder csv = new StringBuilder("id,value,route\n");
        int n = 70000;
        for (int i = 0; i < n; i++) {
            csv.append("X").append(i).append(',').append(i % 1000).append(",N-HAM-FAC>L-FAC-WH>N-HAM-WH\n");
        }
        byte[] data = csv.toString().getBytes(StandardCharsets.UTF_8);
        int batches = 0;
        long seen = 0;
        try (ShipmentReader r = snap.openShipments(data, ShipmentFormat.CSV)) {
            assertEquals(snap, r.snapshot());
            for (ShipmentBatch b = r.next(); b != null; b = r.next()) {
                batches++;
                assertEquals(seen, b.firstIndex());
                assertEquals("X" + seen, b.ids().get(0));
                assertEquals(seen + 2, b.lines()[0]);
                assertEquals(3 * b.size(), b.routeOffsets()[b.size()]);
                assertEquals(List.of("N-HAM-FAC", "L-FAC-WH", "N-HAM-WH"), b.routeIds().subList(0, 3));
                assertArrayEquals(new int[] {0, 4, 1}, Arrays.copyOf(b.routeElements(), 3));
                BatchScores s = snap.score(b);
                assertEquals(0, s.failedCount());
                seen += b.size();
            }
            assertNull(r.next());
        }
        assertEquals(n, seen);
        assertTrue(batches > 1, "batches: " + batches);
        // a CSV file with another header is refused whole
        assertThrows(SyntaxException.class, () -> snap.scoreShipments("id;value;route\n".getBytes(StandardCharsets.UTF_8),
                ShipmentFormat.CSV));
        assertThrows(NotFoundException.class, () -> snap.scoreFile(tmp.resolve("none.csv"), ShipmentFormat.CSV));
        assertEquals(ShipmentFormat.JSONL, ShipmentFormat.ofFileName(Path.of("a.ndjson")));
        assertEquals(ShipmentFormat.CSV, ShipmentFormat.ofFileName(Path.of("a.txt")));
    }
}
