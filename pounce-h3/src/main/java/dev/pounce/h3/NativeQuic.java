package dev.pounce.h3;

import io.netty.handler.codec.quic.Quic;

import java.util.Optional;

/**
 * Whether Netty's native QUIC library (quiche and BoringSSL in {@code netty-codec-native-quic}) loads here. Asking
 * loads it, once per JVM; nothing else in the plugin is reached before this is asked.
 */
final class NativeQuic {

    private NativeQuic() {
    }

    /**
     * @return empty when QUIC can run; else one line saying why not and what would fix it
     */
    static Optional<String> unavailable() {
        Throwable cause;
        try {
            if (Quic.isAvailable()) {
                return Optional.empty();
            }
            cause = Quic.unavailabilityCause();
        } catch (LinkageError e) {
            // The classes themselves are missing or cannot link: the jar is not on the path, or cannot be read.
            cause = e;
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        return Optional.of("HTTP/3 (--http3) needs netty's native QUIC library (netty-codec-native-quic for "
                + platform + "), which does not load here: " + oneLine(root));
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
