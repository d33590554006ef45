package dev.pounce.cli;

import dev.pounce.api.ServerConfig;
import dev.pounce.api.StaticMount;
import dev.pounce.api.TrustedProxies;
import dev.pounce.runtime.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Each flag, given a value that is not its default, reaches the config field it names. */
class FlagMappingTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(ConfigFlag.HOST, new String[]{"--host", "::"}, "::"),
                Arguments.of(ConfigFlag.PORT, new String[]{"--port", "9001"}, 9001),
                Arguments.of(ConfigFlag.PORT, new String[]{"--port=0"}, 0),
                Arguments.of(ConfigFlag.UDS, new String[]{"--uds", "/tmp/pounce.sock"}, "/tmp/pounce.sock"),
                Arguments.of(ConfigFlag.WORKERS, new String[]{"--workers", "0"}, 0),
                Arguments.of(ConfigFlag.WORKERS, new String[]{"--workers", "4"}, 4),
                Arguments.of(ConfigFlag.WORKER_STRATEGY, new String[]{"--worker-strategy", "THREAD"}, "thread"),
                Arguments.of(ConfigFlag.BACKLOG, new String[]{"--backlog", "16"}, 16),
                Arguments.of(ConfigFlag.ROOT_PATH, new String[]{"--root-path", "/api"}, "/api"),
                Arguments.of(ConfigFlag.TRANSPORT, new String[]{"--transport", "nio"}, "nio"),
                Arguments.of(ConfigFlag.TRANSPORT, new String[]{"--transport", "io_uring"}, "io_uring"),
                Arguments.of(ConfigFlag.DISPATCH, new String[]{"--dispatch", "virtual"}, "virtual"),
                Arguments.of(ConfigFlag.REUSE_PORT, new String[]{"--no-reuse-port"}, false),
                Arguments.of(ConfigFlag.LOG_LEVEL, new String[]{"--log-level", "warning"}, "warning"),
                Arguments.of(ConfigFlag.LOG_LEVEL, new String[]{"--log-level", "WARN"}, "warning"),
                Arguments.of(ConfigFlag.ACCESS_LOG, new String[]{"--no-access-log"}, false),
                Arguments.of(ConfigFlag.ACCESS_LOG, new String[]{"--no-access-log", "--access-log"}, true),
                Arguments.of(ConfigFlag.ACCESS_LOG_FORMAT, new String[]{"--access-log-format", "JSON"}, "json"),
                Arguments.of(ConfigFlag.SERVER_TIMING, new String[]{"--server-timing"}, true),
                Arguments.of(ConfigFlag.HEALTH_PATH, new String[]{"--health-path", "/healthz"}, "/healthz"),
                Arguments.of(ConfigFlag.METRICS_PATH, new String[]{"--metrics-path", "/metrics"}, "/metrics"),
                Arguments.of(ConfigFlag.FORWARDED_ALLOW_IPS, new String[]{"--forwarded-allow-ips", "10.0.0.0/8"},
                        TrustedProxies.of(List.of("10.0.0.0/8"))),
                Arguments.of(ConfigFlag.FORWARDED_ALLOW_IPS, new String[]{"--forwarded-allow-ips", "10.0.0.0/8,::1",
                        "--forwarded-allow-ips", "192.0.2.7"}, TrustedProxies.of(List.of("10.0.0.0/8", "::1",
                        "192.0.2.7"))),
                Arguments.of(ConfigFlag.FORWARDED_ALLOW_IPS, new String[]{"--trusted-hosts", "*"},
                        TrustedProxies.of(List.of("*"))),
                Arguments.of(ConfigFlag.FORWARDED_ALLOW_IPS, new String[]{"--forwarded-allow-ips="},
                        TrustedProxies.of(List.of())),
                Arguments.of(ConfigFlag.SERVER_HEADER, new String[]{"--server-header", "edge/1"}, "edge/1"),
                Arguments.of(ConfigFlag.SERVER_HEADER, new String[]{"--server-header="}, ""),
                Arguments.of(ConfigFlag.DATE_HEADER, new String[]{"--no-date-header"}, false),
                Arguments.of(ConfigFlag.TIMEOUT_KEEP_ALIVE, new String[]{"--timeout-keep-alive", "0.5"},
                        Duration.ofMillis(500)),
                Arguments.of(ConfigFlag.TIMEOUT_HEADER, new String[]{"--timeout-header", "2"}, Duration.ofSeconds(2)),
                Arguments.of(ConfigFlag.TIMEOUT_REQUEST_BODY, new String[]{"--timeout-request-body", "7.25"},
                        Duration.ofMillis(7250)),
                Arguments.of(ConfigFlag.TIMEOUT_WRITE, new String[]{"--timeout-write", "1"}, Duration.ofSeconds(1)),
                Arguments.of(ConfigFlag.TIMEOUT_GRACEFUL_SHUTDOWN, new String[]{"--timeout-graceful-shutdown", "0"},
                        Duration.ZERO),
                Arguments.of(ConfigFlag.TIMEOUT_STARTUP, new String[]{"--timeout-startup", "60"},
                        Duration.ofSeconds(60)),
                Arguments.of(ConfigFlag.LIMIT_REQUEST_LINE, new String[]{"--limit-request-line", "4096"}, 4096),
                Arguments.of(ConfigFlag.LIMIT_REQUEST_HEADER_SIZE, new String[]{"--limit-request-header-size", "8192"},
                        8192),
                Arguments.of(ConfigFlag.LIMIT_REQUEST_HEADERS, new String[]{"--limit-request-headers", "50"}, 50),
                Arguments.of(ConfigFlag.LIMIT_REQUEST_BODY, new String[]{"--limit-request-body", "0"}, 0L),
                Arguments.of(ConfigFlag.LIMIT_REQUEST_BODY, new String[]{"--limit-request-body", "10000000000"},
                        10_000_000_000L),
                Arguments.of(ConfigFlag.LIMIT_CONNECTIONS, new String[]{"--limit-connections", "0"}, 0),
                Arguments.of(ConfigFlag.LIMIT_REQUESTS_PER_CONNECTION,
                        new String[]{"--limit-requests-per-connection", "100"}, 100),
                Arguments.of(ConfigFlag.LIMIT_MAX_REQUESTS, new String[]{"--limit-max-requests", "5000000000"},
                        5_000_000_000L),
                Arguments.of(ConfigFlag.LIMIT_CONCURRENCY, new String[]{"--limit-concurrency", "1"}, 1),
                Arguments.of(ConfigFlag.LIMIT_CONCURRENCY, new String[]{"--limit-concurrency", "2147483647"},
                        Integer.MAX_VALUE),
                Arguments.of(ConfigFlag.TIMEOUT_QUEUE, new String[]{"--timeout-queue", "0.001"}, Duration.ofMillis(1)),
                Arguments.of(ConfigFlag.TIMEOUT_QUEUE, new String[]{"--timeout-queue", "86400"}, Duration.ofDays(1)),
                Arguments.of(ConfigFlag.RATE_LIMIT, new String[]{"--rate-limit"}, true),
                Arguments.of(ConfigFlag.RATE_LIMIT_REQUESTS_PER_SECOND,
                        new String[]{"--rate-limit-requests-per-second", "0.001"}, 0.001),
                Arguments.of(ConfigFlag.RATE_LIMIT_REQUESTS_PER_SECOND,
                        new String[]{"--rate-limit-requests-per-second", "1000000000"}, 1e9),
                Arguments.of(ConfigFlag.RATE_LIMIT_BURST, new String[]{"--rate-limit-burst", "1"}, 1),
                Arguments.of(ConfigFlag.RATE_LIMIT_BURST, new String[]{"--rate-limit-burst", "1000000000"},
                        1_000_000_000),
                Arguments.of(ConfigFlag.RATE_LIMIT_MAX_TRACKED_IPS, new String[]{"--rate-limit-max-tracked-ips", "1"},
                        1),
                Arguments.of(ConfigFlag.RATE_LIMIT_MAX_TRACKED_IPS,
                        new String[]{"--rate-limit-max-tracked-ips", "10000000"}, 10_000_000),
                Arguments.of(ConfigFlag.RATE_LIMIT_IPV6_PREFIX, new String[]{"--rate-limit-ipv6-prefix", "16"}, 16),
                Arguments.of(ConfigFlag.RATE_LIMIT_IPV6_PREFIX, new String[]{"--rate-limit-ipv6-prefix", "128"}, 128),
                Arguments.of(ConfigFlag.COMPRESSION, new String[]{"--no-compression"}, false),
                Arguments.of(ConfigFlag.COMPRESSION_MIN_SIZE, new String[]{"--compression-min-size", "0"}, 0),
                Arguments.of(ConfigFlag.COMPRESSION_MIN_SIZE, new String[]{"--compression-min-size", "1073741824"},
                        1 << 30),
                Arguments.of(ConfigFlag.COMPRESSION_ENCODINGS, new String[]{"--compression-encodings", "GZIP,zstd"},
                        "gzip,zstd"),
                Arguments.of(ConfigFlag.COMPRESSION_ENCODINGS, new String[]{"--compression-encodings", "br"}, "br"),
                Arguments.of(ConfigFlag.COMPRESSION_TYPES, new String[]{"--compression-types", "text/html",
                        "--compression-types", "application/*+json"}, "text/html,application/*+json"),
                Arguments.of(ConfigFlag.COMPRESSION_GZIP_LEVEL, new String[]{"--compression-gzip-level", "1"}, 1),
                Arguments.of(ConfigFlag.COMPRESSION_GZIP_LEVEL, new String[]{"--compression-gzip-level", "9"}, 9),
                Arguments.of(ConfigFlag.COMPRESSION_ZSTD_LEVEL, new String[]{"--compression-zstd-level", "1"}, 1),
                Arguments.of(ConfigFlag.COMPRESSION_ZSTD_LEVEL, new String[]{"--compression-zstd-level", "22"}, 22),
                Arguments.of(ConfigFlag.COMPRESSION_BROTLI_LEVEL, new String[]{"--compression-brotli-level", "0"}, 0),
                Arguments.of(ConfigFlag.COMPRESSION_BROTLI_LEVEL, new String[]{"--compression-brotli-level", "11"},
                        11));
    }

    /** A queue needs a cap: {@code --limit-queue} is given with {@code --limit-concurrency}. */
    static Stream<Arguments> queueCases() {
        return Stream.of(
                Arguments.of(ConfigFlag.LIMIT_QUEUE, new String[]{"--limit-concurrency", "1", "--limit-queue", "1"}, 1),
                Arguments.of(ConfigFlag.LIMIT_QUEUE, new String[]{"--limit-concurrency", "1", "--limit-queue",
                        "2147483647"}, Integer.MAX_VALUE),
                Arguments.of(ConfigFlag.LIMIT_QUEUE, new String[]{"--limit-queue", "0"}, 0));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("queueCases")
    void aQueueFlagSetsItsField(ConfigFlag flag, String[] args, Object expected) {
        assertEquals(expected, plain(flag.read(parse(args))));
    }

    /** TLS flags only make sense together: certificate and key, then the extras. */
    static Stream<Arguments> tlsCases() {
        String[] pair = {"--ssl-certfile", "/etc/pounce/cert.pem", "--ssl-keyfile", "/etc/pounce/key.pem"};
        return Stream.of(
                Arguments.of(ConfigFlag.SSL_CERTFILE, pair, "/etc/pounce/cert.pem"),
                Arguments.of(ConfigFlag.SSL_KEYFILE, pair, "/etc/pounce/key.pem"),
                Arguments.of(ConfigFlag.SSL_KEYFILE_PASSWORD, concat(pair, "--ssl-keyfile-password", "s3cret"), "s3cret"),
                Arguments.of(ConfigFlag.SSL_CA_CERTS, concat(pair, "--ssl-ca-certs", "/etc/pounce/ca.pem"),
                        "/etc/pounce/ca.pem"),
                Arguments.of(ConfigFlag.SSL_CLIENT_AUTH,
                        concat(pair, "--ssl-ca-certs", "/etc/pounce/ca.pem", "--ssl-client-auth", "require"), "require"));
    }

    /** The static flags: the cache flag needs a folder, so each case gives one; /tmp is its own real path. */
    static Stream<Arguments> staticCases() {
        String[] mount = {"--static", "/s=/tmp"};
        return Stream.of(
                Arguments.of(ConfigFlag.STATIC, mount,
                        List.of(new StaticMount("/s", Path.of("/tmp"), java.util.Optional.empty()))),
                Arguments.of(ConfigFlag.STATIC, new String[]{"--static", "/s=/tmp", "--static", "/=/tmp"},
                        List.of(new StaticMount("/s", Path.of("/tmp"), java.util.Optional.empty()),
                                new StaticMount("/", Path.of("/tmp"), java.util.Optional.empty()))),
                Arguments.of(ConfigFlag.STATIC_CACHE_CONTROL,
                        concat(mount, "--static-cache-control", "/s=max-age=60,immutable"), "max-age=60,immutable"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("staticCases")
    void aStaticFlagSetsItsField(ConfigFlag flag, String[] args, Object expected) {
        assertEquals(expected, plain(flag.read(parse(args))));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("tlsCases")
    void aTlsFlagSetsItsField(ConfigFlag flag, String[] args, Object expected) {
        assertEquals(expected, plain(flag.read(parse(args))));
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void aFlagSetsItsField(ConfigFlag flag, String[] args, Object expected) {
        ServerConfig config = parse(args);
        assertEquals(expected, plain(flag.read(config)));
        // Nothing else moved: the rest of the config is the default.
        for (ConfigFlag other : ConfigFlag.values()) {
            if (other != flag) {
                assertEquals(other.read(ServerConfig.defaults()), other.read(config), other.flag());
            }
        }
    }

    /** Unwraps an Optional and turns a Path into its text, as the cases write them. */
    private static Object plain(Object value) {
        Object v = value instanceof java.util.Optional<?> o ? o.orElse(null) : value;
        return v instanceof Path p ? p.toString() : v;
    }

    @Test
    void noFlagsGiveTheDefaults() {
        assertEquals(ServerConfig.defaults().withSections(Server.configSections()), parse());
    }

    @Test
    void theCheckCommandTakesTheSameFlags() {
        var command = new PounceCommand();
        var result = PounceCommand.parser(command, quiet(), plugins())
                .parseArgs("check", "--port", "9002", "--workers", "3", "x.Y");
        var check = (PounceCommand.Check) result.subcommand().commandSpec().userObject();
        ServerConfig config = check.options.toConfig();
        assertEquals(9002, config.port());
        assertEquals(3, config.workers());
        assertEquals("x.Y", check.options.appSpec().orElseThrow());
    }

    @Test
    void theLastOfARepeatedFlagWins() {
        assertEquals(9003, parse("--port", "9000", "--port", "9003").port());
    }

    @Test
    void theAppMayComeBeforeOrAfterTheFlags() {
        var command = new PounceCommand();
        PounceCommand.parser(command, quiet(), plugins()).parseArgs("a.B", "--port", "1");
        assertEquals("a.B", command.options.appSpec().orElseThrow());
        assertNotEquals(8000, command.options.toConfig().port());
    }

    @Test
    void everyFlagHasACase() {
        Set<ConfigFlag> covered = Stream.of(cases(), tlsCases(), queueCases(), staticCases()).flatMap(c -> c).map(a -> (ConfigFlag) a.get()[0])
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ConfigFlag.class)));
        assertEquals(EnumSet.allOf(ConfigFlag.class), covered, "a flag has no mapping case");
    }

    static ServerConfig parse(String... args) {
        var command = new PounceCommand();
        PounceCommand.parser(command, quiet(), plugins()).parseArgs(args);
        return command.options.toConfig();
    }

    static PluginFlags plugins() {
        return PluginFlags.of(Server.configSections());
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
