package org.scsms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The analyses: each result's toJson() is the command line's --json object
 * (OUTPUT.md) without "command", and the typed views agree with it.
 */
class AnalysesTest {
    private static final LocalDate D = LocalDate.of(2024, 6, 30);

    private static void sameAsCli(AnalysisResult r, String... cli) {
        Fixtures.assertJsonEquals(Fixtures.cliJson(cli), Json.parse(r.toJson()), String.join(" ", cli));
        assertEquals(Json.parse(r.toJson()), r.toMap());
        assertEquals(Scsms.METHOD, r.method());
    }

    @Test
    void assessIsTheCliObject() {
        for (Path p : List.of(Fixtures.rich(), Fixtures.forwarder())) {
            try (Model m = Model.load(p)) {
                sameAsCli(m.assess(), "assess", p.toString(), "--json");
                sameAsCli(m.assess(LocalDate.of(2025, 2, 28)), "assess", p.toString(), "--as-of", "2025-02-28", "--json");
            }
        }
    }

    @Test
    void assessTypedViews() {
        try (Model m = Model.load(Fixtures.rich())) {
            Assessment a = m.assess(D);
            assertEquals(D, a.asOf());
            assertEquals("medium", a.appetite());
            assertEquals(4, a.scenarios().size());
            Assessment.Scenario s = a.scenario("S-THEFT-ROAD").orElseThrow();
            assertEquals("cargo_theft", s.category());
            // frequency rate 0.2: lambda 0.2, band 3 (0.1 <= 0.2 < 1), economic 4 is the highest category
            assertEquals(0.2, s.lambda());
            assertEquals(3, s.inherentLikelihood());
            assertEquals(4, s.inherentConsequence());
            assertEquals(12, s.inherentScore());
            assertEquals("high", s.inherentLevel());
            assertEquals(Map.of("economic", 4, "reputation", 2), s.consequenceLevels());
            assertEquals(List.of("L-FAC-WH", "L-WH-PORT"), s.exposures());
            Assessment.Row inh = s.view(View.INHERENT);
            // two road legs, each at lambda 0.2: rate 0.4 in the inherent view
            assertEquals(0.4, inh.rate(), 1e-15);
            assertEquals(2, inh.exposures().size());
            assertEquals(1.0, inh.exposures().get(0).a());
            assertTrue(inh.exposures().get(0).controls().isEmpty());
            Assessment.Row cur = s.view(View.CURRENT);
            // C-GPS acts on the road legs: rL 0.5 scaled by training factor 0.5 gives 0.2 x (1 - 0.25) = 0.15
            Assessment.Exposure x = cur.exposures().get(0);
            assertEquals("L-FAC-WH", x.element());
            assertEquals(0.15, x.lambda(), 1e-15);
            assertEquals(List.of(new Assessment.ActingControl("C-GPS", 0.5, 0.5, 0.3)), x.controls());
            assertTrue(cur.aboveAppetite());
            Assessment.Scenario cyber = a.scenario("S-CYBER").orElseThrow();
            assertEquals(java.util.Arrays.asList((String) null), cyber.exposures());
            assertTrue(cyber.view(View.CURRENT).exposures().get(0).organization());
            assertNull(cyber.view(View.CURRENT).worstElement());
            // totals: the sum of the rows
            for (View v : View.values()) {
                double sum = 0;
                for (Assessment.Scenario sc : a.scenarios()) {
                    sum += sc.view(v).ale();
                }
                assertEquals(sum, a.ale(v), 1e-9 * sum);
                assertEquals(a.totals(v).ale(), a.ale(v));
                assertEquals(a.scenarios().size(),
                        a.totals(v).levels().values().stream().mapToInt(Integer::intValue).sum());
            }
            assertEquals(List.of("S-THEFT-ROAD"), a.totals(View.CURRENT).aboveAppetite());
            assertTrue(a.warnings().isEmpty());
            assertTrue(a.scenario("nope").isEmpty());
            assertThrows(UnsupportedOperationException.class, () -> a.scenarios().clear());
        }
    }

    @Test
    void warnings() {
        try (Model m = Model.load(Fixtures.rich())) {
            // an effect on S-CYBER whose applies_to reaches no exposure of it
            m.put(Kind.CONTROL, "{\"id\":\"C-FENCE\",\"name\":\"fence\",\"status\":\"implemented\","
                    + "\"applies_to\":[{\"node\":\"N-HAM-FAC\"}],"
                    + "\"effects\":[{\"scenario\":\"S-TAMPER-WH\",\"likelihood_reduction\":0.1}]}");
            Assessment a = m.assess(D);
            assertEquals(1, a.warnings().size());
            Assessment.Warning w = a.warnings().get(0);
            assertEquals("unreached_effect", w.type());
            assertEquals("C-FENCE", w.control());
            assertEquals("S-TAMPER-WH", w.scenario());
            assertFalse(w.message().isEmpty());
        }
    }

    @Test
    void trainingIsTheCliObject() {
        try (Model m = Model.load(Fixtures.rich())) {
            Training t = m.training();
            sameAsCli(t, "training", Fixtures.rich().toString(), "--json");
            sameAsCli(m.training(LocalDate.of(2023, 6, 1)), "training", Fixtures.rich().toString(),
                    "--as-of", "2023-06-01", "--json");
            // 7 required (person, course) pairs, 3 current: 3/7
            assertEquals(7, t.requiredPairs());
            assertEquals(3, t.currentPairs());
            assertEquals(3.0 / 7.0, t.overallCoverage(), 1e-15);
            assertEquals(0.85, t.threshold());
            assertTrue(t.belowThreshold());
            assertEquals(new Training.Coverage("R-DISP", "CRS-AWARE", 2, 1, 0.5), t.coverage().get(0));
            Training.Gap g = t.gaps().get(0);
            assertEquals("E-002", g.person());
            assertEquals("expired", g.status());
            assertEquals(LocalDate.of(2024, 5, 2), g.expires());
            assertEquals(LocalDate.of(2023, 5, 2), g.completed());
            assertNull(t.gaps().get(1).expires());
            assertEquals(Map.of("C-GPS", 0.5), t.trainingFactors());
        }
        try (Model m = Model.load(Fixtures.forwarder())) {
            sameAsCli(m.training(), "training", Fixtures.forwarder().toString(), "--json");
        }
    }

    @Test
    void auditIsTheCliObject() {
        for (Path p : List.of(Fixtures.rich(), Fixtures.forwarder())) {
            try (Model m = Model.load(p)) {
                sameAsCli(m.audit(), "audit", p.toString(), "--json");
                sameAsCli(m.audit(LocalDate.of(2026, 12, 31)), "audit", p.toString(), "--as-of", "2026-12-31", "--json");
            }
        }
        try (Model m = Model.load(Fixtures.rich())) {
            AuditReport r = m.audit(D);
            assertFalse(r.ready());
            assertEquals("ISO28000:2022", r.catalogues().get(0).id());
            assertEquals("CTPAT:MSC", r.catalogues().get(1).id());
            assertEquals(List.of("ISO28000:2022", "CTPAT:MSC"), new ArrayList<>(r.compliance().keySet()));
            AuditReport.Finding f2 = r.findings().get(1);
            assertEquals("F-2", f2.id());
            assertEquals("major", f2.grade());
            assertEquals(Boolean.FALSE, f2.closed());
            assertEquals(new AuditReport.Blocker("open_major_finding", "F-2", Double.NaN, Double.NaN),
                    r.blockers().get(0));
            AuditReport.Certificate c = r.certificate();
            assertEquals("valid", c.status());
            assertEquals(LocalDate.of(2023, 4, 1), c.issued());
            assertEquals(List.of(LocalDate.of(2024, 4, 1), LocalDate.of(2025, 4, 1)), c.surveillanceDue());
            assertEquals(1, c.surveillanceAudits());
            AuditReport.Blocker training = r.blockers().stream()
                    .filter(b -> b.type().equals("training_coverage_below_threshold")).findFirst().orElseThrow();
            assertNull(training.id());
            assertEquals(3.0 / 7.0, training.coverage(), 1e-15);
            assertEquals(0.85, training.threshold());
            assertFalse(r.unaddressedRequirements().isEmpty());
        }
    }

    @Test
    void planIsTheCliObject() {
        Path p = Fixtures.rich();
        try (Model m = Model.load(p)) {
            sameAsCli(m.plan((LocalDate) null), "plan", p.toString(), "--json");
            sameAsCli(m.plan(PlanOptions.defaults().withBudget(30000)), "plan", p.toString(), "--budget", "30000", "--json");
            sameAsCli(m.plan(PlanOptions.defaults().withBudget(10000)), "plan", p.toString(), "--budget", "10000", "--json");
            sameAsCli(m.plan(PlanOptions.defaults().withCandidates(List.of("C-CCTV", "C-BACKUP")).withBudget(1e6)
                    .withAsOf(LocalDate.of(2025, 1, 15))),
                    "plan", p.toString(), "--candidates", "C-CCTV,C-BACKUP", "--budget", "1000000",
                    "--as-of", "2025-01-15", "--json");
            sameAsCli(m.plan(PlanOptions.defaults().withCandidates(List.of())), "plan", p.toString(),
                    "--candidates", "", "--json");
            Plan plan = m.plan(PlanOptions.defaults().withBudget(30000));
            assertEquals(List.of("C-CCTV"), plan.candidates());
            // C-CCTV costs 25000 and fits the budget of 30000
            Plan.Selection s = plan.selection().orElseThrow();
            assertEquals(List.of("C-CCTV"), s.selected());
            assertEquals(25000.0, s.cost());
            assertTrue(s.exact());
            assertNull(s.bound());
            assertEquals(2, plan.frontier().size());
            assertEquals(new Plan.FrontierPoint(0, plan.aleBefore(), List.of()), plan.frontier().get(0));
            assertTrue(plan.frontierExact());
            assertEquals("S-THEFT-ROAD", plan.report().get(0).scenario());
            assertEquals(List.of("training_factor_below_1"), plan.report().get(0).flags());
            assertTrue(m.plan((LocalDate) null).selection().isEmpty());
        }
        try (Model m = Model.load(Fixtures.forwarder())) {
            sameAsCli(m.plan(PlanOptions.defaults().withBudget(50000)), "plan", Fixtures.forwarder().toString(),
                    "--budget", "50000", "--json");
        }
    }

    @Test
    void simulateIsTheCliObject() {
        Path p = Fixtures.rich();
        try (Model m = Model.load(p)) {
            SimulationOptions o = SimulationOptions.defaults().withTrials(20000).withSeed(42);
            Simulation s = m.simulate(o);
            sameAsCli(s, "simulate", p.toString(), "--trials", "20000", "--seed", "42", "--json");
            sameAsCli(m.simulate(o.withView(View.TARGET).withAsOf(LocalDate.of(2025, 1, 1)).withThreads(3)),
                    "simulate", p.toString(), "--trials", "20000", "--seed", "42", "--view", "target",
                    "--as-of", "2025-01-01", "--threads", "1", "--json");
            assertEquals(20000, s.trials());
            assertEquals(42, s.seed());
            assertEquals(View.CURRENT, s.view());
            assertEquals(101, s.lec().size());
            // LEC: the first point at loss 0, the last at the largest loss, which no trial exceeds
            assertEquals(0.0, s.lec().get(0).loss());
            assertEquals(0.0, s.lec().get(100).probability());
            assertEquals(List.of("S-THEFT-ROAD", "S-TAMPER-WH", "S-SMUGGLE", "S-CYBER"),
                    new ArrayList<>(s.scenarioMeans().keySet()));
            double sum = s.scenarioMeans().values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(s.mean(), sum, 1e-9 * s.mean());
            assertFalse(s.hasSamples());
            assertThrows(IllegalStateException.class, s::samples);
            assertThrows(IllegalArgumentException.class, () -> s.quantile(0.42));
            assertEquals(s.quantiles().get(0.99), s.quantile(0.99));
        }
    }

    @Test
    void simulationIsDeterministicAndThreadIndependent() {
        try (Model m = Model.load(Fixtures.rich())) {
            SimulationOptions o = SimulationOptions.defaults().withTrials(30000).withSeed(7);
            String one = m.simulate(o).toJson();
            assertEquals(one, m.simulate(o).toJson());
            assertEquals(one, m.simulate(o.withThreads(4)).toJson());
            assertFalse(one.equals(m.simulate(o.withSeed(8)).toJson()));
            // seeds use all 64 bits
            assertEquals(-1L, m.simulate(o.withSeed(-1L).withTrials(10)).seed());
        }
    }

    @Test
    void simulateOnASnapshotEqualsTheModel() throws Exception {
        try (Model m = Model.load(Fixtures.rich());
                Snapshot s = m.compile(LocalDate.of(2025, 1, 1), View.TARGET);
                Snapshot inh = m.compile(null, View.INHERENT)) {
            SimulationOptions o = SimulationOptions.defaults().withTrials(20000).withSeed(5);
            String fromModel = m.simulate(o.withAsOf(LocalDate.of(2025, 1, 1)).withView(View.TARGET)).toJson();
            // the snapshot's date and view win over the options'
            assertEquals(fromModel, s.simulate(o).toJson());
            assertEquals(fromModel, s.simulate(o.withView(View.CURRENT).withThreads(3)).toJson());
            assertEquals(View.INHERENT, inh.simulate(o).view());
            sameAsCli(inh.simulate(o), "simulate", Fixtures.rich().toString(), "--trials", "20000", "--seed", "5",
                    "--view", "inherent", "--json");
            // many threads simulate on one snapshot at once
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<String>> fs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    fs.add(pool.submit(() -> s.simulate(o).toJson()));
                }
                for (java.util.concurrent.Future<String> f : fs) {
                    assertEquals(fromModel, f.get());
                }
            } finally {
                pool.shutdown();
            }
            assertThrows(CanceledException.class, () -> s.simulate(o.withProgress((d, t) -> false)));
        }
    }

    @Test
    void samplesAndQuantiles() {
        try (Model m = Model.load(Fixtures.rich())) {
            SimulationOptions o = SimulationOptions.defaults().withTrials(5000).withSeed(3);
            Simulation kept = m.simulate(o.withKeepSamples(true));
            Simulation asked = m.simulate(o.withQuantiles(0.25, 0.75, 0.8125));
            double[] x = kept.samples();
            assertEquals(5000, x.length);
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            assertEquals(kept.mean(), mean / x.length, 1e-9 * kept.mean());
            // the Java interpolation over the kept samples is the library's
            for (double q : new double[] {0.25, 0.75, 0.8125}) {
                assertEquals(asked.quantile(q), kept.quantile(q), 0.0, "q=" + q);
            }
            assertEquals(kept.quantile(0.5), asked.quantile(0.5));
            assertEquals(kept.quantile(1.0), java.util.Arrays.stream(x).max().orElseThrow());
            assertEquals(kept.quantile(0.0), java.util.Arrays.stream(x).min().orElseThrow());
            // samples() is a copy
            x[0] = -1;
            assertTrue(kept.samples()[0] >= 0);
            assertArrayEquals(kept.samples(), m.simulate(o.withKeepSamples(true).withThreads(2)).samples());
        }
    }

    @Test
    void progressAndCancel() {
        try (Model m = Model.load(Fixtures.rich())) {
            AtomicLong calls = new AtomicLong();
            AtomicLong last = new AtomicLong();
            Simulation s = m.simulate(SimulationOptions.defaults().withTrials(200000).withProgress((done, total) -> {
                calls.incrementAndGet();
                assertEquals(200000, total);
                assertTrue(done >= last.get());
                last.set(done);
                return true;
            }));
            assertTrue(calls.get() >= 1);
            assertEquals(200000, last.get());
            assertEquals(200000, s.trials());
            CanceledException c = assertThrows(CanceledException.class,
                    () -> m.simulate(SimulationOptions.defaults().withTrials(200000).withProgress((d, t) -> false)));
            assertEquals(Status.CANCELED, c.status());
            IllegalStateException mine = new IllegalStateException("listener failed");
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> m.simulate(SimulationOptions.defaults().withTrials(200000).withProgress((d, t) -> {
                        throw mine;
                    })));
            assertSame(mine, thrown);
            // the listener may read the model, not edit it (that would deadlock: refused)
            IllegalStateException edit = assertThrows(IllegalStateException.class,
                    () -> m.simulate(SimulationOptions.defaults().withTrials(200000).withProgress((d, t) -> {
                        assertEquals(4, m.count(Kind.SCENARIO));
                        m.remove(Kind.REVIEW, "0");
                        return true;
                    })));
            assertTrue(edit.getMessage().contains("cannot be edited"), edit.getMessage());
            assertEquals(2, m.count(Kind.REVIEW));
            // the model is still usable
            assertEquals(4, m.count(Kind.SCENARIO));
        }
    }

    @Test
    void resultsAreIndependentOfTheModel() {
        Assessment a;
        Training t;
        AuditReport r;
        Plan p;
        Simulation s;
        String before;
        try (Model m = Model.load(Fixtures.rich())) {
            a = m.assess();
            t = m.training();
            r = m.audit();
            p = m.plan(PlanOptions.defaults().withBudget(1));
            s = m.simulate(SimulationOptions.defaults().withTrials(100));
            before = a.toJson();
            m.remove(Kind.REVIEW, "0");
            m.put(Kind.NODE, "{\"id\":\"N-Z\",\"type\":\"office\"}");
        }
        // the model is closed: the results are plain values
        assertEquals(before, a.toJson());
        assertEquals(4, a.scenarios().size());
        assertEquals(7, t.requiredPairs());
        assertFalse(r.ready());
        assertTrue(p.selection().isPresent());
        assertEquals(100, s.trials());
    }
}
