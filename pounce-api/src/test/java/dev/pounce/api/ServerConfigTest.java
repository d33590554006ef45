package dev.pounce.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                .accessLogFormat("json").serverTiming(true).build();
        assertEquals(c, c.toBuilder().build());
    }
}
