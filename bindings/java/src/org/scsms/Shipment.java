package org.scsms;

import java.util.List;
import java.util.Objects;

/**
 * One shipment to score: its id, declared value and route (element ids,
 * nodes and legs, in order).
 *
 * @param id the shipment id
 * @param value the declared value (in the model's currency)
 * @param route the element ids of the route
 */
public record Shipment(String id, double value, List<String> route) {
    /** Copies the route; nulls are refused. */
    public Shipment {
        Objects.requireNonNull(id, "id");
        route = List.copyOf(Objects.requireNonNull(route, "route"));
    }

    /** A shipment with the route given as ids. */
    public static Shipment of(String id, double value, String... route) {
        return new Shipment(id, value, List.of(route));
    }
}
