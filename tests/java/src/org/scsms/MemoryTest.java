package org.scsms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No native memory growth: 100,000 open/close cycles with the resident set
 * (VmRSS of /proc/self/status) measured before, during and after.
 *
 * <p>The JVM runs with a fixed pre-touched heap (-Xms = -Xmx,
 * -XX:+AlwaysPreTouch, tests/java/meson.build) so that heap growth does not
 * count. What remains moves in one-time steps of a few MB (glibc's malloc
 * raising its mmap threshold and keeping freed blocks, the JIT's code),
 * which are not leaks; a leak grows with every cycle. So the 100,000
 * cycles run in 5 windows of 20,000, and the test asserts that the median
 * window grows less than 800 kB (a leak of 40 bytes a cycle would grow
 * every window by 800 kB), and the whole run less than 16 MB.
 *
 * <p>Analyses are not measured this way: they run enough Java code (JSON
 * parsing into records) that the JIT's own growth, for thousands of
 * cycles, hides any native signal. Their native results are freed in
 * finally blocks right after their JSON is read (Model.java).
 */
@Tag("memory")
class MemoryTest {
    private static final int CYCLES = 100_000;
    private static final int WINDOWS = 5;
    private static final long WINDOW_TOLERANCE_KB = 800;
    private static final long TOTAL_TOLERANCE_KB = 16 * 1024;

    private static long settledRss() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        System.gc();
        return Fixtures.rssKb();
    }

    /** Warms the cycle up, then runs it CYCLES times in WINDOWS windows, and checks the growth. */
    private static void assertNoGrowth(String what, Runnable cycle) throws InterruptedException {
        assertNoGrowth(what, CYCLES, 20_000, cycle);
    }

    private static void assertNoGrowth(String what, int cycles, int warmUp, Runnable cycle)
            throws InterruptedException {
        for (int i = 0; i < warmUp; i++) {
            cycle.run();
        }
        long[] rss = new long[WINDOWS + 1];
        rss[0] = settledRss();
        long[] growth = new long[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            for (int i = 0; i < cycles / WINDOWS; i++) {
                cycle.run();
            }
            rss[w + 1] = settledRss();
            growth[w] = rss[w + 1] - rss[w];
        }
        long[] sorted = growth.clone();
        java.util.Arrays.sort(sorted);
        long median = sorted[WINDOWS / 2];
        long total = rss[WINDOWS] - rss[0];
        System.out.printf("%s: %d cycles, VmRSS %d kB -> %d kB (%+d kB); per %d cycles: %s kB, median %+d kB%n",
                what, cycles, rss[0], rss[WINDOWS], total, cycles / WINDOWS, java.util.Arrays.toString(growth),
                median);
        assertTrue(median < WINDOW_TOLERANCE_KB, what + ": the median window grew by " + median + " kB");
        assertTrue(total < TOTAL_TOLERANCE_KB, what + ": VmRSS grew by " + total + " kB");
    }

    @Test
    void modelOpenClose() throws Exception {
        byte[] doc = Fixtures.read(Fixtures.rich()).getBytes(StandardCharsets.UTF_8);
        assertNoGrowth("model open/close", () -> {
            try (Model m = Model.fromJson(doc)) {
                if (m.count(Kind.NODE) != 4) {
                    throw new AssertionError("count");
                }
            }
        });
    }

    @Test
    void snapshotAndReaderOpenClose() throws Exception {
        byte[] csv = "id,value,route\nA,10,N-HAM-FAC>L-FAC-WH\n".getBytes(StandardCharsets.UTF_8);
        try (Model m = Model.load(Fixtures.rich())) {
            assertNoGrowth("snapshot and reader open/close, batch scored", () -> {
                try (Snapshot s = m.compile(null, View.CURRENT);
                        ShipmentReader r = s.openShipments(csv, ShipmentFormat.CSV)) {
                    if (s.score(r.next()).failedCount() != 0) {
                        throw new AssertionError("score");
                    }
                }
            });
        }
    }

    @Test
    void failedLoadsWithDiagnostics() throws Exception {
        assertNoGrowth("failed loads (validation and syntax errors)", () -> {
            assertThrows(ValidationException.class, () -> Model.fromJson("{\"format\":\"scsms/1\",\"organization\":{}}"));
            assertThrows(SyntaxException.class, () -> Model.fromJson("{"));
        });
    }
}
