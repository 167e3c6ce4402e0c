package org.scsms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test data and helpers: the source tree, the command line, JSON comparison. */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        String r = System.getenv("SCSMS_SOURCE_ROOT");
        if (r == null) {
            throw new IllegalStateException("SCSMS_SOURCE_ROOT is not set (run the tests with meson test)");
        }
        return Path.of(r);
    }

    /** tests/data/valid/rich.json: every kind of entity, as_of 2024-06-30. */
    static Path rich() {
        return root().resolve("tests/data/valid/rich.json");
    }

    static Path minimal() {
        return root().resolve("tests/data/valid/minimal.json");
    }

    static Path data(String name) {
        return root().resolve("tests/java/data").resolve(name);
    }

    static Path forwarder() {
        return root().resolve("examples/java/data/forwarder.json");
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A minimal valid document with the given organisation name. */
    static String minimalJson(String name) {
        StringBuilder b = new StringBuilder("{\"format\":\"scsms/1\",\"organization\":{\"name\":");
        Json.quote(b, name);
        return b.append("}}").toString();
    }

    /** Runs the command line; returns {exit status, stdout}. */
    static Object[] cli(String... args) {
        String exe = System.getenv("SCSMS_CLI");
        if (exe == null) {
            throw new IllegalStateException("SCSMS_CLI is not set (run the tests with meson test)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the command line did not finish: " + cmd);
            }
            return new Object[] {p.exitValue(), out.toString(StandardCharsets.UTF_8)};
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The command line's --json object without "command". */
    static Map<String, Object> cliJson(String... args) {
        Object[] r = cli(args);
        String out = (String) r[1];
        assertTrue(out.startsWith("{"), "no JSON object from " + List.of(args) + ": " + out);
        Map<String, Object> m = new LinkedHashMap<>(Json.parseObject(out));
        assertTrue(m.containsKey("command"));
        m.remove("command");
        return m;
    }

    /**
     * Deep equality of parsed JSON: same keys (order ignored in objects),
     * same list order, numbers equal as doubles (5 and 5.0 are the same).
     */
    static void assertJsonEquals(Object expected, Object actual, String path) {
        if (expected instanceof Number && actual instanceof Number) {
            assertEquals(((Number) expected).doubleValue(), ((Number) actual).doubleValue(), 0.0, path);
            return;
        }
        if (expected instanceof Map && actual instanceof Map) {
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(e.keySet(), a.keySet(), path + ": keys");
            for (Object k : e.keySet()) {
                assertJsonEquals(e.get(k), a.get(k), path + "." + k);
            }
            return;
        }
        if (expected instanceof List && actual instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), path + ": length");
            for (int i = 0; i < e.size(); i++) {
                assertJsonEquals(e.get(i), a.get(i), path + "[" + i + "]");
            }
            return;
        }
        assertEquals(expected, actual, path);
    }

    /** The resident set size of this process, from /proc/self/status, in kB. */
    static long rssKb() {
        for (String line : read(Path.of("/proc/self/status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }
}
