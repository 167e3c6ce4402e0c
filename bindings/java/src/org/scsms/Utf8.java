package org.scsms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Strings across the JNI boundary as real UTF-8 (JNI's own string functions
 * use "modified UTF-8", which encodes characters outside the BMP and U+0000
 * differently from the library's UTF-8).
 */
final class Utf8 {
    private Utf8() {
    }

    /** A C string: UTF-8 bytes plus a terminating NUL. */
    static byte[] cstr(String s) {
        Objects.requireNonNull(s, "string argument");
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a string passed to libscsms contains U+0000");
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, b.length);
        return c;
    }

    /** As {@link #cstr}, null passing through as null (NULL in C). */
    static byte[] cstrOrNull(String s) {
        return s == null ? null : cstr(s);
    }

    /** C strings of a list (null stays null: NULL in C). */
    static byte[][] cstrArray(String[] list) {
        if (list == null) {
            return null;
        }
        byte[][] out = new byte[list.length][];
        for (int i = 0; i < list.length; i++) {
            out[i] = cstr(list[i]);
        }
        return out;
    }

    /** A Java string from UTF-8 bytes (null stays null). */
    static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Strings from one buffer of NUL-terminated UTF-8 strings. */
    static List<String> split(byte[] b) {
        List<String> out = new ArrayList<>();
        if (b == null) {
            return out;
        }
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    /** UTF-8 bytes of a string (no NUL), for documents passed by length. */
    static byte[] bytes(String s) {
        return Objects.requireNonNull(s, "text").getBytes(StandardCharsets.UTF_8);
    }
}
