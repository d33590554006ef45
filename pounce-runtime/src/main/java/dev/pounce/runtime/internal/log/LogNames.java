package dev.pounce.runtime.internal.log;

/**
 * The runtime's loggers, one per area. An operator turns one up with
 * {@code POUNCE_JAVA_OPTS=-Dorg.slf4j.simpleLogger.log.pounce.workers=debug} without drowning in the rest; the README
 * lists what each says. Protocol plugins log on their own ({@code pounce.h1}, {@code pounce.h2}).
 */
public final class LogNames {

    /** Startup and shutdown lines, the lifecycle, signals, listening sockets. */
    public static final String SERVER = "pounce.server";
    /** Each plugin found, skipped or broken. */
    public static final String PLUGINS = "pounce.plugins";
    /** Workers starting and stopping, the supervisor's restarts, rolling reloads, child processes. */
    public static final String WORKERS = "pounce.workers";
    /** Connection set-up: the connection limit, preambles, protocol choice, late arrivals during a drain. */
    public static final String CONNECTIONS = "pounce.connections";
    /** TLS set-up and failed handshakes. */
    public static final String TLS = "pounce.tls";
    /** The app: its failures (500s, responses cut short), lifespan, dispatch mode. */
    public static final String APP = "pounce.app";
    /** One line per response. */
    public static final String ACCESS = "pounce.access";

    private LogNames() {
    }
}
