package dev.pounce.cli;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ServerConfig;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table that ties each command-line flag to the {@link ServerConfig} field it sets, as the field is named
 * by its builder method and by {@link ConfigException#field()}. Errors found by {@link ServerConfig.Builder#build()}
 * are reported under the flag a person typed, and the help shows each flag's default read from
 * {@link ServerConfig#defaults()}, so the defaults live in one place.
 */
enum ConfigFlag {
    HOST("--host", "host", ServerConfig::host),
    PORT("--port", "port", ServerConfig::port),
    UDS("--uds", "uds", ServerConfig::uds),
    WORKERS("--workers", "workers", ServerConfig::workers),
    WORKER_STRATEGY("--worker-strategy", "workerStrategy", ServerConfig::workerStrategy),
    BACKLOG("--backlog", "backlog", ServerConfig::backlog),
    ROOT_PATH("--root-path", "rootPath", ServerConfig::rootPath),
    TRANSPORT("--transport", "transport", ServerConfig::transport),
    DISPATCH("--dispatch", "dispatch", ServerConfig::dispatch),
    REUSE_PORT("--no-reuse-port", "reusePort", ServerConfig::reusePort),
    LOG_LEVEL("--log-level", "logLevel", ServerConfig::logLevel),
    ACCESS_LOG("--access-log", "accessLog", ServerConfig::accessLog),
    ACCESS_LOG_FORMAT("--access-log-format", "accessLogFormat", ServerConfig::accessLogFormat),
    SERVER_HEADER("--server-header", "serverHeader", ServerConfig::serverHeader),
    DATE_HEADER("--no-date-header", "dateHeader", ServerConfig::dateHeader),
    SERVER_TIMING("--server-timing", "serverTiming", ServerConfig::serverTiming),
    HEALTH_PATH("--health-path", "healthPath", ServerConfig::healthPath),
    METRICS_PATH("--metrics-path", "metricsPath", ServerConfig::metricsPath),
    STATIC("--static", "staticFiles",
            c -> c.staticFiles().isEmpty() ? Optional.empty() : Optional.of(c.staticFiles())),
    STATIC_CACHE_CONTROL("--static-cache-control", "staticCacheControl",
            c -> c.staticFiles().stream().flatMap(m -> m.cacheControl().stream()).findFirst()),
    COMPRESSION("--no-compression", "compression", c -> c.compression().enabled()),
    COMPRESSION_MIN_SIZE("--compression-min-size", "compressionMinSize", c -> c.compression().minSize()),
    COMPRESSION_ENCODINGS("--compression-encodings", "compressionEncodings",
            c -> String.join(",", c.compression().encodings())),
    COMPRESSION_TYPES("--compression-types", "compressionTypes", c -> String.join(",", c.compression().types())),
    COMPRESSION_GZIP_LEVEL("--compression-gzip-level", "compressionGzipLevel", c -> c.compression().gzipLevel()),
    COMPRESSION_ZSTD_LEVEL("--compression-zstd-level", "compressionZstdLevel", c -> c.compression().zstdLevel()),
    COMPRESSION_BROTLI_LEVEL("--compression-brotli-level", "compressionBrotliLevel",
            c -> c.compression().brotliLevel()),
    FORWARDED_ALLOW_IPS("--forwarded-allow-ips", "forwardedAllowIps", ServerConfig::forwardedAllowIps),
    TIMEOUT_KEEP_ALIVE("--timeout-keep-alive", "keepAliveTimeout", c -> c.timeouts().keepAlive()),
    TIMEOUT_HEADER("--timeout-header", "headerTimeout", c -> c.timeouts().header()),
    TIMEOUT_REQUEST_BODY("--timeout-request-body", "requestBodyTimeout", c -> c.timeouts().requestBody()),
    TIMEOUT_WRITE("--timeout-write", "writeTimeout", c -> c.timeouts().write()),
    TIMEOUT_GRACEFUL_SHUTDOWN("--timeout-graceful-shutdown", "gracefulShutdownTimeout",
            c -> c.timeouts().gracefulShutdown()),
    TIMEOUT_STARTUP("--timeout-startup", "startupTimeout", c -> c.timeouts().startup()),
    LIMIT_REQUEST_LINE("--limit-request-line", "maxRequestLineSize", c -> c.limits().maxRequestLineSize()),
    LIMIT_REQUEST_HEADER_SIZE("--limit-request-header-size", "maxHeaderSize", c -> c.limits().maxHeaderSize()),
    LIMIT_REQUEST_HEADERS("--limit-request-headers", "maxHeaders", c -> c.limits().maxHeaders()),
    LIMIT_REQUEST_BODY("--limit-request-body", "maxRequestBodySize", c -> c.limits().maxRequestBodySize()),
    LIMIT_CONNECTIONS("--limit-connections", "maxConnections", c -> c.limits().maxConnections()),
    LIMIT_REQUESTS_PER_CONNECTION("--limit-requests-per-connection", "maxRequestsPerConnection",
            c -> c.limits().maxRequestsPerConnection()),
    LIMIT_MAX_REQUESTS("--limit-max-requests", "limitMaxRequests", c -> c.limits().limitMaxRequests()),
    LIMIT_CONCURRENCY("--limit-concurrency", "limitConcurrency", c -> c.loadLimits().limitConcurrency()),
    LIMIT_QUEUE("--limit-queue", "limitQueue", c -> c.loadLimits().limitQueue()),
    TIMEOUT_QUEUE("--timeout-queue", "queueTimeout", c -> c.loadLimits().queueTimeout()),
    RATE_LIMIT("--rate-limit", "rateLimitEnabled", c -> c.loadLimits().rateLimitEnabled()),
    RATE_LIMIT_REQUESTS_PER_SECOND("--rate-limit-requests-per-second", "rateLimitRequestsPerSecond",
            c -> c.loadLimits().rateLimitRequestsPerSecond()),
    RATE_LIMIT_BURST("--rate-limit-burst", "rateLimitBurst", c -> c.loadLimits().rateLimitBurst()),
    RATE_LIMIT_MAX_TRACKED_IPS("--rate-limit-max-tracked-ips", "rateLimitMaxTrackedIps",
            c -> c.loadLimits().rateLimitMaxTrackedIps()),
    RATE_LIMIT_IPV6_PREFIX("--rate-limit-ipv6-prefix", "rateLimitIpv6Prefix",
            c -> c.loadLimits().rateLimitIpv6Prefix()),
    SSL_CERTFILE("--ssl-certfile", "sslCertFile", c -> c.tls().certFile()),
    SSL_KEYFILE("--ssl-keyfile", "sslKeyFile", c -> c.tls().keyFile()),
    SSL_KEYFILE_PASSWORD("--ssl-keyfile-password", "sslKeyPassword", c -> c.tls().keyPassword()),
    SSL_CA_CERTS("--ssl-ca-certs", "sslCaCerts", c -> c.tls().caCerts()),
    SSL_CLIENT_AUTH("--ssl-client-auth", "sslClientAuth", c -> c.tls().clientAuth());

    private final String flag;
    private final String field;
    private final Function<ServerConfig, Object> reader;

    ConfigFlag(String flag, String field, Function<ServerConfig, Object> reader) {
        this.flag = flag;
        this.field = field;
        this.reader = reader;
    }

    /** @return the flag as typed, such as {@code --limit-request-header-size} */
    String flag() {
        return flag;
    }

    /** @return the field, as its builder method is named, such as {@code maxHeaderSize} */
    String field() {
        return field;
    }

    /**
     * @param config a configuration
     * @return the value this flag sets, as the config holds it
     */
    Object read(ServerConfig config) {
        return reader.apply(config);
    }

    /**
     * The default as a person would type it: {@code 8000}, {@code 0.5} for seconds.
     *
     * @return the text of the default value, or empty when the field is unset by default (no socket path, no TLS)
     */
    Optional<String> defaultText() {
        return switch (read(ServerConfig.defaults())) {
            case Optional<?> unset when unset.isEmpty() -> Optional.empty();
            case Optional<?> set -> Optional.of(String.valueOf(set.get()));
            case Duration d -> Optional.of(SecondsConverter.format(d));
            case Double d -> Optional.of(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
            case Object o -> Optional.of(String.valueOf(o));
        };
    }

    /**
     * @param flag a flag, such as {@code --port}
     * @return the row for it, if it sets a config field
     */
    static Optional<ConfigFlag> ofFlag(String flag) {
        return Arrays.stream(values()).filter(f -> f.flag.equals(flag)).findFirst();
    }

    /**
     * @param field a field, as {@link ConfigException#field()} names it
     * @return the row for it
     */
    static Optional<ConfigFlag> ofField(String field) {
        return Arrays.stream(values()).filter(f -> f.field.equals(field)).findFirst();
    }

    /**
     * Rewords a validation error so that it names flags, not fields: {@code port must be between 0 and 65535, got
     * 70000} becomes {@code --port must be between 0 and 65535, got 70000}, and {@code sslCertFile and sslKeyFile
     * must be given together} becomes {@code --ssl-certfile and --ssl-keyfile must be given together}.
     *
     * @param e the error from {@link ServerConfig.Builder#build()}
     * @return one line naming the flag
     */
    static String describe(ConfigException e) {
        return describe(e, Map.of());
    }

    /**
     * Rewords a validation error so that it names flags, Pounce's own and the plugins': {@code
     * http2.max-concurrent-streams must be between 1 and 2147483647, got 0} becomes {@code
     * --http2-max-concurrent-streams must be between 1 and 2147483647, got 0}.
     *
     * @param e       the error from {@link ServerConfig.Builder#build()} or {@link ServerConfig#withSections}
     * @param plugins each plugin setting's flag by its key
     * @return one line naming the flag
     */
    static String describe(ConfigException e, Map<String, String> plugins) {
        String message = UsageErrors.oneLine(e.getMessage());
        // Every field or key the text names becomes its flag: only the camel-case fields, so that words such as
        // "port" stay words, and every plugin key, which holds a dot and is never a word.
        Map<String, String> flags = new LinkedHashMap<>();
        Arrays.stream(values()).filter(f -> !f.field.equals(f.field.toLowerCase(Locale.ROOT)))
                .forEach(f -> flags.put(f.field, f.flag));
        flags.putAll(plugins);
        Optional<String> atFault = ofField(e.field()).map(ConfigFlag::flag)
                .or(() -> Optional.ofNullable(plugins.get(e.field())));
        if (atFault.isEmpty()) {
            return message;
        }
        String fault = atFault.get();
        if (message.startsWith(e.field() + " ")) {
            message = fault + message.substring(e.field().length());
        }
        for (var named : flags.entrySet()) {
            message = message.replaceAll("(?<![\\w.-])" + Pattern.quote(named.getKey()) + "(?![\\w-]|\\.\\w)",
                    Matcher.quoteReplacement(named.getValue()));
        }
        return message.contains(fault) ? message : fault + ": " + message;
    }
}
