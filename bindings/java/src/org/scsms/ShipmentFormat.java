package org.scsms;

import java.nio.file.Path;

/** Shipment file formats (FORMAT.md "Shipments"). Values are the C values. */
public enum ShipmentFormat {
    /** RFC 4180 CSV with the header {@code id,value,route}, route ids joined by {@code >}. */
    CSV(1),
    /** JSON Lines of {@code {"id", "value", "route": [ids]}}. */
    JSONL(2);

    private final int code;

    ShipmentFormat(int code) {
        this.code = code;
    }

    /** The C value. */
    public int code() {
        return code;
    }

    /** The command line's rule: a name ending in .jsonl or .ndjson is JSON Lines, any other CSV. */
    public static ShipmentFormat ofFileName(Path path) {
        String n = path.getFileName() == null ? "" : path.getFileName().toString();
        return n.endsWith(".jsonl") || n.endsWith(".ndjson") ? JSONL : CSV;
    }
}
