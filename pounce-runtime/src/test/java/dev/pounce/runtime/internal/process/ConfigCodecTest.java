package dev.pounce.runtime.internal.process;

import dev.pounce.api.ServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCodecTest {

    /** A folder for the static mounts, which must exist; its name holds the characters the codec escapes. */
    private static final Path STATIC_DIR;

    static {
        try {
            STATIC_DIR = java.nio.file.Files.createTempDirectory("static a=b:c").toRealPath();
            STATIC_DIR.toFile().deleteOnExit();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A config whose every field differs from the default, so a field the codec forgets fails the round trip. */
    static ServerConfig everyFieldChanged() {
        return ServerConfig.builder()
                .host("::1").port(9123).uds(Path.of("/tmp/a b=c:d.sock")).workers(3).workerStrategy("process")
                .backlog(77).rootPath("/api").transport("nio").dispatch("virtual").reusePort(false).logLevel("debug")
                .accessLog(false).accessLogFormat("json").serverTiming(true).healthPath("/ready:z=1")
                .metricsPath("/metr:ics=2")
                .forwardedAllowIps(java.util.List.of("10.0.0.0/8", "2001:db8::/32", "*"))
                .serverHeader("x = y # z").dateHeader(false)
                .maxRequestLineSize(1000).maxHeaderSize(2000).maxHeaders(30).maxRequestBodySize(5_000_000_000L)
                .maxConnections(99).maxRequestsPerConnection(7).limitMaxRequests(12_345_678_901L)
                .limitConcurrency(64).limitQueue(16).queueTimeout(Duration.ofMillis(250)).rateLimitEnabled(true)
                .rateLimitRequestsPerSecond(0.1 + 0.2).rateLimitBurst(9).rateLimitMaxTrackedIps(1234)
                .rateLimitIpv6Prefix(56)
                .keepAliveTimeout(Duration.ofMillis(1500)).headerTimeout(Duration.ofSeconds(3))
                .requestBodyTimeout(Duration.ofSeconds(4)).writeTimeout(Duration.ofSeconds(5))
                .gracefulShutdownTimeout(Duration.ZERO).startupTimeout(Duration.ofSeconds(7))
                .sslCertFile(Path.of("/etc/cert.pem")).sslKeyFile(Path.of("/etc/ké y.pem"))
                .sslKeyPassword("p=ss\\word\nnewline ünï").sslCaCerts(Path.of("/etc/ca.pem")).sslClientAuth("require")
                // Plugin settings travel as given, whatever plugin owns them; the child's plugins parse them.
                .set("http2.max-concurrent-streams", "10").set("acme.trusted", "10.0.0.0/8, 192.0.2.7=x:y")
                // Static folders keep their order and their Cache-Control, '=' and ':' in the values included.
                .staticFiles(java.util.List.of("/a=" + STATIC_DIR, "/b/c=" + STATIC_DIR))
                .staticCacheControl(java.util.List.of("/b/c=max-age=60, s-maxage=5:x"))
                // Compression: every part changed, the lists in an order of their own.
                .compression(false).compressionMinSize(0).compressionEncodings(java.util.List.of("gzip", "zstd"))
                .compressionTypes(java.util.List.of("text/html", "application/*+json")).compressionGzipLevel(9)
                .compressionZstdLevel(19).compressionBrotliLevel(11)
                .build();
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        ServerConfig c = everyFieldChanged();
        assertEquals(c, ConfigCodec.decode(ConfigCodec.encode(c)));
    }

    @Test
    void theDefaultsSurviveTheRoundTrip() {
        ServerConfig c = ServerConfig.defaults();
        assertEquals(c, ConfigCodec.decode(ConfigCodec.encode(c)));
    }

    @Test
    void theTestConfigChangesEveryField() {
        ServerConfig c = everyFieldChanged();
        ServerConfig d = ServerConfig.defaults();
        // Guards the round trip test: a new field must be added to the codec and to everyFieldChanged().
        assertEquals(26, ServerConfig.class.getRecordComponents().length,
                "ServerConfig gained a field: add it to ConfigCodec and to this test");
        for (var component : ServerConfig.class.getRecordComponents()) {
            try {
                assertNotEquals(component.getAccessor().invoke(d), component.getAccessor().invoke(c),
                        component.getName());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theTestConfigChangesEveryLoadLimit() {
        // The load limits travel as one key each: a field missing from the codec must fail the round trip.
        var changed = everyFieldChanged().loadLimits();
        var defaults = ServerConfig.defaults().loadLimits();
        for (var component : changed.getClass().getRecordComponents()) {
            try {
                assertNotEquals(component.getAccessor().invoke(defaults), component.getAccessor().invoke(changed),
                        component.getName());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theTestConfigChangesEveryCompressionSetting() {
        // Compression travels as one key per part: a part missing from the codec must fail the round trip.
        var changed = everyFieldChanged().compression();
        var defaults = ServerConfig.defaults().compression();
        for (var component : changed.getClass().getRecordComponents()) {
            try {
                assertNotEquals(component.getAccessor().invoke(defaults), component.getAccessor().invoke(changed),
                        component.getName());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void pluginSettingsSurviveTheRoundTripAsText() {
        ServerConfig decoded = ConfigCodec.decode(ConfigCodec.encode(everyFieldChanged()));
        assertEquals("10.0.0.0/8, 192.0.2.7=x:y", decoded.plugins().given().get("acme.trusted"));
        assertEquals("10", decoded.plugins().given().get("http2.max-concurrent-streams"));
    }

    @Test
    void theKeyPasswordIsNotInTheConfigsToString() {
        ServerConfig c = everyFieldChanged();
        assertFalse(c.toString().contains("p=ss"), "the key password leaked into toString");
        assertTrue(ConfigCodec.encode(c).contains("tls.keyPassword="));
    }
}
