package org.scsms;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** close(): idempotent; use after close throws IllegalStateException; lifetimes. */
class CloseTest {
    @Test
    void modelCloseTwiceAndUseAfterClose() {
        Model m = Model.load(Fixtures.rich());
        assertFalse(m.isClosed());
        m.close();
        assertTrue(m.isClosed());
        assertDoesNotThrow(m::close);
        assertThrows(IllegalStateException.class, m::organizationName);
        assertThrows(IllegalStateException.class, () -> m.count(Kind.NODE));
        assertThrows(IllegalStateException.class, () -> m.get(Kind.NODE, 0));
        assertThrows(IllegalStateException.class, () -> m.put(Kind.NODE, "{}"));
        assertThrows(IllegalStateException.class, m::toJson);
        assertThrows(IllegalStateException.class, m::assess);
        assertThrows(IllegalStateException.class, m::copy);
        assertThrows(IllegalStateException.class, () -> m.compile(null, View.CURRENT));
        assertThrows(IllegalStateException.class, () -> m.simulate(null));
        IllegalStateException e = assertThrows(IllegalStateException.class, m::appetite);
        assertEquals("the model is closed", e.getMessage());
    }

    @Test
    void tryWithResourcesCloses() {
        Model kept;
        try (Model m = Model.create("X")) {
            kept = m;
            assertEquals("X", m.organizationName());
        }
        assertTrue(kept.isClosed());
    }

    @Test
    void snapshotOutlivesItsModelAndClosesOnItsOwn() {
        Snapshot s;
        try (Model m = Model.load(Fixtures.rich())) {
            s = m.compile(LocalDate.of(2024, 6, 30), View.CURRENT);
            // editing the model does not change the snapshot
            m.put(Kind.NODE, "{\"id\":\"N-NEW\",\"type\":\"office\"}");
            assertEquals(-1, s.elementIndex("N-NEW"));
        }
        Snapshot.ShipmentResult r = s.scoreOne(s.route("N-HAM-FAC", "L-FAC-WH"), 1000);
        assertTrue(r.scored());
        s.close();
        assertTrue(s.isClosed());
        assertDoesNotThrow(s::close);
        assertThrows(IllegalStateException.class, () -> s.scoreOne(new int[] {0}, 1));
        assertThrows(IllegalStateException.class, () -> s.score(new int[] {0, 1}, new int[] {0}, new double[] {1}));
        assertThrows(IllegalStateException.class, () -> s.failures(new int[] {0}, 1));
        assertThrows(IllegalStateException.class, () -> s.openShipments(new byte[0], ShipmentFormat.CSV));
        assertThrows(IllegalStateException.class, () -> s.simulate(null));
        // what was copied at compile time stays readable
        assertEquals(7, s.elementIds().size());
    }

    @Test
    void readerKeepsItsSnapshotAlive() {
        byte[] csv = "id,value,route\nA,10,N-HAM-FAC>L-FAC-WH\nB,20,N-HAM-WH\n".getBytes(StandardCharsets.UTF_8);
        try (Model m = Model.load(Fixtures.rich())) {
            Snapshot s = m.compile(null, View.CURRENT);
            ShipmentReader r = s.openShipments(csv, ShipmentFormat.CSV);
            s.close();   // the reader still holds the native snapshot
            assertThrows(IllegalStateException.class, () -> s.scoreOne(new int[] {0}, 1));
            ShipmentBatch b = r.next();
            assertEquals(List.of("A", "B"), b.ids());
            assertEquals(4, b.routeElements()[1]);
            r.close();   // now the snapshot is freed
            assertDoesNotThrow(r::close);
            assertThrows(IllegalStateException.class, r::next);
        }
    }

    @Test
    void unclosedObjectsAreFreedByTheCollector() throws Exception {
        // not a substitute for close(): a safety net. Objects dropped without
        // close are freed by their Cleaner; this must neither crash nor throw.
        for (int i = 0; i < 2000; i++) {
            Model m = Model.fromJson(Fixtures.minimalJson("M" + i));
            m.organizationName();
        }
        System.gc();
        Thread.sleep(100);
        try (Model m = Model.create("after")) {
            assertEquals("after", m.organizationName());
        }
    }
}
