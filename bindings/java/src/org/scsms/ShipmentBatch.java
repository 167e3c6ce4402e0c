package org.scsms;

import java.util.List;

/**
 * A batch of shipments read from a file: columnar arrays (copies owned by
 * the batch), the shipments' ids and lines, the route ids as written, and
 * the bad lines met while reading it. Score it with
 * {@link Snapshot#score(ShipmentBatch)}.
 */
public final class ShipmentBatch {
    private final long firstIndex;
    private final List<String> ids;
    private final long[] lines;
    private final double[] values;
    private final int[] routeOffsets;
    private final int[] routeElements;
    private final List<String> routeIds;
    private final List<BadLine> badLines;

    ShipmentBatch(long firstIndex, List<String> ids, long[] lines, double[] values, int[] routeOffsets,
            int[] routeElements, List<String> routeIds, List<BadLine> badLines) {
        this.firstIndex = firstIndex;
        this.ids = ids;
        this.lines = lines;
        this.values = values;
        this.routeOffsets = routeOffsets;
        this.routeElements = routeElements;
        this.routeIds = routeIds;
        this.badLines = badLines;
    }

    /** The number of shipments in the batch. */
    public int size() {
        return values.length;
    }

    /** The index of the batch's first shipment among all the shipments parsed. */
    public long firstIndex() {
        return firstIndex;
    }

    /** The shipments' ids. */
    public List<String> ids() {
        return ids;
    }

    /** The line (from 1) where each shipment starts (a copy). */
    public long[] lines() {
        return lines.clone();
    }

    /** The declared values (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The route offsets, size() + 1 entries (a copy). */
    public int[] routeOffsets() {
        return routeOffsets.clone();
    }

    /** The routes' element indexes in the snapshot, -1 for unknown ids (a copy). */
    public int[] routeElements() {
        return routeElements.clone();
    }

    /** The routes' element ids as written in the file, routeOffsets()[size()] of them. */
    public List<String> routeIds() {
        return routeIds;
    }

    /** The bad lines met while reading this batch, ascending line. */
    public List<BadLine> badLines() {
        return badLines;
    }

    long lineRaw(int i) {
        return lines[i];
    }

    double[] valuesRaw() {
        return values;
    }

    int[] routeOffsetsRaw() {
        return routeOffsets;
    }

    int[] routeElementsRaw() {
        return routeElements;
    }

    /**
     * A line of the file that is not a shipment.
     *
     * @param line its number (from 1)
     * @param message what is wrong with it
     */
    public record BadLine(long line, String message) {
    }
}
