package org.scsms;

/** The library's version, and its method and format versions. */
public final class Scsms {
    /** The method version the analyses implement (OUTPUT.md "method"). */
    public static final String METHOD = "scsms-method/1";
    /** The document format this library reads and writes. */
    public static final String FORMAT = "scsms/1";

    private Scsms() {
    }

    /** The native library's version, e.g. "0.1.0". */
    public static String version() {
        return LibScsms.scsms_version();
    }

    /** The native library's version as {@code (major << 16) | (minor << 8) | patch}. */
    public static long versionNumber() {
        return LibScsms.scsms_version_number();
    }
}
