package dev.pounce.cli;

import dev.pounce.api.ServerConfig;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * Configures slf4j-simple, the logging backend the distribution ships, through its system properties. This must
 * run before the first logger is created, because slf4j-simple reads them once. A property the user already set
 * ({@code POUNCE_JAVA_OPTS=-Dorg.slf4j.simpleLogger...}) is left alone.
 *
 * <p>The runtime logs startup and lifecycle lines on the {@code pounce} logger and one line per response on
 * {@code pounce.access}.
 */
final class LogSetup {

    static final String PREFIX = "org.slf4j.simpleLogger.";

    private LogSetup() {
    }

    /**
     * @param config the configuration, whose log level and access-log switch are used
     * @return the slf4j-simple properties, in the order they are set
     */
    static SequencedMap<String, String> properties(ServerConfig config) {
        String level = slf4jLevel(config.logLevel());
        SequencedMap<String, String> p = new LinkedHashMap<>();
        p.put(PREFIX + "defaultLogLevel", level);
        if (!config.accessLog()) {
            p.put(PREFIX + "log.pounce.access", "off");
        }
        // Netty's own debug output is about its internals (allocators, native loading), not about the app:
        // keep it at info when Pounce is asked for debug or trace.
        if (level.equals("debug") || level.equals("trace")) {
            p.put(PREFIX + "log.io.netty", "info");
        }
        p.put(PREFIX + "showDateTime", "true");
        p.put(PREFIX + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        p.put(PREFIX + "showShortLogName", "true");
        p.put(PREFIX + "logFile", "System.err");
        return p;
    }

    /**
     * Sets the properties for this JVM, leaving any the user set.
     *
     * @param config the configuration
     */
    static void apply(ServerConfig config) {
        properties(config).forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
    }

    /**
     * @param pounceLevel a {@link ServerConfig#LOG_LEVELS} value
     * @return the slf4j-simple name for it: {@code warning} is {@code warn}, {@code critical} is {@code error}
     */
    static String slf4jLevel(String pounceLevel) {
        return switch (pounceLevel) {
            case "warning" -> "warn";
            case "critical" -> "error";
            default -> pounceLevel;
        };
    }

    /** @return whether the log level asks for causes to be logged with their traces */
    static boolean debugEnabled(ServerConfig config) {
        return config.logLevel().equals("debug") || config.logLevel().equals("trace");
    }
}
