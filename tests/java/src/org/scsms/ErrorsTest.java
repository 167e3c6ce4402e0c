package org.scsms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ScsmsException and its subclasses: status, message, errors. */
class ErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void validationErrorsCarryPathExpectedFound() throws Exception {
        Path p = tmp.resolve("m.json");
        Files.writeString(p, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"X\"},"
                + "\"scenarios\":[{\"id\":\"S1\",\"name\":\"s\",\"category\":\"cargo_theft\","
                + "\"targets\":[{\"organization\":true}],\"likelihood\":9,\"consequence\":{\"economic\":2}}]}");
        ValidationException e = assertThrows(ValidationException.class, () -> Model.load(p));
        assertEquals(Status.INVALID_MODEL, e.status());
        assertEquals(1, e.errors().size(), e.errors().toString());
        ValidationError v = e.errors().get(0);
        assertEquals("$.scenarios[0].likelihood", v.path());
        assertNotNull(v.expected());
        assertTrue(v.found().contains("9"), v.found());
        assertEquals(0, v.line());
        assertTrue(e.getMessage().contains("$.scenarios[0].likelihood"), e.getMessage());
        assertInstanceOf(RuntimeException.class, e);
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        // line 2, column 3 (code points): the 'x' after "  "
        SyntaxException e = assertThrows(SyntaxException.class,
                () -> Model.fromJson("{\"format\":\"scsms/1\",\n  x}"));
        assertEquals(Status.PARSE, e.status());
        assertEquals(1, e.errors().size());
        assertEquals("$", e.errors().get(0).path());
        assertEquals(2, e.errors().get(0).line());
        assertEquals(3, e.errors().get(0).column());
        // columns count code points: 'ü' is one column, an astral character one too
        SyntaxException u = assertThrows(SyntaxException.class,
                () -> Model.fromJson("{\"ü\uD83D\uDE9A\": x}"));
        assertEquals(1, u.errors().get(0).line());
        assertEquals(8, u.errors().get(0).column());
    }

    @Test
    void wrongFormatIsAValidationError() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> Model.fromJson("{\"format\":\"scsms/2\",\"organization\":{\"name\":\"X\"}}"));
        assertEquals("$.format", e.errors().get(0).path());
        assertTrue(e.errors().get(0).found().contains("scsms/2"));
    }

    @Test
    void fileErrors() throws Exception {
        NotFoundException nf = assertThrows(NotFoundException.class, () -> Model.load(tmp.resolve("absent.json")));
        assertEquals(Status.NOT_FOUND, nf.status());
        assertEquals(List.of(), nf.errors());
        assertTrue(nf.getMessage().contains("absent.json"), nf.getMessage());
        FileException fe = assertThrows(FileException.class, () -> Model.load(tmp));
        assertEquals(Status.IO, fe.status());
        try (Model m = Model.load(Fixtures.minimal())) {
            assertThrows(FileException.class, () -> m.save(tmp));
        }
    }

    @Test
    void invalidArguments() {
        try (Model m = Model.load(Fixtures.minimal())) {
            // no date given and none in the model
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> m.assess());
            assertEquals(Status.INVALID_ARGUMENT, e.status());
            assertEquals(-3, e.code());
            assertThrows(InvalidArgumentException.class, () -> m.training(null));
            assertThrows(InvalidArgumentException.class, () -> m.audit(null));
            assertThrows(InvalidArgumentException.class, () -> m.compile(null, View.CURRENT));
            assertThrows(InvalidArgumentException.class, () -> m.plan((LocalDate) null));
            assertThrows(InvalidArgumentException.class, () -> m.simulate(SimulationOptions.defaults()));
            // with a date, the minimal model assesses
            assertEquals(0, m.assess(LocalDate.of(2025, 1, 1)).scenarios().size());
        }
        try (Model m = Model.load(Fixtures.rich())) {
            // an unknown candidate, an implemented control as candidate
            InvalidArgumentException u = assertThrows(InvalidArgumentException.class,
                    () -> m.plan(PlanOptions.defaults().withCandidates(List.of("C-NOPE"))));
            assertTrue(u.getMessage().contains("C-NOPE"), u.getMessage());
            assertThrows(InvalidArgumentException.class,
                    () -> m.plan(PlanOptions.defaults().withCandidates(List.of("C-GPS"))));
        }
        assertThrows(IllegalArgumentException.class, () -> PlanOptions.defaults().withBudget(-1));
        assertThrows(IllegalArgumentException.class, () -> PlanOptions.defaults().withBudget(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SimulationOptions.defaults().withTrials(0));
        assertThrows(IllegalArgumentException.class, () -> SimulationOptions.defaults().withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> SimulationOptions.defaults().withQuantiles(1.5));
    }

    @Test
    void statusOfUnknownCodesIsError() {
        assertEquals(Status.ERROR, Status.of(-999));
        ScsmsException e = ScsmsException.fromNative(-999, "odd".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(ScsmsException.class, e.getClass());
        assertEquals(-999, e.code());
        assertEquals("odd", e.getMessage());
        assertInstanceOf(LimitException.class, ScsmsException.fromNative(-8, null, null));
        assertInstanceOf(CanceledException.class, ScsmsException.fromNative(-10, null, null));
        assertEquals(Status.LIMIT.description(), ScsmsException.fromNative(-8, null, null).getMessage());
    }

    @Test
    void errorsListIsImmutable() {
        SyntaxException e = assertThrows(SyntaxException.class, () -> Model.fromJson("["));
        assertThrows(UnsupportedOperationException.class, () -> e.errors().clear());
    }
}
