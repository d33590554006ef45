package dev.pounce.cli;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ServerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flags that {@code pounce}, {@code pounce check} and {@code pounce info} share, each mapped to one
 * {@link ServerConfig.Builder} method (the table is {@link ConfigFlag}), and the plugins' flags, which
 * {@link PluginFlags} adds once the plugins are found. Defaults come from {@link ServerConfig#defaults()} through
 * {@link ConfigDefaults}, and from each plugin {@link dev.pounce.api.Setting}, so a flag that is not given leaves the
 * config's default in place.
 */
final class ServeOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = {
            "The app: a class implementing dev.pounce.api.App with a public no-argument constructor "
                    + "(com.example.HelloApp), or a public static field or no-argument method that gives one "
                    + "(com.example.Apps::hello). Leave it out to serve the one module that provides "
                    + "dev.pounce.api.App."})
    String app;

    @Option(names = "--host", paramLabel = "HOST", order = 1,
            description = "Address to bind; :: or 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", order = 2,
            description = "TCP port, 0 to 65535; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--uds", paramLabel = "PATH", order = 3,
            description = "Bind this Unix domain socket instead of host and port.")
    Path uds;

    @Option(names = "--workers", paramLabel = "N", order = 4,
            description = "Workers; 0 means one per processor; 1 runs without a supervisor (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--worker-strategy", paramLabel = "NAME", order = 5,
            description = "How workers are hosted: auto (thread on the JVM), thread, process (child JVMs), or "
                    + "the name of a worker strategy plugin (default: ${DEFAULT-VALUE}).")
    String workerStrategy;

    @Option(names = "--reload", order = 7,
            description = "Development: watch the app's jar or classes (and each --reload-dir) and reload on change.")
    boolean reload;

    @Option(names = "--reload-dir", paramLabel = "DIR", order = 8,
            description = "With --reload: another folder to watch; repeatable.")
    List<Path> reloadDirs = new ArrayList<>();

    @Option(names = "--backlog", paramLabel = "N", order = 6,
            description = "Listen backlog (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--root-path", paramLabel = "PATH", order = 7,
            description = "Path the app is mounted under behind a proxy, such as /api (default: none).")
    String rootPath;

    @Option(names = "--transport", paramLabel = "NAME", order = 8,
            description = "Socket transport: auto (epoll, else io_uring, else nio), epoll, io_uring or nio "
                    + "(default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--dispatch", paramLabel = "MODE", order = 8,
            description = "Where apps run: loop (virtual threads carried with each worker's event loop: no thread "
                    + "hop per request; an app that holds its thread gets the loop moved to another within about "
                    + "20 ms) or virtual (virtual threads on the JDK's scheduler: a hop per request) "
                    + "(default: loop).")
    String dispatch;

    @Option(names = "--no-reuse-port", order = 9,
            description = "Do not give each worker its own SO_REUSEPORT listener; one acceptor hands out "
                    + "connections instead.")
    boolean noReusePort;

    @Option(names = "--log-level", paramLabel = "LEVEL", order = 10,
            description = "trace, debug, info, warning, error or critical (default: ${DEFAULT-VALUE}).")
    String logLevel;

    // Negatable: --access-log and --no-access-log. No default here, because picocli would flip its meaning.
    @Option(names = "--access-log", negatable = true, order = 11,
            description = "Log each response on the pounce.access logger (default: on).")
    Boolean accessLog;

    @Option(names = "--access-log-format", paramLabel = "FORMAT", order = 11,
            description = "text (one line per response through the pounce.access logger, on stderr) or json (one "
                    + "JSON object per line on stdout, for jq and log shippers) (default: ${DEFAULT-VALUE}).")
    String accessLogFormat;

    @Option(names = "--health-path", paramLabel = "PATH", order = 11,
            description = "Answer GET and HEAD on this path (such as /healthz) before the app, on every protocol: "
                    + "200 with JSON (status, uptime, worker, open connections), 503 {\"status\":\"draining\"} "
                    + "once a shutdown begins; not in the access log (default: none).")
    String healthPath;

    @Option(names = "--metrics-path", paramLabel = "PATH", order = 11,
            description = "Answer GET and HEAD on this path (such as /metrics) before the app, on every protocol, "
                    + "with the whole server's Prometheus metrics (text format 0.0.4); not in the access log "
                    + "(default: none).")
    String metricsPath;

    @Option(names = "--static", paramLabel = "/PREFIX=DIR", order = 11,
            description = "Serve the files of DIR under /PREFIX before the app, on every protocol (repeatable; the "
                    + "longest prefix wins): GET and HEAD, ETag, ranges, precompressed .zst/.br/.gz siblings; "
                    + "hidden files, folders without index.html and paths out of DIR get 404 (default: none).")
    List<String> staticFiles;

    @Option(names = "--static-cache-control", paramLabel = "/PREFIX=VALUE", order = 11,
            description = "The Cache-Control field of the files under a --static prefix, such as "
                    + "/assets=max-age=31536000,immutable (repeatable; default: none).")
    List<String> staticCacheControl;

    @Option(names = "--no-compression", order = 11,
            description = "Do not compress responses (default: zstd, br or gzip, as the client accepts).")
    boolean noCompression;

    @Option(names = "--compression-min-size", paramLabel = "BYTES", order = 11,
            description = "Send smaller bodies as they are: by Content-Length or a body sent in one message; a "
                    + "streamed body of unknown size is compressed (0 to 1073741824; default: ${DEFAULT-VALUE}).")
    int compressionMinSize;

    @Option(names = "--compression-encodings", paramLabel = "LIST", split = ",", order = 11,
            description = "The codings offered, best first; the server's order wins over the client's q-values "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> compressionEncodings;

    @Option(names = "--compression-types", paramLabel = "LIST", split = ",", order = 11,
            description = "The media types compressed: type/subtype, type/* or type/*+suffix (default: "
                    + "${DEFAULT-VALUE}).")
    List<String> compressionTypes;

    @Option(names = "--compression-gzip-level", paramLabel = "N", order = 11,
            description = "gzip level, 1 to 9 (default: ${DEFAULT-VALUE}).")
    int compressionGzipLevel;

    @Option(names = "--compression-zstd-level", paramLabel = "N", order = 11,
            description = "zstd level, 1 to 22 (default: ${DEFAULT-VALUE}).")
    int compressionZstdLevel;

    @Option(names = "--compression-brotli-level", paramLabel = "N", order = 11,
            description = "brotli level, 0 to 11 (default: ${DEFAULT-VALUE}).")
    int compressionBrotliLevel;

    // --trusted-hosts is the Python Pounce's name for the same list (exact addresses there; blocks here too).
    @Option(names = {"--forwarded-allow-ips", "--trusted-hosts"}, paramLabel = "LIST", split = ",", order = 11,
            description = "Proxies whose Forwarded, X-Forwarded-For, -Proto, -Host and X-Request-ID fields are "
                    + "believed: IP addresses, CIDR blocks (10.0.0.0/8, 2001:db8::/32) or *; comma-separated or "
                    + "repeated; \"\" for none. A Unix socket peer is always trusted (default: ${DEFAULT-VALUE}).")
    List<String> forwardedAllowIps;

    @Option(names = "--server-timing", order = 12,
            description = "Add Server-Timing: app;dur=MS to responses: the app's time from dispatch to its "
                    + "response start.")
    boolean serverTiming;

    @Option(names = "--server-header", paramLabel = "TEXT", order = 12,
            description = "Value of the Server response header, empty for none (default: ${DEFAULT-VALUE}).")
    String serverHeader;

    @Option(names = "--no-date-header", order = 13, description = "Do not send a Date response header.")
    boolean noDateHeader;

    @Option(names = "--timeout-keep-alive", paramLabel = "SECONDS", order = 20, converter = SecondsConverter.class,
            description = "Close a keep-alive connection idle this long (default: ${DEFAULT-VALUE}).")
    Duration keepAliveTimeout;

    @Option(names = "--timeout-header", paramLabel = "SECONDS", order = 21, converter = SecondsConverter.class,
            description = "Time allowed for a whole request head; then 408 (default: ${DEFAULT-VALUE}).")
    Duration headerTimeout;

    @Option(names = "--timeout-request-body", paramLabel = "SECONDS", order = 22, converter = SecondsConverter.class,
            description = "Time allowed for each wait on request-body progress; then 408 (default: ${DEFAULT-VALUE}).")
    Duration requestBodyTimeout;

    @Option(names = "--timeout-write", paramLabel = "SECONDS", order = 23, converter = SecondsConverter.class,
            description = "Time a response write may stay blocked on a client that does not read; then the "
                    + "connection is closed (default: ${DEFAULT-VALUE}).")
    Duration writeTimeout;

    @Option(names = "--timeout-graceful-shutdown", paramLabel = "SECONDS", order = 24,
            converter = SecondsConverter.class,
            description = "Time in-flight requests may run after a shutdown signal (default: ${DEFAULT-VALUE}).")
    Duration gracefulShutdownTimeout;

    @Option(names = "--timeout-startup", paramLabel = "SECONDS", order = 25, converter = SecondsConverter.class,
            description = "Time lifespan startup may take (default: ${DEFAULT-VALUE}).")
    Duration startupTimeout;

    @Option(names = "--limit-request-line", paramLabel = "BYTES", order = 30,
            description = "Longest HTTP/1.1 request line; over it: 414 (default: ${DEFAULT-VALUE}).")
    int maxRequestLineSize;

    @Option(names = "--limit-request-header-size", paramLabel = "BYTES", order = 31,
            description = "Largest request header block; over it: 431 (default: ${DEFAULT-VALUE}).")
    int maxHeaderSize;

    @Option(names = "--limit-request-headers", paramLabel = "COUNT", order = 32,
            description = "Most header fields in one request; over it: 431 (default: ${DEFAULT-VALUE}).")
    int maxHeaders;

    @Option(names = "--limit-request-body", paramLabel = "BYTES", order = 33,
            description = "Largest request body, 0 for no limit; over it: 413 (default: ${DEFAULT-VALUE}).")
    long maxRequestBodySize;

    @Option(names = "--limit-connections", paramLabel = "N", order = 34,
            description = "Open connections per worker, 0 for no limit; over it: 503 (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--limit-requests-per-connection", paramLabel = "N", order = 35,
            description = "Requests on one keep-alive connection before it is closed, 0 for no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxRequestsPerConnection;

    @Option(names = "--limit-max-requests", paramLabel = "N", order = 36,
            description = "Requests a worker serves before it drains and stops, 0 for no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    long limitMaxRequests;

    @Option(names = "--limit-concurrency", paramLabel = "N", order = 37,
            description = "HTTP requests one worker runs at once, 0 for no cap; past it (and --limit-queue) a request "
                    + "gets 503 with Retry-After before the app sees it (default: ${DEFAULT-VALUE}).")
    int limitConcurrency;

    @Option(names = "--limit-queue", paramLabel = "N", order = 37,
            description = "Requests that may wait for a free slot under --limit-concurrency, oldest first; 0 refuses "
                    + "at once (default: ${DEFAULT-VALUE}).")
    int limitQueue;

    @Option(names = "--timeout-queue", paramLabel = "SECONDS", order = 37, converter = SecondsConverter.class,
            description = "The longest a request waits in --limit-queue; then 503 (default: ${DEFAULT-VALUE}).")
    Duration queueTimeout;

    @Option(names = "--rate-limit", order = 38,
            description = "Give each client address a token bucket (per worker); a request that finds it empty gets "
                    + "429 with Retry-After before the app sees it. Health probes are never limited.")
    boolean rateLimit;

    @Option(names = "--rate-limit-requests-per-second", paramLabel = "RATE", order = 38,
            description = "With --rate-limit: the tokens a bucket gains each second (default: ${DEFAULT-VALUE}).")
    double rateLimitRequestsPerSecond;

    @Option(names = "--rate-limit-burst", paramLabel = "N", order = 38,
            description = "With --rate-limit: a bucket's size, the requests a new or rested client may send at once "
                    + "(default: ${DEFAULT-VALUE}).")
    int rateLimitBurst;

    @Option(names = "--rate-limit-max-tracked-ips", paramLabel = "N", order = 38,
            description = "With --rate-limit: client addresses one worker keeps a bucket for; past it the one seen "
                    + "least recently is forgotten (default: ${DEFAULT-VALUE}).")
    int rateLimitMaxTrackedIps;

    @Option(names = "--rate-limit-ipv6-prefix", paramLabel = "BITS", order = 38,
            description = "With --rate-limit: IPv6 clients in one network of this prefix share a bucket, 16 to 128 "
                    + "(default: ${DEFAULT-VALUE}).")
    int rateLimitIpv6Prefix;

    @Option(names = "--ssl-certfile", paramLabel = "PATH", order = 40,
            description = "PEM certificate chain, leaf first; with --ssl-keyfile it turns TLS on.")
    Path sslCertFile;

    @Option(names = "--ssl-keyfile", paramLabel = "PATH", order = 41,
            description = "PEM private key for --ssl-certfile: PKCS#8 (plain or encrypted), PKCS#1 or SEC1.")
    Path sslKeyFile;

    @Option(names = "--ssl-keyfile-password", paramLabel = "TEXT", order = 42,
            description = "Password of an encrypted --ssl-keyfile (other local users can see command lines).")
    String sslKeyPassword;

    @Option(names = "--ssl-ca-certs", paramLabel = "PATH", order = 43,
            description = "PEM CA certificates that client certificates must chain to.")
    Path sslCaCerts;

    @Option(names = "--ssl-client-auth", paramLabel = "MODE", order = 44,
            description = "Client certificates: none, optional or require (default: ${DEFAULT-VALUE}).")
    String sslClientAuth;

    // Read from the raw arguments by PluginPath before parsing, since the plugins there bring flags; declared here
    // for the help and so that a missing value is a parse error.
    @Option(names = PluginPath.FLAG, paramLabel = "DIR", order = 50,
            description = "A folder of plugin jars to load besides plugins/ (repeatable). A jar that cannot be "
                    + "loaded is reported by name and skipped; the flags of the plugins in it can be given too.")
    List<Path> pluginPath = new ArrayList<>();

    // Read from the raw arguments by ConfigFile before parsing, since the file may name plugin folders; declared here
    // for the help and so that a missing value is a parse error. Not a key of the file itself.
    @Option(names = ConfigFile.FLAG, paramLabel = "FILE", order = 51,
            description = "A TOML file of settings, keyed as the flags are (workers = 2; [http3] then "
                    + "max-concurrent-streams = 64); flags and POUNCE_* variables win over it. Without it (or "
                    + "POUNCE_CONFIG), pounce.toml in the working directory is read, else pyproject.toml's "
                    + "[tool.pounce] table.")
    Path config;

    // The command that holds these options, whose plugin options PluginFlags added and reads back.
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private PluginFlags plugins = PluginFlags.NONE;

    /**
     * Gives the command one option per plugin setting, under a heading per plugin section.
     *
     * @param flags the plugins' flags
     * @throws PluginFlags.FlagClash if a plugin's flag is one of Pounce's own
     */
    void addPluginFlags(PluginFlags flags) {
        flags.addTo(command);
        plugins = flags;
    }

    /** @return the APP argument, if given */
    Optional<String> appSpec() {
        return Optional.ofNullable(app);
    }

    /**
     * Builds and validates the configuration, the plugins' sections included, so that a plugin value out of range
     * is found here and reported under its flag, as Pounce's own are.
     *
     * @return the frozen configuration, every plugin section built
     * @throws ConfigException naming the first field or plugin key at fault ({@link ConfigFlag#describe} names its
     *                         flag)
     */
    ServerConfig toConfig() {
        var b = ServerConfig.builder()
                .host(host)
                .port(port)
                .workers(workers)
                .workerStrategy(workerStrategy)
                .backlog(backlog)
                .rootPath(rootPath)
                .transport(transport)
                .dispatch(dispatch)
                .logLevel(logLevel)
                .accessLogFormat(accessLogFormat)
                .healthPath(healthPath)
                .metricsPath(metricsPath)
                .serverTiming(serverTiming)
                .serverHeader(serverHeader)
                .keepAliveTimeout(keepAliveTimeout)
                .headerTimeout(headerTimeout)
                .requestBodyTimeout(requestBodyTimeout)
                .writeTimeout(writeTimeout)
                .gracefulShutdownTimeout(gracefulShutdownTimeout)
                .startupTimeout(startupTimeout)
                .maxRequestLineSize(maxRequestLineSize)
                .maxHeaderSize(maxHeaderSize)
                .maxHeaders(maxHeaders)
                .maxRequestBodySize(maxRequestBodySize)
                .maxConnections(maxConnections)
                .maxRequestsPerConnection(maxRequestsPerConnection)
                .limitMaxRequests(limitMaxRequests)
                .limitConcurrency(limitConcurrency)
                .limitQueue(limitQueue)
                .queueTimeout(queueTimeout)
                .rateLimitEnabled(rateLimit)
                .rateLimitRequestsPerSecond(rateLimitRequestsPerSecond)
                .rateLimitBurst(rateLimitBurst)
                .rateLimitMaxTrackedIps(rateLimitMaxTrackedIps)
                .rateLimitIpv6Prefix(rateLimitIpv6Prefix);
        if (uds != null) {
            b.uds(uds);
        }
        if (forwardedAllowIps != null) {
            b.forwardedAllowIps(forwardedAllowIps);
        }
        if (staticFiles != null) {
            b.staticFiles(staticFiles);
        }
        if (staticCacheControl != null) {
            b.staticCacheControl(staticCacheControl);
        }
        if (noReusePort) {
            b.reusePort(false);
        }
        if (noCompression) {
            b.compression(false);
        }
        b.compressionMinSize(compressionMinSize).compressionGzipLevel(compressionGzipLevel)
                .compressionZstdLevel(compressionZstdLevel).compressionBrotliLevel(compressionBrotliLevel);
        if (compressionEncodings != null) {
            b.compressionEncodings(compressionEncodings);
        }
        if (compressionTypes != null) {
            b.compressionTypes(compressionTypes);
        }
        if (accessLog != null) {
            b.accessLog(accessLog);
        }
        if (noDateHeader) {
            b.dateHeader(false);
        }
        if (sslCertFile != null) {
            b.sslCertFile(sslCertFile);
        }
        if (sslKeyFile != null) {
            b.sslKeyFile(sslKeyFile);
        }
        if (sslKeyPassword != null) {
            b.sslKeyPassword(sslKeyPassword);
        }
        if (sslCaCerts != null) {
            b.sslCaCerts(sslCaCerts);
        }
        b.sslClientAuth(sslClientAuth);
        plugins.given(command).forEach(b::set);
        return b.build().withSections(plugins.sections());
    }
}
