package dev.pounce.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product as users run it: child JVMs with the jars on the module path only (no class path), the CLI's main
 * module, the demo app found as the one {@code dev.pounce.api.App} provider, and protocol plugins found by
 * {@link java.util.ServiceLoader}. Every child is killed in a {@code finally} (try-with-resources).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModulePathTest {

    static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
    static final Duration START_BOUND = Duration.ofSeconds(60);
    static final Duration EXIT_BOUND = Duration.ofSeconds(30);

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static ChildJvm serve(List<Path> modulePath, String... args) throws Exception {
        var cmd = ChildJvm.modulePathCommand(modulePath,
                concat(List.of("--host", "127.0.0.1", "--port", "0"), List.of(args)));
        return ChildJvm.start(cmd, Map.of());
    }

    @Test
    void servesTheDemoAppFromTheModulePathAndStopsOnSigterm() throws Exception {
        try (var child = serve(ChildJvm.productJars())) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, START_BOUND).group(1));
            // The HTTP/1.1 plugin was found by ServiceLoader as the named module dev.pounce.h1, not from a class path.
            child.awaitStderr(Pattern.compile("plugin protocol http/1\\.1 \\(dev\\.pounce\\.h1 "), START_BOUND);
            var response = get(port, "/");
            assertEquals(200, response.statusCode(), child.describe());

            child.terminate();
            assertEquals(0, child.awaitExit(EXIT_BOUND), "exit code after SIGTERM\n" + child.describe());
            assertFalse(child.stderr().contains("\n\tat "), "a stack trace in the log:\n" + child.describe());
        }
    }

    /** Every demo route once, through the module-path build: what the README shows users must work. */
    @Test
    void demoRoutesWorkFromTheModulePath() throws Exception {
        try (var child = serve(ChildJvm.productJars())) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, START_BOUND).group(1));
            var json = get(port, "/json");
            assertEquals(200, json.statusCode(), child.describe());
            assertTrue(json.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            assertTrue(json.body().contains("\"worker\":0"), json.body());

            byte[] body = "ping ".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            var echo = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, echo.statusCode());
            assertTrue(java.util.Arrays.equals(body, echo.body()), "echo changed the body");

            var sse = get(port, "/sse?count=3&interval=0");
            assertEquals(200, sse.statusCode());
            assertEquals(3, sse.body().lines().filter(l -> l.startsWith("id: ")).count(), sse.body());

            assertEquals(200, get(port, "/slow?ms=10").statusCode());
            assertEquals(500, get(port, "/crash").statusCode(), "an app exception is a 500, not a crash");
            assertEquals(200, get(port, "/").statusCode(), "the server must survive the app's exception");

            child.terminate();
            assertEquals(0, child.awaitExit(EXIT_BOUND), child.describe());
        }
    }

    @Test
    void refusesToStartWithoutAProtocolPlugin() throws Exception {
        // Every jar that provides a ProtocolHandler: HTTP/2 alone would serve, as a prior-knowledge-only server.
        List<Path> protocols = List.of(ChildJvm.productJar("pounce-h1"), ChildJvm.productJar("pounce-h2"));
        List<Path> withoutProtocols = ChildJvm.productJars().stream().filter(p -> !protocols.contains(p)).toList();
        try (var child = serve(withoutProtocols)) {
            assertEquals(1, child.awaitExit(EXIT_BOUND), child.describe());
            assertTrue(child.stderr().contains("no protocol plugin on the module path"), child.describe());
            assertFalse(child.stderr().contains("serving on"), child.describe());
        }
    }

    /** {@code --workers 2} from the command line: both workers answer the demo's {@code /worker}. */
    @Test
    void twoWorkersBothServe() throws Exception {
        try (var child = serve(ChildJvm.productJars(), "--workers", "2")) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, START_BOUND).group(1));
            Set<String> seen = new TreeSet<>();
            // A fresh connection per request: a new client each time, since HttpClient pools connections.
            for (int i = 0; i < WorkersTest.MAX_CONNECTIONS && seen.size() < 2; i++) {
                try (var conn = dev.pounce.testing.RawConnection.open(
                        new java.net.InetSocketAddress("127.0.0.1", port))) {
                    var r = conn.send("GET /worker HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").readResponse();
                    assertEquals(200, r.status(), r + "\n" + child.describe());
                    String id = r.header("x-pounce-worker")
                            .orElseThrow(() -> new AssertionError("no x-pounce-worker header: " + r));
                    assertTrue(r.text().contains("worker=" + id), r.text());
                    seen.add(id);
                }
            }
            assertEquals(Set.of("0", "1"), seen, child.describe());
            child.terminate();
            assertEquals(0, child.awaitExit(EXIT_BOUND), child.describe());
        }
    }

    /** The distribution's launcher ({@code pounce-cli/target/pounce/bin/pounce}) with the demo on its module path. */
    @Test
    void distributionLauncherServesTheDemo() throws Exception {
        Path launcher = Path.of("..", "pounce-cli", "target", "pounce", "bin", "pounce").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), "no launcher at " + launcher + "; package pounce-cli first");
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "POUNCE_MODULE_PATH", ChildJvm.productJar("pounce-demo").toString());
        try (var child = ChildJvm.start(List.of(launcher.toString(), "--host", "127.0.0.1", "--port", "0"), env)) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, START_BOUND).group(1));
            assertEquals(200, get(port, "/").statusCode(), child.describe());
            child.terminate();
            assertEquals(0, child.awaitExit(EXIT_BOUND), child.describe());
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
