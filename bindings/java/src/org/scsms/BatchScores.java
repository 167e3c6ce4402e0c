package org.scsms;

/**
 * The results of a batch: one entry per shipment in each array. The arrays
 * are the result itself (not copies): read them directly for speed.
 */
public final class BatchScores {
    final double[] pIncident;
    final double[] expectedLoss;
    final int[] maxLevel;
    final int[] topElement;
    final int[] topScenario;
    final int[] topRouteIndex;
    final byte[] status;
    int failed;

    BatchScores(int n) {
        pIncident = new double[n];
        expectedLoss = new double[n];
        maxLevel = new int[n];
        topElement = new int[n];
        topScenario = new int[n];
        topRouteIndex = new int[n];
        status = new byte[n];
    }

    /** The number of shipments. */
    public int size() {
        return status.length;
    }

    /** The number of failing shipments. */
    public int failedCount() {
        return failed;
    }

    /** -expm1(-sum of hazards) per shipment; NaN when failing. */
    public double[] pIncident() {
        return pIncident;
    }

    /** Sum of p(x) x loss(x) per shipment; NaN when failing. */
    public double[] expectedLoss() {
        return expectedLoss;
    }

    /** Highest risk level index on the route; -1 none. */
    public int[] maxLevel() {
        return maxLevel;
    }

    /** Element index of the top exposure; -1 none. */
    public int[] topElement() {
        return topElement;
    }

    /** Scenario index of the top exposure; -1 none. */
    public int[] topScenario() {
        return topScenario;
    }

    /** Route position of the top exposure; -1 none. */
    public int[] topRouteIndex() {
        return topRouteIndex;
    }

    /** 0 scored, else the first {@link Failure} code. */
    public byte[] status() {
        return status;
    }

    /** Shipment i's result. */
    public Snapshot.ShipmentResult get(int i) {
        return new Snapshot.ShipmentResult(Failure.of(status[i]), pIncident[i], expectedLoss[i], maxLevel[i],
                topElement[i], topScenario[i], topRouteIndex[i]);
    }
}
