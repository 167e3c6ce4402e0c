package org.scsms;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** LocalDate to and from the library's "YYYY-MM-DD" strings. */
final class Dates {
    private Dates() {
    }

    /** "YYYY-MM-DD" for a date of years 1 to 9999 (FORMAT.md dates); null stays null. */
    static String format(LocalDate d) {
        if (d == null) {
            return null;
        }
        int y = d.getYear();
        if (y < 1 || y > 9999) {
            throw new IllegalArgumentException("date outside years 1 to 9999: " + d);
        }
        return String.format("%04d-%02d-%02d", y, d.getMonthValue(), d.getDayOfMonth());
    }

    /** The date of a "YYYY-MM-DD" string; null stays null. */
    static LocalDate parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("the library returned a malformed date: " + s, e);
        }
    }
}
