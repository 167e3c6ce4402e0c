/*
 * ShipmentRisk: what a logistics platform does with libscsms from Java.
 *
 *   1. load the organisation's security management model (scsms/1);
 *   2. print its risk register (METHOD.md sections 2 to 5);
 *   3. score a file of shipments (CSV or JSON Lines) against a compiled
 *      snapshot, batch by batch, and list the riskiest ones.
 *
 * Build and run against the installed jar and library (docs/JAVA.md):
 *
 *   javac -cp /usr/share/java/scsms.jar -d classes ShipmentRisk.java
 *   java -cp /usr/share/java/scsms.jar:classes ShipmentRisk \
 *        data/forwarder.json data/shipments.csv [--view current|target] [--as-of YYYY-MM-DD]
 */
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.scsms.Assessment;
import org.scsms.BatchScores;
import org.scsms.Model;
import org.scsms.ScsmsException;
import org.scsms.ShipmentBatch;
import org.scsms.ShipmentFormat;
import org.scsms.ShipmentReader;
import org.scsms.Snapshot;
import org.scsms.ValidationException;
import org.scsms.View;

public final class ShipmentRisk {
    private record Scored(String id, long line, double value, double p, double expectedLoss, String level,
            String top) {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ShipmentRisk MODEL SHIPMENTS [--view current|target] [--as-of YYYY-MM-DD]");
            System.exit(2);
        }
        Path modelPath = Path.of(args[0]);
        Path shipmentsPath = Path.of(args[1]);
        View view = View.CURRENT;
        LocalDate asOf = null;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--view" -> view = View.ofKey(args[i + 1]);
                case "--as-of" -> asOf = LocalDate.parse(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        try (Model model = Model.load(modelPath)) {
            printRegister(model, asOf);
            // The snapshot is independent of the model: a platform compiles it
            // once a day and shares it between its scoring threads.
            try (Snapshot snapshot = model.compile(asOf, view)) {
                scoreFile(snapshot, shipmentsPath, model.currency());
            }
        } catch (ValidationException e) {
            System.err.println(modelPath + " is not a valid scsms/1 model:");
            e.errors().forEach(x -> System.err.println("  " + x));
            System.exit(1);
        } catch (ScsmsException e) {
            System.err.println("error: " + e.getMessage() + " (" + e.status() + ")");
            System.exit(1);
        }
    }

    private static void printRegister(Model model, LocalDate asOf) {
        Assessment a = model.assess(asOf);
        System.out.printf(Locale.ROOT, "%s: risk register as of %s (appetite %s)%n", model.organizationName(),
                a.asOf(), a.appetite());
        System.out.printf(Locale.ROOT, "%-16s %-12s %-12s %-12s %16s%n", "SCENARIO", "INHERENT", "CURRENT", "TARGET",
                "ALE/yr current");
        for (Assessment.Scenario s : a.scenarios()) {
            System.out.printf(Locale.ROOT, "%-16s %-12s %-12s %-12s %16.2f%s%n", s.id(),
                    s.inherentLevel() + " " + s.inherentScore(),
                    s.view(View.CURRENT).level() + " " + s.view(View.CURRENT).score(),
                    s.view(View.TARGET).level() + " " + s.view(View.TARGET).score(),
                    s.view(View.CURRENT).ale(), s.view(View.CURRENT).aboveAppetite() ? "  above appetite" : "");
        }
        System.out.printf(Locale.ROOT, "ALE %s per year: inherent %.2f, current %.2f, target %.2f%n%n",
                model.currency(), a.ale(View.INHERENT), a.ale(View.CURRENT), a.ale(View.TARGET));
    }

    private static void scoreFile(Snapshot snapshot, Path path, String currency) {
        List<Scored> scored = new ArrayList<>();
        int failing = 0;
        int badLines = 0;
        double totalLoss = 0;
        System.out.printf(Locale.ROOT, "Shipments of %s, %s view:%n", path.getFileName(), snapshot.view().key());
        try (ShipmentReader reader = snapshot.openShipments(path, ShipmentFormat.ofFileName(path))) {
            for (ShipmentBatch batch = reader.next(); batch != null; batch = reader.next()) {
                for (ShipmentBatch.BadLine bad : batch.badLines()) {
                    System.out.printf(Locale.ROOT, "  line %d skipped: %s%n", bad.line(), bad.message());
                    badLines++;
                }
                BatchScores s = snapshot.score(batch);   // one native call for the whole batch
                long[] lines = batch.lines();
                double[] values = batch.values();
                int[] offsets = batch.routeOffsets();
                int[] elements = batch.routeElements();
                for (int i = 0; i < batch.size(); i++) {
                    if (s.status()[i] != 0) {
                        failing++;
                        int[] route = java.util.Arrays.copyOfRange(elements, offsets[i], offsets[i + 1]);
                        StringBuilder why = new StringBuilder();
                        for (Snapshot.FailureAt f : snapshot.failures(route, values[i])) {
                            why.append(' ').append(f.failure().key());
                            if (f.routeIndex() >= 0) {
                                why.append(' ').append(batch.routeIds().get(offsets[i] + f.routeIndex()));
                            }
                        }
                        System.out.printf(Locale.ROOT, "  %s (line %d) cannot be scored:%s%n", batch.ids().get(i),
                                lines[i], why);
                        continue;
                    }
                    String level = s.maxLevel()[i] >= 0 ? snapshot.levelNames().get(s.maxLevel()[i]) : "-";
                    String top = s.topRouteIndex()[i] >= 0
                            ? snapshot.scenarioIds().get(s.topScenario()[i]) + " @ "
                                    + snapshot.elementIds().get(s.topElement()[i])
                            : "-";
                    scored.add(new Scored(batch.ids().get(i), lines[i], values[i], s.pIncident()[i],
                            s.expectedLoss()[i], level, top));
                    totalLoss += s.expectedLoss()[i];
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%-14s %5s %14s %12s %14s  %-8s %s%n", "SHIPMENT", "LINE", "VALUE",
                "P(INCIDENT)", "EXPECTED LOSS", "LEVEL", "TOP EXPOSURE");
        scored.sort(Comparator.comparingDouble(Scored::expectedLoss).reversed());
        for (Scored s : scored) {
            System.out.printf(Locale.ROOT, "%-14s %5d %14.2f %12.8f %14.2f  %-8s %s%n", s.id(), s.line(), s.value(),
                    s.p(), s.expectedLoss(), s.level(), s.top());
        }
        System.out.printf(Locale.ROOT, "%n%d shipments: %d scored, %d cannot be scored, %d bad lines; "
                + "expected loss of the scored shipments %.2f %s%n", scored.size() + failing, scored.size(), failing,
                badLines, totalLoss, currency);
        if (failing > 0) {
            System.out.println("Shipments that cannot be scored need their routes or values fixed (METHOD.md 9).");
        }
    }
}
