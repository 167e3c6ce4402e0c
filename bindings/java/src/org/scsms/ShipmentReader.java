package org.scsms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A streaming reader of a shipment file (FORMAT.md "Shipments"): it yields
 * the shipments in batches of columnar arrays, route ids resolved to the
 * snapshot's element indexes, with the bad lines met on the way. Memory is
 * bounded by the batch size, whatever the file's size.
 *
 * <pre>{@code
 * try (ShipmentReader r = snapshot.openShipments(path, ShipmentFormat.CSV)) {
 *     for (ShipmentBatch b = r.next(); b != null; b = r.next()) {
 *         BatchScores s = snapshot.score(b);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>One thread at a time. The reader keeps its snapshot alive until it is
 * closed.
 */
public final class ShipmentReader implements AutoCloseable {
    private final Handle handle;
    private final Snapshot snapshot;
    private boolean done;

    private ShipmentReader(Snapshot snapshot, long address, long copy) {
        this.snapshot = snapshot;
        this.handle = new Handle(this, address, new Free(snapshot, copy), "shipment reader");
    }

    /** Frees the reader, then its buffer copy, then lets the snapshot go. */
    private static final class Free implements java.util.function.LongConsumer {
        private final Snapshot snapshot;
        private final long copy;

        Free(Snapshot snapshot, long copy) {
            this.snapshot = snapshot;
            this.copy = copy;
        }

        @Override
        public void accept(long address) {
            LibScsms.scsms_shipment_reader_free(address);
            if (copy != 0) {
                LibScsms.scsmsj_free(copy);
            }
            snapshot.release();
        }
    }

    static ShipmentReader open(Snapshot s, String path, ShipmentFormat format) {
        long sp = s.acquire();   // held until the reader is freed
        try {
            long[] out = new long[1];
            LibScsms.scsms_shipment_reader_open_file(out, path, format.code(), sp);
            try {
                return new ShipmentReader(s, out[0], 0);
            } catch (RuntimeException | Error e) {
                LibScsms.scsms_shipment_reader_free(out[0]);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            s.release();
            throw e;
        }
    }

    static ShipmentReader open(Snapshot s, byte[] data, ShipmentFormat format) {
        long sp = s.acquire();
        try {
            long[] out = new long[1];
            long[] copy = new long[1];
            LibScsms.scsmsj_reader_open_buffer(out, data, format.code(), sp, copy);
            try {
                return new ShipmentReader(s, out[0], copy[0]);
            } catch (RuntimeException | Error e) {
                LibScsms.scsms_shipment_reader_free(out[0]);
                LibScsms.scsmsj_free(copy[0]);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            s.release();
            throw e;
        }
    }

    /** The snapshot the routes are resolved with. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * The next batch, or null at the end of the input (a batch may hold
     * only bad lines).
     *
     * @throws SyntaxException a CSV file whose first line is not {@code id,value,route}
     *         (the whole file is refused: the first call throws)
     * @throws FileException the source failed
     * @throws LimitException a record longer than 64 MiB
     */
    public ShipmentBatch next() {
        if (done) {
            return null;
        }
        long r = handle.acquire();
        try {
            long[] count = new long[1];
            LibScsms.scsms_shipment_reader_next(count, r);
            int n = (int) count[0];
            int nBad = (int) LibScsms.scsms_shipment_reader_bad_count(r);
            if (n == 0 && nBad == 0) {
                done = true;
                return null;
            }
            List<ShipmentBatch.BadLine> bad = new ArrayList<>(nBad);
            for (int k = 0; k < nBad; k++) {
                bad.add(new ShipmentBatch.BadLine(LibScsms.scsms_shipment_reader_bad_line(r, k),
                        LibScsms.scsms_shipment_reader_bad_message(r, k)));
            }
            long total = LibScsms.scsmsj_reader_route_total(r, n);
            long[] lines = new long[n];
            double[] values = new double[n];
            int[] offsets = new int[n + 1];
            int[] elements = new int[(int) total];
            LibScsms.scsmsj_reader_copy(r, n, lines, values, offsets, elements);
            List<String> ids = Utf8.split(LibScsms.scsmsj_reader_names(r, 0, n));
            List<String> routeIds = Utf8.split(LibScsms.scsmsj_reader_names(r, 1, (int) total));
            return new ShipmentBatch(LibScsms.scsms_shipment_reader_first_index(r),
                    Collections.unmodifiableList(ids), lines, values, offsets, elements,
                    Collections.unmodifiableList(routeIds), Collections.unmodifiableList(bad));
        } finally {
            handle.release();
        }
    }

    /** Frees the reader. Closing twice is harmless. */
    @Override
    public void close() {
        handle.close();
    }
}
