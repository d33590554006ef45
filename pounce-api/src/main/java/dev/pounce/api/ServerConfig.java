package dev.pounce.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's whole configuration: built once by {@link #builder()}, validated, then frozen and shared by every
 * worker. Defaults follow Uvicorn and the Python Pounce: {@code 127.0.0.1:8000}, one worker.
 *
 * @param host           the address to bind; default {@code 127.0.0.1}; {@code ::} or {@code 0.0.0.0} for all
 * @param port           the TCP port, 0 to 65535; 0 picks a free one; default 8000
 * @param uds            a Unix domain socket path to bind instead of host and port
 * @param workers        how many workers; 0 means one per available processor; default 1 (no supervisor)
 * @param workerStrategy how workers are hosted: {@code auto} (the default, which is {@code thread} on the JVM),
 *                       or the name of a {@code WorkerStrategy} plugin such as {@code thread}
 * @param backlog        the listen backlog; default 2048
 * @param rootPath       the path the app is mounted under behind a proxy ({@code /api}); empty by default
 * @param transport      the socket transport: {@code auto} (epoll, else io_uring, else NIO), {@code epoll},
 *                       {@code io_uring} or {@code nio}
 * @param reusePort      whether each worker binds its own listener with {@code SO_REUSEPORT}; when false, or on a
 *                       Unix domain socket, one acceptor hands connections to the workers in turn
 * @param logLevel       trace, debug, info, warning, error or critical; default info
 * @param accessLog      whether each response is logged on the {@code pounce.access} logger; default true
 * @param accessLogFormat how access lines are written: {@code text} (the default: one line per response through
 *                       SLF4J on {@code pounce.access}) or {@code json} (one JSON object per line on standard output,
 *                       for {@code jq} and log shippers; still switched by {@link #accessLog} and the level of
 *                       {@code pounce.access})
 * @param serverHeader   the {@code Server} response header, empty for none; default {@code pounce}
 * @param dateHeader     whether responses carry a {@code Date} header; default true
 * @param serverTiming   whether responses carry {@code Server-Timing: app;dur=X.XXX} (W3C Server Timing), the
 *                       milliseconds from the request's dispatch to the app's response start; default false
 * @param healthPath     the path of the built-in health endpoint, answered by the server before the app for
 *                       {@code GET} and {@code HEAD} on every protocol ({@code 200} with a small JSON body, {@code 503}
 *                       once the server shuts down); empty (the default) for none. A path starting with {@code /},
 *                       matched against the request path as sent, without the query
 * @param metricsPath    the path of the built-in Prometheus endpoint, answered by the server before the app for
 *                       {@code GET} and {@code HEAD} on every protocol with the text exposition format 0.0.4: the
 *                       whole server's counters, merged from every worker (and every child process) when scraped;
 *                       empty (the default) for none. The same rules as {@link #healthPath}, and a different path
 * @param forwardedAllowIps the peers whose proxy fields are believed ({@code --forwarded-allow-ips}): from them, the
 *                       client address comes from {@code Forwarded} or {@code X-Forwarded-For}, the scheme from
 *                       {@code X-Forwarded-Proto} and the host from {@code X-Forwarded-Host}, and a valid
 *                       {@code X-Request-ID} is kept; default {@link TrustedProxies#LOOPBACK} (this host). A Unix
 *                       domain socket peer is always trusted (only local processes can open the socket file)
 * @param limits         size and count limits
 * @param loadLimits     the cap on requests in flight with its queue ({@code 503}) and the per-client rate limit
 *                       ({@code 429}), both per worker and off by default
 * @param timeouts       time limits
 * @param tls            TLS, off unless a certificate is given
 * @param dispatch       where apps run: {@code loop} (the default: virtual threads carried by the worker's own
 *                       threads with its event loop, so no thread hop per request; an app that holds its thread,
 *                       computing or blocked in native code or file I/O, gets the loop moved to another thread within
 *                       about 20 ms) or {@code virtual} (virtual threads on the JDK's scheduler: a hop per request);
 *                       {@code loop} needs {@code --add-opens java.base/java.lang=dev.pounce.runtime} and falls back
 *                       to {@code virtual} without it
 * @param plugins        the plugins' own settings ({@link ConfigSection}s such as HTTP/2's), which the server holds
 *                       without knowing their types; a plugin reads its own with {@link #section}
 * @param staticFiles    folders served by the server before the app ({@code --static /prefix=DIR}, repeatable), each
 *                       with its {@code Cache-Control} ({@code --static-cache-control /prefix=VALUE}); none by
 *                       default. Prefixes are distinct; the longest one that matches a request wins
 * @param compression    response compression ({@code --no-compression}, {@code --compression-*}): zstd, brotli or
 *                       gzip as the client accepts; on by default
 */
public record ServerConfig(
        String host,
        int port,
        Optional<Path> uds,
        int workers,
        String workerStrategy,
        int backlog,
        String rootPath,
        String transport,
        boolean reusePort,
        String logLevel,
        boolean accessLog,
        String accessLogFormat,
        String serverHeader,
        boolean dateHeader,
        boolean serverTiming,
        Optional<String> healthPath,
        Optional<String> metricsPath,
        TrustedProxies forwardedAllowIps,
        Limits limits,
        LoadLimits loadLimits,
        Timeouts timeouts,
        TlsConfig tls,
        String dispatch,
        PluginSettings plugins,
        List<StaticMount> staticFiles,
        Compression compression) {

    /** The transports {@link #transport} accepts. */
    public static final Set<String> TRANSPORTS = Set.of("auto", "epoll", "io_uring", "nio");

    /** The modes {@link #dispatch} accepts. */
    public static final Set<String> DISPATCH_MODES = Set.of("virtual", "loop");

    /** The formats {@link #accessLogFormat} accepts. */
    public static final Set<String> ACCESS_LOG_FORMATS = Set.of("text", "json");

    /** The longest {@link #healthPath} accepted. */
    public static final int MAX_HEALTH_PATH = 1024;

    /** The levels {@link #logLevel} accepts. */
    public static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warning", "error", "critical");

    /** Checks that every part is present; range checks are the builder's. */
    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(uds, "uds");
        Objects.requireNonNull(workerStrategy, "workerStrategy");
        Objects.requireNonNull(rootPath, "rootPath");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(accessLogFormat, "accessLogFormat");
        Objects.requireNonNull(serverHeader, "serverHeader");
        Objects.requireNonNull(healthPath, "healthPath");
        Objects.requireNonNull(metricsPath, "metricsPath");
        Objects.requireNonNull(forwardedAllowIps, "forwardedAllowIps");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(loadLimits, "loadLimits");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(dispatch, "dispatch");
        Objects.requireNonNull(plugins, "plugins");
        staticFiles = List.copyOf(staticFiles);
        Objects.requireNonNull(compression, "compression");
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults, validated */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A plugin's own settings.
     *
     * @param section the plugin's section, such as {@code Http2Config.SECTION}
     * @param <C>     its record type
     * @return the frozen record
     * @throws IllegalStateException if the section was not built (see {@link PluginSettings#section})
     */
    public <C> C section(ConfigSection<C> section) {
        return plugins.section(section);
    }

    /**
     * The same configuration with every section of these plugins built, as the runtime does at startup with the
     * plugins it found. A value given for a key that no section owns is an error now.
     *
     * @param sections the sections the plugins found provide
     * @return the configuration
     * @throws ConfigException naming the first key at fault
     */
    public ServerConfig withSections(Collection<? extends ConfigSection<?>> sections) {
        return new ServerConfig(host, port, uds, workers, workerStrategy, backlog, rootPath, transport, reusePort,
                logLevel, accessLog, accessLogFormat, serverHeader, dateHeader, serverTiming, healthPath,
                metricsPath, forwardedAllowIps, limits, loadLimits, timeouts, tls, dispatch, plugins.withSections(sections),
                staticFiles, compression);
    }

    /** @return how many workers will run: {@link #workers}, or the processor count when it is 0 */
    public int resolvedWorkers() {
        return workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
    }

    /**
     * Collects and validates configuration. Each setter takes the value as is; {@link #build()} checks every field
     * and throws a {@link ConfigException} naming the first one out of range.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private Optional<Path> uds = Optional.empty();
        private int workers = 1;
        private String workerStrategy = "auto";
        private int backlog = 2048;
        private String rootPath = "";
        private String transport = "auto";
        private boolean reusePort = true;
        private String logLevel = "info";
        private boolean accessLog = true;
        private String accessLogFormat = "text";
        private String serverHeader = "pounce";
        private boolean dateHeader = true;
        private boolean serverTiming;
        private Optional<String> healthPath = Optional.empty();
        private Optional<String> metricsPath = Optional.empty();
        private List<String> forwardedAllowIps = TrustedProxies.LOOPBACK.items();
        private int maxRequestLineSize = Limits.DEFAULT.maxRequestLineSize();
        private int maxHeaderSize = Limits.DEFAULT.maxHeaderSize();
        private int maxHeaders = Limits.DEFAULT.maxHeaders();
        private long maxRequestBodySize = Limits.DEFAULT.maxRequestBodySize();
        private int maxConnections = Limits.DEFAULT.maxConnections();
        private int maxRequestsPerConnection = Limits.DEFAULT.maxRequestsPerConnection();
        private long limitMaxRequests = Limits.DEFAULT.limitMaxRequests();
        private int limitConcurrency = LoadLimits.DEFAULT.limitConcurrency();
        private int limitQueue = LoadLimits.DEFAULT.limitQueue();
        private Duration queueTimeout = LoadLimits.DEFAULT.queueTimeout();
        private boolean rateLimitEnabled = LoadLimits.DEFAULT.rateLimitEnabled();
        private double rateLimitRequestsPerSecond = LoadLimits.DEFAULT.rateLimitRequestsPerSecond();
        private int rateLimitBurst = LoadLimits.DEFAULT.rateLimitBurst();
        private int rateLimitMaxTrackedIps = LoadLimits.DEFAULT.rateLimitMaxTrackedIps();
        private int rateLimitIpv6Prefix = LoadLimits.DEFAULT.rateLimitIpv6Prefix();
        private Duration keepAliveTimeout = Timeouts.DEFAULT.keepAlive();
        private Duration headerTimeout = Timeouts.DEFAULT.header();
        private Duration requestBodyTimeout = Timeouts.DEFAULT.requestBody();
        private Duration writeTimeout = Timeouts.DEFAULT.write();
        private Duration gracefulShutdownTimeout = Timeouts.DEFAULT.gracefulShutdown();
        private Duration startupTimeout = Timeouts.DEFAULT.startup();
        private TlsConfig tls = TlsConfig.NONE;
        private String dispatch = "loop";
        private final Map<String, String> pluginValues = new TreeMap<>();
        private final List<ConfigSection<?>> sections = new ArrayList<>();
        private List<String> staticFiles = List.of();
        private List<String> staticCacheControl = List.of();
        private boolean compression = Compression.DEFAULT.enabled();
        private int compressionMinSize = Compression.DEFAULT.minSize();
        private List<String> compressionEncodings = Compression.DEFAULT.encodings();
        private List<String> compressionTypes = Compression.DEFAULT.types();
        private int compressionGzipLevel = Compression.DEFAULT.gzipLevel();
        private int compressionZstdLevel = Compression.DEFAULT.zstdLevel();
        private int compressionBrotliLevel = Compression.DEFAULT.brotliLevel();

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            uds = c.uds;
            workers = c.workers;
            workerStrategy = c.workerStrategy;
            backlog = c.backlog;
            rootPath = c.rootPath;
            transport = c.transport;
            reusePort = c.reusePort;
            logLevel = c.logLevel;
            accessLog = c.accessLog;
            accessLogFormat = c.accessLogFormat;
            serverHeader = c.serverHeader;
            dateHeader = c.dateHeader;
            serverTiming = c.serverTiming;
            healthPath = c.healthPath;
            metricsPath = c.metricsPath;
            forwardedAllowIps = c.forwardedAllowIps.items();
            maxRequestLineSize = c.limits.maxRequestLineSize();
            maxHeaderSize = c.limits.maxHeaderSize();
            maxHeaders = c.limits.maxHeaders();
            maxRequestBodySize = c.limits.maxRequestBodySize();
            maxConnections = c.limits.maxConnections();
            maxRequestsPerConnection = c.limits.maxRequestsPerConnection();
            limitMaxRequests = c.limits.limitMaxRequests();
            limitConcurrency = c.loadLimits.limitConcurrency();
            limitQueue = c.loadLimits.limitQueue();
            queueTimeout = c.loadLimits.queueTimeout();
            rateLimitEnabled = c.loadLimits.rateLimitEnabled();
            rateLimitRequestsPerSecond = c.loadLimits.rateLimitRequestsPerSecond();
            rateLimitBurst = c.loadLimits.rateLimitBurst();
            rateLimitMaxTrackedIps = c.loadLimits.rateLimitMaxTrackedIps();
            rateLimitIpv6Prefix = c.loadLimits.rateLimitIpv6Prefix();
            keepAliveTimeout = c.timeouts.keepAlive();
            headerTimeout = c.timeouts.header();
            requestBodyTimeout = c.timeouts.requestBody();
            writeTimeout = c.timeouts.write();
            gracefulShutdownTimeout = c.timeouts.gracefulShutdown();
            startupTimeout = c.timeouts.startup();
            tls = c.tls;
            dispatch = c.dispatch;
            pluginValues.putAll(c.plugins.given());
            sections.addAll(c.plugins.sections());
            staticFiles = c.staticFiles.stream().map(StaticMount::spec).toList();
            staticCacheControl = c.staticFiles.stream().filter(m -> m.cacheControl().isPresent())
                    .map(m -> m.prefix() + "=" + m.cacheControl().get()).toList();
            compression = c.compression.enabled();
            compressionMinSize = c.compression.minSize();
            compressionEncodings = c.compression.encodings();
            compressionTypes = c.compression.types();
            compressionGzipLevel = c.compression.gzipLevel();
            compressionZstdLevel = c.compression.zstdLevel();
            compressionBrotliLevel = c.compression.brotliLevel();
        }

        /** @param v see {@link ServerConfig#host} @return this */
        public Builder host(String v) { host = v; return this; }
        /** @param v see {@link ServerConfig#port} @return this */
        public Builder port(int v) { port = v; return this; }
        /** @param v see {@link ServerConfig#uds} @return this */
        public Builder uds(Path v) { uds = Optional.ofNullable(v); return this; }
        /** @param v see {@link ServerConfig#workers} @return this */
        public Builder workers(int v) { workers = v; return this; }
        /** @param v see {@link ServerConfig#workerStrategy} @return this */
        public Builder workerStrategy(String v) { workerStrategy = v; return this; }
        /** @param v see {@link ServerConfig#backlog} @return this */
        public Builder backlog(int v) { backlog = v; return this; }
        /** @param v see {@link ServerConfig#rootPath} @return this */
        public Builder rootPath(String v) { rootPath = v; return this; }
        /** @param v see {@link ServerConfig#transport} @return this */
        public Builder transport(String v) { transport = v; return this; }
        /** @param v see {@link ServerConfig#reusePort} @return this */
        public Builder reusePort(boolean v) { reusePort = v; return this; }
        /** @param v see {@link ServerConfig#logLevel} @return this */
        public Builder logLevel(String v) { logLevel = v; return this; }
        /** @param v see {@link ServerConfig#accessLog} @return this */
        public Builder accessLog(boolean v) { accessLog = v; return this; }
        /** @param v see {@link ServerConfig#accessLogFormat} @return this */
        public Builder accessLogFormat(String v) { accessLogFormat = v; return this; }
        /** @param v see {@link ServerConfig#serverTiming} @return this */
        public Builder serverTiming(boolean v) { serverTiming = v; return this; }
        /** @param v see {@link ServerConfig#healthPath}; null for none @return this */
        public Builder healthPath(String v) { healthPath = Optional.ofNullable(v); return this; }
        /** @param v see {@link ServerConfig#metricsPath}; null for none @return this */
        public Builder metricsPath(String v) { metricsPath = Optional.ofNullable(v); return this; }
        /**
         * @param v see {@link ServerConfig#forwardedAllowIps}: IP addresses, CIDR blocks or {@code *}, one per item;
         *          an item may also hold several separated by commas, as the flag takes them
         * @return this
         */
        public Builder forwardedAllowIps(List<String> v) {
            forwardedAllowIps = v == null ? null : List.copyOf(v);
            return this;
        }
        /** @param v see {@link ServerConfig#serverHeader} @return this */
        public Builder serverHeader(String v) { serverHeader = v; return this; }
        /** @param v see {@link ServerConfig#dateHeader} @return this */
        public Builder dateHeader(boolean v) { dateHeader = v; return this; }
        /** @param v see {@link Limits#maxRequestLineSize} @return this */
        public Builder maxRequestLineSize(int v) { maxRequestLineSize = v; return this; }
        /** @param v see {@link Limits#maxHeaderSize} @return this */
        public Builder maxHeaderSize(int v) { maxHeaderSize = v; return this; }
        /** @param v see {@link Limits#maxHeaders} @return this */
        public Builder maxHeaders(int v) { maxHeaders = v; return this; }
        /** @param v see {@link Limits#maxRequestBodySize} @return this */
        public Builder maxRequestBodySize(long v) { maxRequestBodySize = v; return this; }
        /** @param v see {@link Limits#maxConnections} @return this */
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        /** @param v see {@link Limits#maxRequestsPerConnection} @return this */
        public Builder maxRequestsPerConnection(int v) { maxRequestsPerConnection = v; return this; }
        /** @param v see {@link Limits#limitMaxRequests} @return this */
        public Builder limitMaxRequests(long v) { limitMaxRequests = v; return this; }
        /** @param v see {@link LoadLimits#limitConcurrency} @return this */
        public Builder limitConcurrency(int v) { limitConcurrency = v; return this; }
        /** @param v see {@link LoadLimits#limitQueue} @return this */
        public Builder limitQueue(int v) { limitQueue = v; return this; }
        /** @param v see {@link LoadLimits#queueTimeout} @return this */
        public Builder queueTimeout(Duration v) { queueTimeout = v; return this; }
        /** @param v see {@link LoadLimits#rateLimitEnabled} @return this */
        public Builder rateLimitEnabled(boolean v) { rateLimitEnabled = v; return this; }
        /** @param v see {@link LoadLimits#rateLimitRequestsPerSecond} @return this */
        public Builder rateLimitRequestsPerSecond(double v) { rateLimitRequestsPerSecond = v; return this; }
        /** @param v see {@link LoadLimits#rateLimitBurst} @return this */
        public Builder rateLimitBurst(int v) { rateLimitBurst = v; return this; }
        /** @param v see {@link LoadLimits#rateLimitMaxTrackedIps} @return this */
        public Builder rateLimitMaxTrackedIps(int v) { rateLimitMaxTrackedIps = v; return this; }
        /** @param v see {@link LoadLimits#rateLimitIpv6Prefix} @return this */
        public Builder rateLimitIpv6Prefix(int v) { rateLimitIpv6Prefix = v; return this; }
        /** @param v see {@link Timeouts#keepAlive} @return this */
        public Builder keepAliveTimeout(Duration v) { keepAliveTimeout = v; return this; }
        /** @param v see {@link Timeouts#header} @return this */
        public Builder headerTimeout(Duration v) { headerTimeout = v; return this; }
        /** @param v see {@link Timeouts#requestBody} @return this */
        public Builder requestBodyTimeout(Duration v) { requestBodyTimeout = v; return this; }
        /** @param v see {@link Timeouts#write} @return this */
        public Builder writeTimeout(Duration v) { writeTimeout = v; return this; }
        /** @param v see {@link Timeouts#gracefulShutdown} @return this */
        public Builder gracefulShutdownTimeout(Duration v) { gracefulShutdownTimeout = v; return this; }
        /** @param v see {@link Timeouts#startup} @return this */
        public Builder startupTimeout(Duration v) { startupTimeout = v; return this; }

        /** @param v see {@link TlsConfig#certFile} @return this */
        public Builder sslCertFile(Path v) {
            tls = new TlsConfig(Optional.ofNullable(v), tls.keyFile(), tls.keyPassword(), tls.caCerts(), tls.clientAuth());
            return this;
        }
        /** @param v see {@link TlsConfig#keyFile} @return this */
        public Builder sslKeyFile(Path v) {
            tls = new TlsConfig(tls.certFile(), Optional.ofNullable(v), tls.keyPassword(), tls.caCerts(), tls.clientAuth());
            return this;
        }
        /** @param v see {@link TlsConfig#keyPassword} @return this */
        public Builder sslKeyPassword(String v) {
            tls = new TlsConfig(tls.certFile(), tls.keyFile(), Optional.ofNullable(v), tls.caCerts(), tls.clientAuth());
            return this;
        }
        /** @param v see {@link TlsConfig#caCerts} @return this */
        public Builder sslCaCerts(Path v) {
            tls = new TlsConfig(tls.certFile(), tls.keyFile(), tls.keyPassword(), Optional.ofNullable(v), tls.clientAuth());
            return this;
        }
        /** @param v see {@link TlsConfig#clientAuth} @return this */
        public Builder sslClientAuth(String v) {
            tls = new TlsConfig(tls.certFile(), tls.keyFile(), tls.keyPassword(), tls.caCerts(), v);
            return this;
        }
        /**
         * @param v see {@link ServerConfig#staticFiles}: one {@code /prefix=DIR} per folder, as {@code --static}
         *          takes them
         * @return this
         */
        public Builder staticFiles(List<String> v) {
            staticFiles = v == null ? null : List.copyOf(v);
            return this;
        }
        /**
         * @param v one {@code /prefix=VALUE} per folder that gets a {@code Cache-Control} field, as
         *          {@code --static-cache-control} takes them; each prefix must be one of {@link #staticFiles}'s
         * @return this
         */
        public Builder staticCacheControl(List<String> v) {
            staticCacheControl = v == null ? null : List.copyOf(v);
            return this;
        }
        /** @param v see {@link ServerConfig#dispatch} @return this */
        public Builder dispatch(String v) { dispatch = v; return this; }
        /** @param v see {@link Compression#enabled} @return this */
        public Builder compression(boolean v) { compression = v; return this; }
        /** @param v see {@link Compression#minSize} @return this */
        public Builder compressionMinSize(int v) { compressionMinSize = v; return this; }
        /** @param v see {@link Compression#encodings}; an item may hold several separated by commas @return this */
        public Builder compressionEncodings(List<String> v) { compressionEncodings = commaItems(v); return this; }
        /** @param v see {@link Compression#types}; an item may hold several separated by commas @return this */
        public Builder compressionTypes(List<String> v) { compressionTypes = commaItems(v); return this; }
        /** @param v see {@link Compression#gzipLevel} @return this */
        public Builder compressionGzipLevel(int v) { compressionGzipLevel = v; return this; }
        /** @param v see {@link Compression#zstdLevel} @return this */
        public Builder compressionZstdLevel(int v) { compressionZstdLevel = v; return this; }
        /** @param v see {@link Compression#brotliLevel} @return this */
        public Builder compressionBrotliLevel(int v) { compressionBrotliLevel = v; return this; }

        private static List<String> commaItems(List<String> v) {
            return v == null ? List.of() : v.stream().flatMap(i -> Arrays.stream(i.split(",", -1)))
                    .filter(i -> !i.isBlank()).toList();
        }
        /**
         * Gives a plugin setting a value, as text, by its key; it is parsed and checked when the section is built.
         *
         * @param key   the setting's key, such as {@code http2.max-concurrent-streams}
         * @param value the value as it would be written after its flag
         * @return this
         */
        public Builder set(String key, String value) {
            pluginValues.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Gives a plugin setting a typed value.
         *
         * @param setting the setting
         * @param value   its value
         * @param <T>     its type
         * @return this
         */
        public <T> Builder set(Setting<T> setting, T value) {
            return set(setting.key(), setting.encode(value));
        }

        /**
         * Names plugin sections to build now, for code that embeds the server or tests a plugin; the runtime builds
         * the sections of every plugin it finds in any case.
         *
         * @param more the sections
         * @return this
         */
        public Builder sections(Collection<? extends ConfigSection<?>> more) {
            sections.addAll(more);
            return this;
        }

        /**
         * Validates every field and freezes the configuration.
         *
         * @return the configuration
         * @throws ConfigException naming the first field out of range and the range allowed
         */
        public ServerConfig build() {
            if (host == null || host.isBlank()) {
                throw new ConfigException("host", "host must not be empty");
            }
            range("port", port, 0, 65535);
            uds.ifPresent(p -> {
                if (p.toString().isEmpty()) {
                    throw new ConfigException("uds", "uds must be a socket path, got an empty one");
                }
            });
            range("workers", workers, 0, 1024);
            if (workerStrategy == null || workerStrategy.isBlank()) {
                throw new ConfigException("workerStrategy", "workerStrategy must name a strategy such as auto or thread");
            }
            range("backlog", backlog, 1, 65535);
            if (rootPath == null || !rootPath.isEmpty() && (!rootPath.startsWith("/") || rootPath.endsWith("/"))) {
                throw new ConfigException("rootPath",
                        "rootPath must be empty or start with '/' and not end with '/', got '" + rootPath + "'");
            }
            String t = transport == null ? "" : transport.toLowerCase(Locale.ROOT);
            if (!TRANSPORTS.contains(t)) {
                throw new ConfigException("transport",
                        "transport must be one of auto, epoll, io_uring, nio, got '" + transport + "'");
            }
            String level = logLevel == null ? "" : logLevel.toLowerCase(Locale.ROOT);
            if (level.equals("warn")) {
                level = "warning";
            }
            if (!LOG_LEVELS.contains(level)) {
                throw new ConfigException("logLevel",
                        "logLevel must be one of trace, debug, info, warning, error, critical, got '" + logLevel + "'");
            }
            String format = accessLogFormat == null ? "" : accessLogFormat.toLowerCase(Locale.ROOT);
            if (!ACCESS_LOG_FORMATS.contains(format)) {
                throw new ConfigException("accessLogFormat",
                        "accessLogFormat must be one of text, json, got '" + accessLogFormat + "'");
            }
            if (serverHeader == null || serverHeader.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new ConfigException("serverHeader", "serverHeader must be printable ASCII");
            }
            healthPath.ifPresent(p -> checkEndpointPath("healthPath", p, "/healthz"));
            metricsPath.ifPresent(p -> checkEndpointPath("metricsPath", p, "/metrics"));
            if (metricsPath.isPresent() && metricsPath.equals(healthPath)) {
                throw new ConfigException("metricsPath", "metricsPath must differ from healthPath, both are '"
                        + metricsPath.get() + "'");
            }
            TrustedProxies proxies = checkForwardedAllowIps(forwardedAllowIps);
            range("maxRequestLineSize", maxRequestLineSize, 64, 1 << 20);
            range("maxHeaderSize", maxHeaderSize, 1024, 16 << 20);
            range("maxHeaders", maxHeaders, 1, 10_000);
            range("maxRequestBodySize", maxRequestBodySize, 0, Long.MAX_VALUE);
            range("maxConnections", maxConnections, 0, Integer.MAX_VALUE);
            range("maxRequestsPerConnection", maxRequestsPerConnection, 0, Integer.MAX_VALUE);
            range("limitMaxRequests", limitMaxRequests, 0, Long.MAX_VALUE);
            LoadLimits load = checkLoadLimits();
            positive("keepAliveTimeout", keepAliveTimeout);
            positive("headerTimeout", headerTimeout);
            positive("requestBodyTimeout", requestBodyTimeout);
            positive("writeTimeout", writeTimeout);
            if (gracefulShutdownTimeout == null || gracefulShutdownTimeout.isNegative()
                    || gracefulShutdownTimeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new ConfigException("gracefulShutdownTimeout",
                        "gracefulShutdownTimeout must be between 0 and 86400 seconds, got " + seconds(gracefulShutdownTimeout));
            }
            positive("startupTimeout", startupTimeout);
            TlsConfig checkedTls = checkTls(tls);
            String mode = dispatch == null ? "" : dispatch.toLowerCase(Locale.ROOT);
            if (!DISPATCH_MODES.contains(mode)) {
                throw new ConfigException("dispatch", "dispatch must be one of virtual, loop, got '" + dispatch + "'");
            }
            return new ServerConfig(host, port, uds, workers, workerStrategy.toLowerCase(Locale.ROOT), backlog,
                    rootPath, t, reusePort, level, accessLog, format, serverHeader, dateHeader, serverTiming,
                    healthPath, metricsPath, proxies,
                    new Limits(maxRequestLineSize, maxHeaderSize, maxHeaders, maxRequestBodySize, maxConnections,
                            maxRequestsPerConnection, limitMaxRequests),
                    load,
                    new Timeouts(keepAliveTimeout, headerTimeout, requestBodyTimeout, writeTimeout,
                            gracefulShutdownTimeout, startupTimeout),
                    checkedTls, mode, PluginSettings.resolve(pluginValues, sections, false),
                    StaticRules.mounts(staticFiles, staticCacheControl),
                    new Compression(compression, compressionMinSize, compressionEncodings, compressionTypes,
                            compressionGzipLevel, compressionZstdLevel, compressionBrotliLevel).check());
        }

        private LoadLimits checkLoadLimits() {
            range("limitConcurrency", limitConcurrency, 0, Integer.MAX_VALUE);
            range("limitQueue", limitQueue, 0, Integer.MAX_VALUE);
            if (limitQueue > 0 && limitConcurrency == 0) {
                throw new ConfigException("limitQueue", "limitQueue needs limitConcurrency above 0, since a queue "
                        + "waits for a free slot under that cap");
            }
            positive("queueTimeout", queueTimeout);
            // NaN fails both comparisons, so it is refused too.
            if (!(rateLimitRequestsPerSecond > 0 && rateLimitRequestsPerSecond <= LoadLimits.MAX_RATE)) {
                throw new ConfigException("rateLimitRequestsPerSecond", "rateLimitRequestsPerSecond must be more "
                        + "than 0 and at most " + LoadLimits.MAX_RATE + ", got " + rateLimitRequestsPerSecond);
            }
            range("rateLimitBurst", rateLimitBurst, 1, LoadLimits.MAX_BURST);
            range("rateLimitMaxTrackedIps", rateLimitMaxTrackedIps, 1, LoadLimits.MAX_TRACKED);
            range("rateLimitIpv6Prefix", rateLimitIpv6Prefix, LoadLimits.MIN_IPV6_PREFIX, 128);
            return new LoadLimits(limitConcurrency, limitQueue, queueTimeout, rateLimitEnabled,
                    rateLimitRequestsPerSecond, rateLimitBurst, rateLimitMaxTrackedIps, rateLimitIpv6Prefix);
        }

        // The path is compared with the request path as sent, so it must be one a request line can carry: visible
        // ASCII, no query or fragment. The health and metrics paths share the rule.
        private static void checkEndpointPath(String field, String p, String example) {
            if (!p.startsWith("/") || p.length() > MAX_HEALTH_PATH
                    || p.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '?' || c == '#')) {
                throw new ConfigException(field, field + " must be a path starting with '/' of at most "
                        + MAX_HEALTH_PATH + " visible ASCII characters, without '?' or '#', such as " + example
                        + ", got '" + p + "'");
            }
        }

        private static TrustedProxies checkForwardedAllowIps(List<String> items) {
            if (items == null) {
                throw new ConfigException("forwardedAllowIps", "forwardedAllowIps must be a list, got nothing");
            }
            try {
                return TrustedProxies.of(items.stream().flatMap(i -> Arrays.stream(i.split(",", -1))).toList());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("forwardedAllowIps", "forwardedAllowIps takes IP addresses, CIDR blocks "
                        + "such as 10.0.0.0/8, or *: " + e.getMessage());
            }
        }

        private static TlsConfig checkTls(TlsConfig t) {
            if (t.certFile().isPresent() != t.keyFile().isPresent()) {
                throw new ConfigException(t.certFile().isPresent() ? "sslKeyFile" : "sslCertFile",
                        "sslCertFile and sslKeyFile must be given together");
            }
            String auth = t.clientAuth() == null ? "" : t.clientAuth().toLowerCase(Locale.ROOT);
            if (!TlsConfig.CLIENT_AUTH.contains(auth)) {
                throw new ConfigException("sslClientAuth",
                        "sslClientAuth must be one of none, optional, require, got '" + t.clientAuth() + "'");
            }
            if (!auth.equals("none") && t.caCerts().isEmpty()) {
                throw new ConfigException("sslCaCerts", "sslClientAuth " + auth + " needs sslCaCerts to verify clients");
            }
            if ((t.caCerts().isPresent() || t.keyPassword().isPresent()) && t.certFile().isEmpty()) {
                throw new ConfigException("sslCertFile", "sslCaCerts and sslKeyPassword need sslCertFile and sslKeyFile");
            }
            return new TlsConfig(t.certFile(), t.keyFile(), t.keyPassword(), t.caCerts(), auth);
        }

        private static void range(String field, long value, long min, long max) {
            if (value < min || value > max) {
                throw new ConfigException(field, field + " must be between " + min + " and " + max + ", got " + value);
            }
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
                throw new ConfigException(field,
                        field + " must be more than 0 and at most 86400 seconds, got " + seconds(d));
            }
        }

        private static String seconds(Duration d) {
            return d == null ? "nothing" : (d.toMillis() / 1000.0) + " s";
        }
    }
}
