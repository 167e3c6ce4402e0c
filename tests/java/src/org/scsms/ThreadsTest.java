package org.scsms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The threading contract (docs/JAVA.md, "Threads"): a compiled snapshot is
 * shared by many threads; analyses of one model may run concurrently;
 * edits and close are serialised with them.
 */
class ThreadsTest {
    private static final int THREADS = 8;

    /** Runs the task on THREADS threads released at once; returns their results. */
    private static <T> List<T> together(Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get(300, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eightThreadsScoreOneSnapshotWithTheSingleThreadedAnswers() throws Exception {
        try (Model m = Model.load(Fixtures.rich()); Snapshot s = m.compile(null, View.CURRENT)) {
            // a batch of 200,000 shipments over random routes
            int n = 200_000;
            int[] off = new int[n + 1];
            int[] el = new int[n * 4];
            double[] values = new double[n];
            long x = 99;
            int at = 0;
            int elements = s.elementIds().size();
            for (int i = 0; i < n; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                int len = 1 + (int) ((x >>> 33) % 4);
                for (int k = 0; k < len; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    el[at++] = (int) ((x >>> 33) % elements);
                }
                off[i + 1] = at;
                values[i] = (x >>> 44) % 500_000;
            }
            BatchScores ref = s.score(off, el, values);
            List<Snapshot.ShipmentResult> refOne = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                refOne.add(s.scoreOne(java.util.Arrays.copyOfRange(el, off[i], off[i + 1]), values[i]));
            }
            List<BatchScores> results = together(() -> {
                // each thread: the whole batch, then shipments one by one
                BatchScores b = s.score(off, el, values);
                for (int i = 0; i < 2000; i++) {
                    Snapshot.ShipmentResult r = s.scoreOne(java.util.Arrays.copyOfRange(el, off[i], off[i + 1]), values[i]);
                    if (!r.equals(refOne.get(i))) {
                        throw new AssertionError("shipment " + i + ": " + r + " != " + refOne.get(i));
                    }
                }
                return b;
            });
            for (BatchScores b : results) {
                assertArrayEquals(ref.pIncident(), b.pIncident());
                assertArrayEquals(ref.expectedLoss(), b.expectedLoss());
                assertArrayEquals(ref.maxLevel(), b.maxLevel());
                assertArrayEquals(ref.topElement(), b.topElement());
                assertArrayEquals(ref.topScenario(), b.topScenario());
                assertArrayEquals(ref.topRouteIndex(), b.topRouteIndex());
                assertArrayEquals(ref.status(), b.status());
                assertEquals(ref.failedCount(), b.failedCount());
            }
        }
    }

    @Test
    void analysesOfOneModelRunConcurrently() throws Exception {
        try (Model m = Model.load(Fixtures.rich())) {
            String assess = m.assess().toJson();
            String audit = m.audit().toJson();
            String plan = m.plan(PlanOptions.defaults().withBudget(30000)).toJson();
            String sim = m.simulate(SimulationOptions.defaults().withTrials(5000)).toJson();
            List<Boolean> ok = together(() -> {
                for (int i = 0; i < 20; i++) {
                    if (!assess.equals(m.assess().toJson()) || !audit.equals(m.audit().toJson())
                            || !plan.equals(m.plan(PlanOptions.defaults().withBudget(30000)).toJson())) {
                        return false;
                    }
                }
                return sim.equals(m.simulate(SimulationOptions.defaults().withTrials(5000)).toJson());
            });
            assertEquals(List.of(true, true, true, true, true, true, true, true), ok);
        }
    }

    @Test
    void oneModelPerThreadForEditing() throws Exception {
        // the contract: each thread edits its own model
        List<Integer> counts = together(() -> {
            try (Model m = Model.load(Fixtures.rich())) {
                for (int i = 0; i < 50; i++) {
                    m.put(Kind.NODE, "{\"id\":\"N-T" + i + "\",\"type\":\"office\"}");
                }
                return m.count(Kind.NODE);
            }
        });
        for (int c : counts) {
            assertEquals(54, c);
        }
    }

    @Test
    void misuseAcrossThreadsIsSerialisedNotACrash() throws Exception {
        // beyond the contract: edits racing reads on one model are serialised
        // by the model's lock; close racing calls waits for them
        for (int round = 0; round < 5; round++) {
            Model m = Model.load(Fixtures.rich());
            AtomicInteger closedSeen = new AtomicInteger();
            AtomicInteger id = new AtomicInteger();
            List<Boolean> done = together(() -> {
                int me = id.getAndIncrement();
                for (int i = 0; i < 200; i++) {
                    try {
                        if (me == 0 && i == 100) {
                            m.close();
                        } else if (me % 2 == 0) {
                            m.put(Kind.NODE, "{\"id\":\"N-" + me + "-" + i + "\",\"type\":\"office\"}");
                        } else {
                            m.assess();
                            m.ids(Kind.NODE);
                        }
                    } catch (IllegalStateException e) {
                        closedSeen.incrementAndGet();
                    }
                }
                return true;
            });
            assertEquals(THREADS, done.size());
            assertTrue(m.isClosed());
            assertTrue(closedSeen.get() > 0);
        }
        // the same for a snapshot closed while others score
        for (int round = 0; round < 5; round++) {
            Snapshot s;
            try (Model m = Model.load(Fixtures.rich())) {
                s = m.compile(null, View.CURRENT);
            }
            AtomicInteger id = new AtomicInteger();
            together(() -> {
                int me = id.getAndIncrement();
                for (int i = 0; i < 500; i++) {
                    try {
                        if (me == 0 && i == 250) {
                            s.close();
                        } else {
                            s.scoreOne(new int[] {0, 4, 1}, 1000);
                        }
                    } catch (IllegalStateException e) {
                        return true;
                    }
                }
                return true;
            });
            assertTrue(s.isClosed());
        }
    }
}
