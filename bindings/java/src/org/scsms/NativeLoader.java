package org.scsms;

/**
 * Loads the JNI library {@code libscsms_java.so} once, before the first
 * native call.
 *
 * <p>By default {@code System.loadLibrary("scsms_java")}, which searches
 * {@code java.library.path} (HotSpot adds {@code LD_LIBRARY_PATH} to it).
 * The system property {@code org.scsms.library} may instead name the
 * library file by its absolute path. The JNI library needs
 * {@code libscsms.so.0}, found by the dynamic loader as usual.
 */
final class NativeLoader {
    /** The system property naming the JNI library file. */
    static final String PROPERTY = "org.scsms.library";

    private static boolean loaded;

    private NativeLoader() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        String path = System.getProperty(PROPERTY);
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            System.loadLibrary("scsms_java");
        }
        loaded = true;
    }
}
