package org.scsms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model: loading, reading, saving, editing, validation (FORMAT.md). */
class ModelTest {
    @TempDir
    Path tmp;

    @Test
    void loadsTheRichModelAndReadsIt() {
        try (Model m = Model.load(Fixtures.rich())) {
            assertEquals("Nordhafen Export GmbH", m.organizationName());
            assertEquals("EUR", m.currency());
            assertEquals(Optional.of(LocalDate.of(2024, 6, 30)), m.asOf());
            assertEquals("medium", m.appetite());
            assertEquals(List.of("N-HAM-FAC", "N-HAM-WH", "N-RTM-PORT", "N-RTM-CUST"), m.ids(Kind.NODE));
            assertEquals(List.of("L-FAC-WH", "L-WH-PORT", "L-PORT-CUST"), m.ids(Kind.LEG));
            assertEquals(List.of("S-THEFT-ROAD", "S-TAMPER-WH", "S-SMUGGLE", "S-CYBER"), m.ids(Kind.SCENARIO));
            assertEquals(List.of("C-GPS", "C-SEAL", "C-CCTV", "C-BACKUP"), m.ids(Kind.CONTROL));
            assertEquals(3, m.count(Kind.PARTNER));
            assertEquals(2, m.count(Kind.REVIEW));
            // reviews have no id
            assertEquals(Arrays.asList(null, null), m.ids(Kind.REVIEW));
            assertEquals(1, m.indexOf(Kind.LEG, "L-WH-PORT"));
            assertEquals(-1, m.indexOf(Kind.LEG, "N-HAM-FAC"));   // nodes and legs: own arrays
            assertTrue(m.contains(Kind.NODE, "N-HAM-FAC"));
            assertFalse(m.contains(Kind.NODE, "nope"));
        }
    }

    @Test
    void entitiesAndSectionsAsJson() {
        try (Model m = Model.load(Fixtures.rich())) {
            Map<String, Object> wh = Json.parseObject(m.get(Kind.NODE, "N-HAM-WH"));
            assertEquals("N-HAM-WH", wh.get("id"));
            assertEquals("warehouse", wh.get("type"));
            assertEquals(m.get(Kind.NODE, "N-HAM-WH"), m.get(Kind.NODE, 1));
            Map<String, Object> review = Json.parseObject(m.get(Kind.REVIEW, 1));
            assertEquals("2024-06-14", review.get("date"));
            assertThrows(NotFoundException.class, () -> m.get(Kind.NODE, "nope"));
            assertThrows(NotFoundException.class, () -> m.get(Kind.NODE, 4));
            assertThrows(NotFoundException.class, () -> m.get(Kind.NODE, -1));
            Map<String, Object> settings = Json.parseObject(m.section(Section.SETTINGS).orElseThrow());
            assertEquals("2024-06-30", settings.get("as_of"));
            assertEquals(0.85, ((Number) settings.get("training_threshold")).doubleValue());
            assertTrue(m.section(Section.CERTIFICATE).isPresent());
        }
        try (Model m = Model.load(Fixtures.minimal())) {
            assertEquals(Optional.empty(), m.section(Section.CERTIFICATE));
        }
    }

    @Test
    void createCopyAndRoundTrip() throws Exception {
        try (Model m = Model.create("ACME Logistics")) {
            Fixtures.assertJsonEquals(Json.parse("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"ACME Logistics\"}}"),
                    Json.parse(m.toJson()), "$");
            assertEquals("USD", m.currency());
            assertEquals(Optional.empty(), m.asOf());
        }
        assertThrows(InvalidArgumentException.class, () -> Model.create(""));
        try (Model m = Model.load(Fixtures.rich())) {
            String text = m.toJson();
            assertTrue(text.endsWith("}\n"));
            // load, save, load gives the same document; save is idempotent
            try (Model again = Model.fromJson(text)) {
                assertEquals(text, again.toJson());
            }
            try (Model again = Model.fromJson(text.getBytes(StandardCharsets.UTF_8))) {
                assertEquals(text, again.toJson());
            }
            Path out = tmp.resolve("saved.json");
            m.save(out);
            assertEquals(text, Files.readString(out, StandardCharsets.UTF_8));
            try (Model again = Model.load(out.toString())) {
                assertEquals(text, again.toJson());
            }
            // a copy is independent
            try (Model c = m.copy()) {
                c.remove(Kind.REVIEW, "0");
                assertEquals(1, c.count(Kind.REVIEW));
                assertEquals(2, m.count(Kind.REVIEW));
            }
            assertEquals(text, m.toJson());
        }
    }

    @Test
    void saveFailureLeavesTheOldFile() throws Exception {
        try (Model m = Model.load(Fixtures.rich())) {
            Path dir = tmp.resolve("no-such-dir").resolve("x.json");
            assertThrows(ScsmsException.class, () -> m.save(dir));
            assertFalse(Files.exists(dir));
        }
    }

    @Test
    void putAppendsOrReplaces() {
        try (Model m = Model.load(Fixtures.rich())) {
            m.put(Kind.NODE, "{\"id\":\"N-NEW\",\"type\":\"office\",\"annual_shipments\":10}");
            assertEquals(5, m.count(Kind.NODE));
            assertEquals(4, m.indexOf(Kind.NODE, "N-NEW"));
            // replace in place: same position, new content
            m.put(Kind.NODE, "{\"id\":\"N-HAM-FAC\",\"type\":\"factory\",\"name\":\"Harburg plant\",\"annual_shipments\":2400}");
            assertEquals(0, m.indexOf(Kind.NODE, "N-HAM-FAC"));
            assertEquals("Harburg plant", Json.parseObject(m.get(Kind.NODE, "N-HAM-FAC")).get("name"));
            assertEquals(5, m.count(Kind.NODE));
            // reviews are always appended
            m.put(Kind.REVIEW, "{\"date\":\"2024-06-20\"}");
            assertEquals(3, m.count(Kind.REVIEW));
        }
    }

    @Test
    void invalidEditsLeaveTheModelUnchanged() {
        try (Model m = Model.load(Fixtures.rich())) {
            String before = m.toJson();
            // a node whose type is not a node type: the error is at the node's path in the edited document
            ValidationException e = assertThrows(ValidationException.class,
                    () -> m.put(Kind.NODE, "{\"id\":\"N-BAD\",\"type\":\"castle\"}"));
            assertEquals(Status.INVALID_MODEL, e.status());
            assertEquals(-5, e.code());
            assertTrue(e.errors().stream().anyMatch(x -> x.path().equals("$.nodes[4].type")), e.errors().toString());
            assertEquals(before, m.toJson());
            // not JSON
            assertThrows(SyntaxException.class, () -> m.put(Kind.NODE, "{\"id\":"));
            assertEquals(before, m.toJson());
            // removing a node that legs use: the errors name the referring paths
            ValidationException r = assertThrows(ValidationException.class, () -> m.remove(Kind.NODE, "N-HAM-WH"));
            assertTrue(r.errors().stream().anyMatch(x -> x.path().startsWith("$.legs[")), r.errors().toString());
            assertEquals(before, m.toJson());
            assertThrows(NotFoundException.class, () -> m.remove(Kind.NODE, "nope"));
            // the organization cannot be removed
            assertThrows(ScsmsException.class, () -> m.setSection(Section.ORGANIZATION, null));
            assertEquals(before, m.toJson());
        }
    }

    @Test
    void removeSetSectionAndApply() {
        try (Model m = Model.load(Fixtures.rich())) {
            m.remove(Kind.REVIEW, "1");
            assertEquals(1, m.count(Kind.REVIEW));
            m.setSection(Section.SETTINGS, "{\"as_of\":\"2025-01-31\",\"appetite\":\"high\"}");
            assertEquals(Optional.of(LocalDate.of(2025, 1, 31)), m.asOf());
            assertEquals("high", m.appetite());
            m.setSection(Section.SETTINGS, null);
            assertEquals(Optional.empty(), m.asOf());
            assertEquals(Optional.empty(), m.section(Section.SETTINGS));
            m.apply("[{\"op\":\"put\",\"kind\":\"nodes\",\"value\":{\"id\":\"N-X\",\"type\":\"office\"}},"
                    + "{\"op\":\"set\",\"section\":\"settings\",\"value\":{\"as_of\":\"2024-12-31\"}},"
                    + "{\"op\":\"remove\",\"kind\":\"reviews\",\"id\":\"0\"}]");
            assertTrue(m.contains(Kind.NODE, "N-X"));
            assertEquals(Optional.of(LocalDate.of(2024, 12, 31)), m.asOf());
            assertEquals(0, m.count(Kind.REVIEW));
            String before = m.toJson();
            // all-or-nothing: the second edit is not an edit (an error in the list
            // itself, at its $[i] path), the first is not applied either
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> m.apply("[{\"op\":\"put\",\"kind\":\"nodes\",\"value\":{\"id\":\"N-Y\",\"type\":\"office\"}},"
                            + "{\"op\":\"frobnicate\"}]"));
            assertTrue(e.getMessage().contains("$[1].op"), e.getMessage());
            assertEquals(before, m.toJson());
            // the edits are well-formed but the result is invalid: a validation error
            ValidationException v = assertThrows(ValidationException.class,
                    () -> m.apply("[{\"op\":\"put\",\"kind\":\"nodes\",\"value\":{\"id\":\"N-Y\",\"type\":\"office\"}},"
                            + "{\"op\":\"put\",\"kind\":\"legs\",\"value\":{\"id\":\"L-Y\",\"from\":\"N-Y\","
                            + "\"to\":\"N-GONE\",\"mode\":\"road\"}}]"));
            assertTrue(v.errors().stream().anyMatch(x -> x.path().endsWith(".to")), v.errors().toString());
            assertEquals(before, m.toJson());
            assertFalse(m.contains(Kind.NODE, "N-Y"));
        }
    }

    @Test
    void textIsRealUtf8BothWays() {
        // characters outside the BMP are where JNI's modified UTF-8 differs from UTF-8
        String name = "Zürich Spedition \uD83D\uDE9A 東京";
        try (Model m = Model.create(name)) {
            assertEquals(name, m.organizationName());
            assertTrue(m.toJson().contains(name));
            m.put(Kind.NODE, "{\"id\":\"N1\",\"type\":\"port\",\"name\":\"Hafen \uD83D\uDEA2\"}");
            assertEquals("Hafen \uD83D\uDEA2", Json.parseObject(m.get(Kind.NODE, "N1")).get("name"));
            byte[] utf8 = m.toJson().getBytes(StandardCharsets.UTF_8);
            try (Model again = Model.fromJson(utf8)) {
                assertEquals(name, again.organizationName());
            }
        }
        try (Model m = Model.fromJson(Fixtures.minimalJson(name))) {
            assertEquals(name, m.organizationName());
        }
    }

    @Test
    void badStringsAreRefusedBeforeTheNativeCall() {
        assertThrows(IllegalArgumentException.class, () -> Model.create("a\0b"));
        assertThrows(NullPointerException.class, () -> Model.create(null));
        assertThrows(NullPointerException.class, () -> Model.load((Path) null));
        assertThrows(NullPointerException.class, () -> Model.load((String) null));
        assertThrows(NullPointerException.class, () -> Model.fromJson((String) null));
        assertThrows(NullPointerException.class, () -> Model.fromJson((byte[]) null));
        try (Model m = Model.load(Fixtures.rich())) {
            assertThrows(IllegalArgumentException.class, () -> m.put(Kind.NODE, "{\"id\":\"N\0\"}"));
            assertThrows(NullPointerException.class, () -> m.put(null, "{}"));
            assertThrows(NullPointerException.class, () -> m.put(Kind.NODE, null));
            assertThrows(NullPointerException.class, () -> m.get(Kind.NODE, (String) null));
            assertThrows(NullPointerException.class, () -> m.count(null));
            assertThrows(IllegalArgumentException.class, () -> m.assess(LocalDate.of(10000, 1, 1)));
        }
        // invalid UTF-8 and a byte order mark are syntax errors
        assertThrows(SyntaxException.class, () -> Model.fromJson(new byte[] {'{', '"', (byte) 0xff, '"', '}'}));
        byte[] bom = ("\uFEFF" + Fixtures.minimalJson("X")).getBytes(StandardCharsets.UTF_8);
        assertThrows(SyntaxException.class, () -> Model.fromJson(bom));
    }

    @Test
    void javaEnumsMatchTheLibrary() {
        for (Kind k : Kind.values()) {
            assertEquals(k.key(), LibScsms.scsms_kind_key(k.code()));
            assertEquals(k, Kind.ofKey(k.key()));
        }
        assertEquals(null, LibScsms.scsms_kind_key(Kind.values().length + 1));
        for (Section s : Section.values()) {
            assertEquals(s.key(), LibScsms.scsms_section_key(s.code()));
        }
        for (View v : View.values()) {
            assertEquals(v.key(), LibScsms.scsms_view_name(v.code()));
        }
        for (Failure f : Failure.values()) {
            if (f != Failure.NONE) {
                assertEquals(f.key(), LibScsms.scsms_failure_name(f.code()));
            }
        }
        for (Status s : Status.values()) {
            assertEquals(LibScsms.scsms_status_str(s.code()), s.description());
            assertEquals(s, Status.of(s.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> Kind.ofKey("widgets"));
        assertTrue(Scsms.version().matches("\\d+\\.\\d+\\.\\d+"), Scsms.version());
        String[] v = Scsms.version().split("\\.");
        assertEquals((Long.parseLong(v[0]) << 16) | (Long.parseLong(v[1]) << 8) | Long.parseLong(v[2]),
                Scsms.versionNumber());
    }

    @Test
    void validateGivesTheCommandLineObject() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"format\":\"scsms/1\",\"organization\":{},\"nodes\":[{\"id\":\"N\",\"type\":\"moon\"}]}");
        Path syntax = tmp.resolve("syntax.json");
        Files.writeString(syntax, "{\"format\":\"scsms/1\",\n\"organization\":");
        Path missing = tmp.resolve("missing.json");
        for (Path p : List.of(Fixtures.rich(), bad, syntax, missing, tmp)) {
            ValidationReport r = Model.validate(p);
            Fixtures.assertJsonEquals(Fixtures.cliJson("validate", p.toString(), "--json"), Json.parse(r.toJson()), p.toString());
        }
        ValidationReport ok = Model.validate(Fixtures.rich());
        assertTrue(ok.isValid());
        assertEquals(List.of(), ok.errors());
        ValidationReport b = Model.validate(bad);
        assertFalse(b.isValid());
        assertEquals(2, b.errors().size(), b.errors().toString());
        ValidationReport s = Model.validate(syntax);
        assertEquals(2, s.errors().get(0).line());
        assertNotEquals(0, s.errors().get(0).column());
        ValidationReport t = Model.validateJson(Fixtures.read(bad));
        assertEquals(b.errors(), t.errors());
        assertFalse(t.toJson().contains("\"file\""));
        assertTrue(Model.validateJson(Fixtures.read(Fixtures.rich())).isValid());
    }

    @Test
    void arraysOfTheSameBytesLoadTheSame() {
        byte[] a = Fixtures.read(Fixtures.rich()).getBytes(StandardCharsets.UTF_8);
        try (Model m1 = Model.fromJson(a); Model m2 = Model.load(Fixtures.rich())) {
            assertArrayEquals(m1.toJson().getBytes(StandardCharsets.UTF_8), m2.toJson().getBytes(StandardCharsets.UTF_8));
        }
    }
}
