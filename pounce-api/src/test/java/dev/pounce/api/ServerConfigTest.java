package dev.pounce.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    private static ConfigException invalid(UnaryOperator<ServerConfig.Builder> change) {
        return assertThrows(ConfigException.class, () -> change.apply(ServerConfig.builder()).build());
    }

    @Test
    void defaultsFollowUvicorn() {
        var c = ServerConfig.defaults();
        assertEquals("127.0.0.1", c.host());
        assertEquals(8000, c.port());
        assertEquals(1, c.workers());
        assertEquals("auto", c.workerStrategy());
        assertEquals(Limits.DEFAULT, c.limits());
        assertEquals(Timeouts.DEFAULT, c.timeouts());
    }

    @Test
    void portRangeIsCheckedAtTheEdges() {
        assertEquals(0, ServerConfig.builder().port(0).build().port());
        assertEquals(65535, ServerConfig.builder().port(65535).build().port());
        var e = invalid(b -> b.port(65536));
        assertEquals("port", e.field());
        assertEquals("port must be between 0 and 65535, got 65536", e.getMessage());
        assertEquals("port", invalid(b -> b.port(-1)).field());
    }

    @Test
    void workersZeroMeansOnePerProcessor() {
        assertEquals(Runtime.getRuntime().availableProcessors(), ServerConfig.builder().workers(0).build()
                .resolvedWorkers());
        assertEquals("workers", invalid(b -> b.workers(-1)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "/api/", "//"})
    void rootPathMustStartWithSlashAndNotEndWithOne(String root) {
        assertEquals("rootPath", invalid(b -> b.rootPath(root)).field());
    }

    @Test
    void limitsNameTheirField() {
        assertEquals("maxHeaderSize", invalid(b -> b.maxHeaderSize(1023)).field());
        assertEquals(1024, ServerConfig.builder().maxHeaderSize(1024).build().limits().maxHeaderSize());
        assertEquals("maxHeaders", invalid(b -> b.maxHeaders(0)).field());
        assertEquals("maxRequestBodySize", invalid(b -> b.maxRequestBodySize(-1)).field());
        assertEquals("maxRequestLineSize", invalid(b -> b.maxRequestLineSize(63)).field());
    }

    @Test
    void timeoutsMustBePositive() {
        var e = invalid(b -> b.keepAliveTimeout(Duration.ZERO));
        assertEquals("keepAliveTimeout", e.field());
        assertTrue(e.getMessage().startsWith("keepAliveTimeout must be more than 0"), e.getMessage());
        assertEquals(Duration.ZERO, ServerConfig.builder().gracefulShutdownTimeout(Duration.ZERO).build()
                .timeouts().gracefulShutdown());
        assertEquals("gracefulShutdownTimeout", invalid(b -> b.gracefulShutdownTimeout(Duration.ofSeconds(-1))).field());
    }

    @Test
    void enumeratedValuesAreChecked() {
        assertEquals("transport", invalid(b -> b.transport("kqueue")).field());
        assertEquals("logLevel", invalid(b -> b.logLevel("loud")).field());
        assertEquals("warning", ServerConfig.builder().logLevel("WARN").build().logLevel());
        assertEquals("io_uring", ServerConfig.builder().transport("IO_URING").build().transport());
    }

    @ParameterizedTest
    @ValueSource(strings = {"healthz", "", "/health z", "/healthz?x=1", "/h#z", "/\u00e9", "/a\r\nb"})
    void aHealthPathMustBeAPathARequestLineCanCarry(String path) {
        var e = invalid(b -> b.healthPath(path));
        assertEquals("healthPath", e.field());
        assertTrue(e.getMessage().startsWith("healthPath must be a path starting with '/'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics", "", "/met rics", "/metrics?x=1", "/m#z", "/\u00e9", "/a\r\nb"})
    void aMetricsPathMustBeAPathARequestLineCanCarry(String path) {
        var e = invalid(b -> b.metricsPath(path));
        assertEquals("metricsPath", e.field());
        assertTrue(e.getMessage().startsWith("metricsPath must be a path starting with '/'"), e.getMessage());
        assertTrue(e.getMessage().contains("such as /metrics"), e.getMessage());
    }

    @Test
    void theMetricsPathIsOffByDefaultTakesUpTo1024CharactersAndIsNotTheHealthPath() {
        assertEquals(java.util.Optional.empty(), ServerConfig.defaults().metricsPath());
        String longest = "/" + "m".repeat(1023);
        assertEquals(java.util.Optional.of(longest), ServerConfig.builder().metricsPath(longest).build().metricsPath());
        assertEquals("metricsPath", invalid(b -> b.metricsPath(longest + "m")).field());
        var same = invalid(b -> b.metricsPath("/ops").healthPath("/ops"));
        assertEquals("metricsPath", same.field());
        assertEquals("metricsPath must differ from healthPath, both are '/ops'", same.getMessage());
        assertEquals(java.util.Optional.of("/metrics"), ServerConfig.builder().healthPath("/healthz")
                .metricsPath("/metrics").build().metricsPath());
    }

    @Test
    void operatorSettingsAreOffOrPlainByDefault() {
        var c = ServerConfig.defaults();
        assertEquals(java.util.Optional.empty(), c.healthPath());
        assertEquals("text", c.accessLogFormat());
        assertEquals(false, c.serverTiming());
        assertEquals(java.util.Optional.of("/readyz"),
                ServerConfig.builder().healthPath("/readyz").build().healthPath());
        assertEquals("healthPath", invalid(b -> b.healthPath("/" + "x".repeat(1024))).field());
        assertEquals("json", ServerConfig.builder().accessLogFormat("JSON").build().accessLogFormat());
        var e = invalid(b -> b.accessLogFormat("xml"));
        assertEquals("accessLogFormat", e.field());
        assertEquals("accessLogFormat must be one of text, json, got 'xml'", e.getMessage());
    }

    @Test
    void serverHeaderCannotSplitAResponse() {
        assertEquals("serverHeader", invalid(b -> b.serverHeader("x\r\nSet-Cookie: a=b")).field());
    }

    @Test
    void toBuilderRoundTrips() {
        var c = ServerConfig.builder().port(0).workers(3).rootPath("/api").maxHeaders(7).healthPath("/healthz")
                .metricsPath("/metrics")
                .accessLogFormat("json").serverTiming(true).forwardedAllowIps(List.of("10.0.0.0/8", "::1")).build();
        assertEquals(c, c.toBuilder().build());
    }

    // ---- load limits ----

    @Test
    void loadLimitsAreOffByDefaultWithThePythonPouncesFigures() {
        LoadLimits l = ServerConfig.defaults().loadLimits();
        assertEquals(LoadLimits.DEFAULT, l);
        assertEquals(0, l.limitConcurrency());
        assertEquals(0, l.limitQueue());
        assertFalse(l.rateLimitEnabled());
        assertEquals(100.0, l.rateLimitRequestsPerSecond());
        assertEquals(200, l.rateLimitBurst());
        assertEquals(100_000, l.rateLimitMaxTrackedIps());
        assertEquals(64, l.rateLimitIpv6Prefix());
    }

    @Test
    void eachLoadLimitIsCheckedAtItsEdges() {
        var edges = ServerConfig.builder().limitConcurrency(1).limitQueue(Integer.MAX_VALUE)
                .queueTimeout(Duration.ofNanos(1)).rateLimitEnabled(true).rateLimitRequestsPerSecond(1e9)
                .rateLimitBurst(1).rateLimitMaxTrackedIps(LoadLimits.MAX_TRACKED).rateLimitIpv6Prefix(16).build()
                .loadLimits();
        assertEquals(new LoadLimits(1, Integer.MAX_VALUE, Duration.ofNanos(1), true, 1e9, 1, 10_000_000, 16), edges);
        assertEquals(128, ServerConfig.builder().rateLimitIpv6Prefix(128).build().loadLimits().rateLimitIpv6Prefix());
        assertEquals(LoadLimits.MAX_BURST,
                ServerConfig.builder().rateLimitBurst(LoadLimits.MAX_BURST).build().loadLimits().rateLimitBurst());
        assertEquals(Duration.ofDays(1), ServerConfig.builder().queueTimeout(Duration.ofDays(1)).build().loadLimits()
                .queueTimeout());

        assertEquals("limitConcurrency", invalid(b -> b.limitConcurrency(-1)).field());
        assertEquals("limitQueue", invalid(b -> b.limitConcurrency(1).limitQueue(-1)).field());
        assertEquals("queueTimeout", invalid(b -> b.queueTimeout(Duration.ZERO)).field());
        assertEquals("queueTimeout", invalid(b -> b.queueTimeout(Duration.ofDays(1).plusNanos(1))).field());
        assertEquals("queueTimeout", invalid(b -> b.queueTimeout(null)).field());
        for (double rate : new double[]{0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e9 + 1}) {
            var e = invalid(b -> b.rateLimitRequestsPerSecond(rate));
            assertEquals("rateLimitRequestsPerSecond", e.field(), e.getMessage());
            assertTrue(e.getMessage().startsWith("rateLimitRequestsPerSecond must be more than 0 and at most "
                    + "1000000000, got "), e.getMessage());
        }
        assertEquals("rateLimitBurst", invalid(b -> b.rateLimitBurst(0)).field());
        assertEquals("rateLimitBurst", invalid(b -> b.rateLimitBurst(LoadLimits.MAX_BURST + 1)).field());
        assertEquals("rateLimitMaxTrackedIps", invalid(b -> b.rateLimitMaxTrackedIps(0)).field());
        assertEquals("rateLimitMaxTrackedIps", invalid(b -> b.rateLimitMaxTrackedIps(LoadLimits.MAX_TRACKED + 1))
                .field());
        assertEquals("rateLimitIpv6Prefix must be between 16 and 128, got 15",
                invalid(b -> b.rateLimitIpv6Prefix(15)).getMessage());
        assertEquals("rateLimitIpv6Prefix", invalid(b -> b.rateLimitIpv6Prefix(129)).field());
    }

    @Test
    void aQueueNeedsACap() {
        var e = invalid(b -> b.limitQueue(1));
        assertEquals("limitQueue", e.field());
        assertEquals("limitQueue needs limitConcurrency above 0, since a queue waits for a free slot under that cap",
                e.getMessage());
        assertEquals(1, ServerConfig.builder().limitConcurrency(1).limitQueue(1).build().loadLimits().limitQueue());
    }

    @Test
    void loadLimitsSurviveToBuilder() {
        var c = ServerConfig.builder().limitConcurrency(8).limitQueue(4).queueTimeout(Duration.ofMillis(300))
                .rateLimitEnabled(true).rateLimitRequestsPerSecond(2.5).rateLimitBurst(5).rateLimitMaxTrackedIps(9)
                .rateLimitIpv6Prefix(48).build();
        assertEquals(c, c.toBuilder().build());
    }

    // ---- trusted proxies ----

    @Test
    void loopbackIsTrustedByDefault() {
        TrustedProxies t = ServerConfig.defaults().forwardedAllowIps();
        assertEquals(TrustedProxies.LOOPBACK, t);
        assertEquals("127.0.0.0/8,::1", t.toString());
        assertTrue(t.trusts("127.0.0.1"));
        assertTrue(t.trusts("0:0:0:0:0:0:0:1"));
        assertTrue(t.trusts("::ffff:127.0.0.1"), "an IPv4-mapped address is its IPv4 address");
        assertTrue(t.trusts("127.0.0.2"));
        assertFalse(t.trusts("128.0.0.1"));
        assertFalse(t.trusts("192.0.2.1"));
        assertFalse(t.trusts("/run/pounce.sock"));
    }

    @Test
    void itemsAreAddressesBlocksOrStarGivenOneByOneOrCommaSeparated() {
        TrustedProxies t = ServerConfig.builder()
                .forwardedAllowIps(List.of("10.0.0.0/8, 192.0.2.7", "2001:db8::/32", "172.16.0.0/12,")).build()
                .forwardedAllowIps();
        assertEquals(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "172.16.0.0/12"), t.items());
        assertTrue(t.trusts("10.255.0.1"));
        assertFalse(t.trusts("11.0.0.1"));
        assertTrue(t.trusts("192.0.2.7"));
        assertFalse(t.trusts("192.0.2.8"));
        assertTrue(t.trusts("2001:db8:ffff::1"));
        assertFalse(t.trusts("2001:db9::1"));
        assertTrue(t.trusts("172.31.255.255"));
        assertFalse(t.trusts("172.32.0.0"));
        assertFalse(t.trusts("127.0.0.1"), "the list replaces the default");
        TrustedProxies odd = TrustedProxies.of(List.of("192.0.2.128/25", "0.0.0.0/0"));
        assertTrue(odd.trusts("8.8.8.8"));
        assertFalse(TrustedProxies.of(List.of("192.0.2.128/25")).trusts("192.0.2.127"));
        assertTrue(TrustedProxies.of(List.of("192.0.2.128/25")).trusts("192.0.2.128"));
        assertTrue(TrustedProxies.of(List.of("192.0.2.0/23")).trusts("192.0.3.200"));
        assertFalse(TrustedProxies.of(List.of("192.0.2.0/23")).trusts("192.0.4.0"));
        TrustedProxies all = ServerConfig.builder().forwardedAllowIps(List.of("*")).build().forwardedAllowIps();
        assertTrue(all.everyone());
        assertTrue(all.trusts("203.0.113.9"));
        TrustedProxies none = ServerConfig.builder().forwardedAllowIps(List.of("")).build().forwardedAllowIps();
        assertEquals(List.of(), none.items());
        assertFalse(none.trusts("127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "10.1", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/a", "1.2.3.4.5",
            "256.0.0.1", "fe80::1%eth0", "[::1]", "10.0.0.1:80", "**"})
    void aBadItemIsNamed(String item) {
        var e = invalid(b -> b.forwardedAllowIps(List.of("127.0.0.1", item)));
        assertEquals("forwardedAllowIps", e.field());
        assertTrue(e.getMessage().startsWith("forwardedAllowIps takes IP addresses, CIDR blocks such as 10.0.0.0/8, "
                + "or *: '" + item + "' "), e.getMessage());
    }

    @Test
    void aBadPrefixSaysTheRange() {
        assertEquals("forwardedAllowIps takes IP addresses, CIDR blocks such as 10.0.0.0/8, or *: '10.0.0.0/33' has "
                + "a prefix length that is not 0 to 32", invalid(b -> b.forwardedAllowIps(List.of("10.0.0.0/33")))
                .getMessage());
        assertEquals("forwardedAllowIps takes IP addresses, CIDR blocks such as 10.0.0.0/8, or *: 'proxy.local' is "
                + "not an IP address or *", invalid(b -> b.forwardedAllowIps(List.of("proxy.local"))).getMessage());
    }
}
