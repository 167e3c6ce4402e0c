import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.Locale;

import org.scsms.BatchScores;
import org.scsms.Model;
import org.scsms.Snapshot;
import org.scsms.View;

/**
 * The Java side of the scoring benchmark (tests/java/bench/run_bench.py):
 * the same synthetic batch as bench_score_c.c, scored from Java, best of R
 * runs, one thread. usage: ScoreBench MODEL [N] [R]
 * prints: java_ns (caller's arrays), alloc_ns (new output arrays each
 * time), direct_ns (direct buffers), failed, checksum.
 */
public final class ScoreBench {
    private static long x = 20250630L;

    private static long next() {
        x = x * 6364136223846793005L + 1442695040888963407L;
        return x;
    }

    public static void main(String[] args) {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        try (Model m = Model.load(Path.of(args[0])); Snapshot s = m.compile(null, View.CURRENT)) {
            // routes over the elements a shipment can cross (in scope, scorable)
            int[] usable = new int[s.elementIds().size()];
            int elements = 0;
            for (int e = 0; e < usable.length; e++) {
                if (s.scoreOne(new int[] {e}, 1.0).scored()) {
                    usable[elements++] = e;
                }
            }
            int[] off = new int[n + 1];
            int[] el = new int[n * 6];
            double[] val = new double[n];
            int at = 0;
            for (int i = 0; i < n; i++) {
                int len = 1 + (int) Long.remainderUnsigned(next() >>> 33, 6);
                for (int k = 0; k < len; k++) {
                    el[at++] = usable[(int) Long.remainderUnsigned(next() >>> 33, elements)];
                }
                off[i + 1] = at;
                val[i] = (double) Long.remainderUnsigned(next() >>> 44, 1_000_000);
            }
            double[] p = new double[n];
            double[] loss = new double[n];
            int[] lvl = new int[n];
            int[] te = new int[n];
            int[] ts = new int[n];
            int[] tr = new int[n];
            byte[] st = new byte[n];
            long best = Long.MAX_VALUE;
            int failed = 0;
            for (int r = 0; r < reps + 2; r++) {   // two warm-up runs
                long t0 = System.nanoTime();
                failed = s.score(n, off, el, val, p, loss, lvl, te, ts, tr, st, 1);
                long t = System.nanoTime() - t0;
                if (r >= 2 && t < best) {
                    best = t;
                }
            }
            long bestAlloc = Long.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                BatchScores b = s.score(off, el, val);
                long t = System.nanoTime() - t0;
                if (b.failedCount() != failed) {
                    throw new AssertionError("allocating form disagrees");
                }
                bestAlloc = Math.min(bestAlloc, t);
            }
            IntBuffer dOff = ByteBuffer.allocateDirect(4 * (n + 1)).order(ByteOrder.nativeOrder()).asIntBuffer();
            dOff.put(off).flip();
            IntBuffer dEl = ByteBuffer.allocateDirect(4 * at).order(ByteOrder.nativeOrder()).asIntBuffer();
            dEl.put(el, 0, at).flip();
            DoubleBuffer dVal = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            dVal.put(val).flip();
            DoubleBuffer dP = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            DoubleBuffer dLoss = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            IntBuffer dLvl = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
            IntBuffer dTe = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
            IntBuffer dTs = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
            IntBuffer dTr = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
            ByteBuffer dSt = ByteBuffer.allocateDirect(n);
            long bestDirect = Long.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                int f = s.score(n, dOff, dEl, dVal, dP, dLoss, dLvl, dTe, dTs, dTr, dSt, 1);
                long t = System.nanoTime() - t0;
                if (f != failed) {
                    throw new AssertionError("direct form disagrees");
                }
                bestDirect = Math.min(bestDirect, t);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (st[i] == 0) {
                    sum += loss[i];
                }
                if (Double.doubleToLongBits(dLoss.get(i)) != Double.doubleToLongBits(loss[i])) {
                    throw new AssertionError("direct buffers disagree at " + i);
                }
            }
            System.out.printf(Locale.ROOT, "java_ns %d alloc_ns %d direct_ns %d failed %d checksum %s%n", best,
                    bestAlloc, bestDirect, failed, toC(sum));
        }
    }

    /** The checksum as C's %.17g would print it, for an exact comparison. */
    private static String toC(double d) {
        return String.format(Locale.ROOT, "%.17g", d).replaceFirst("\\.?0+(e|$)", "$1");
    }
}
