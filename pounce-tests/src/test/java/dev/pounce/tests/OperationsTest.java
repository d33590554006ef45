package dev.pounce.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What an operator relies on, through the product as users run it (the {@code pounce} command on the module path,
 * the demo app, real clients over HTTP/1.1 and HTTP/2): the health endpoint while serving and during a drain, request
 * ids in responses and in the access log, the JSON access log read by a real JSON parser, 5xx at WARN, and
 * {@code Server-Timing}. No test sleeps for time: each waits for the line or the answer it needs, with a bound.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OperationsTest {

    private static final Pattern SERVING = Pattern.compile("serving on http://\\S+?:(\\d+) ");
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern HEALTH = Pattern.compile("\\{\"status\":\"ok\",\"uptime_seconds\":\\d+\\.\\d,"
            + "\"worker_id\":(\\d+),\"generation\":\\d+,\"active_connections\":\\d+}");

    private static final HttpClient H1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static ChildJvm serve(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(List.of(args));
        if (!all.contains("--host")) {
            all.addAll(List.of("--host", "127.0.0.1"));
        }
        return ChildJvm.start(ChildJvm.modulePathCommand(ChildJvm.productJars(), all), Map.of());
    }

    private static HttpResponse<String> send(HttpClient client, String method, String url, String... headers)
            throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<?> r) {
        return r.headers().firstValue("x-request-id").orElseThrow(() -> new AssertionError("no x-request-id: " + r));
    }

    @Test
    void healthRequestIdsAndTheJsonAccessLogOverHttp1AndHttp2ThenHealthDuringTheDrain() throws Exception {
        try (var child = serve("--host", "0.0.0.0", "--health-path", "/healthz", "--access-log-format", "json",
                "--server-timing", "--timeout-graceful-shutdown", "60");
             var h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                     .connectTimeout(Duration.ofSeconds(10)).build()) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, BOUND).group(1));
            String base = "http://127.0.0.1:" + port;

            // Health over HTTP/1.1: GET, HEAD, and another method.
            var get = send(H1, "GET", base + "/healthz");
            assertEquals(200, get.statusCode(), child.describe());
            assertTrue(HEALTH.matcher(get.body()).matches(), get.body());
            assertEquals(Optional.of("application/json"), get.headers().firstValue("content-type"));
            assertTrue(get.headers().firstValue("cache-control").orElse("").contains("no-store"), get.toString());
            assertTrue(HEX32.matcher(id(get)).matches(), id(get));
            var head = send(H1, "HEAD", base + "/healthz");
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertTrue(head.headers().firstValue("content-length").isPresent(), head.headers().toString());
            var post = send(H1, "POST", base + "/healthz");
            assertEquals(405, post.statusCode());
            assertEquals(Optional.of("GET, HEAD"), post.headers().firstValue("allow"));

            // The same over HTTP/2 (h2c: the JDK client upgrades its first request).
            assertEquals(200, send(h2, "GET", base + "/").statusCode());
            var get2 = send(h2, "GET", base + "/healthz");
            assertEquals(HttpClient.Version.HTTP_2, get2.version());
            assertEquals(200, get2.statusCode());
            assertTrue(HEALTH.matcher(get2.body()).matches(), get2.body());
            var head2 = send(h2, "HEAD", base + "/healthz");
            assertEquals(HttpClient.Version.HTTP_2, head2.version());
            assertEquals(200, head2.statusCode());
            assertEquals("", head2.body());

            // Request ids: kept from this (loopback, so trusted) peer when valid, else made; on both protocols.
            var kept = send(H1, "GET", base + "/json", "X-Request-ID", "ops-test-h1.0001");
            assertEquals("ops-test-h1.0001", id(kept));
            var kept2 = send(h2, "GET", base + "/json", "X-Request-ID", "ops-test-h2:0002");
            assertEquals(HttpClient.Version.HTTP_2, kept2.version());
            assertEquals("ops-test-h2:0002", id(kept2));
            var invalid = send(H1, "GET", base + "/json", "X-Request-ID", "has;semicolon");
            assertTrue(HEX32.matcher(id(invalid)).matches(), id(invalid));
            var tooLong = send(h2, "GET", base + "/json", "X-Request-ID", "x".repeat(129));
            assertTrue(HEX32.matcher(id(tooLong)).matches(), id(tooLong));
            String untrustedId = nonLoopbackAddress().map(address -> {
                try {
                    var r = send(H1, "GET", "http://" + address.getHostAddress() + ":" + port + "/json",
                            "X-Request-ID", "from-another-host");
                    assertTrue(HEX32.matcher(id(r)).matches(), "a peer off this host chose its id: " + id(r));
                    return id(r);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).orElse(null);

            // Server-Timing, and a 500 that carries its id.
            assertTrue(kept.headers().firstValue("server-timing").orElse("").matches("app;dur=\\d+\\.\\d{3}"),
                    kept.headers().toString());
            assertTrue(kept2.headers().firstValue("server-timing").isPresent(), kept2.headers().toString());
            var crash = send(H1, "GET", base + "/crash", "X-Request-ID", "ops-test-crash");
            assertEquals(500, crash.statusCode());
            assertEquals("ops-test-crash", id(crash));
            child.awaitStderr(Pattern.compile("ERROR app - app failed on GET /crash \\[ops-test-crash]"),
                    BOUND);

            // The access log: a line per request on stdout, each a JSON object; the probes are not there.
            var last = send(H1, "GET", base + "/", "X-Request-ID", "ops-test-last");
            child.awaitStdout(Pattern.compile("\"req_id\":\"ops-test-last\""), BOUND);
            List<Map<String, String>> lines = JsonLines.parse(child.stdout());
            var h1Line = JsonLines.only(lines, "ops-test-h1.0001");
            assertEquals("\"GET\"", h1Line.get("method"));
            assertEquals("\"/json\"", h1Line.get("path"));
            assertEquals("200", h1Line.get("status"));
            assertEquals("\"HTTP/1.1\"", h1Line.get("protocol"));
            assertEquals("\"info\"", h1Line.get("level"));
            assertEquals("0", h1Line.get("worker"));
            assertTrue(h1Line.get("client").matches("\"127\\.0\\.0\\.1:\\d+\""), h1Line.toString());
            assertTrue(Double.parseDouble(h1Line.get("duration_ms")) >= 0, h1Line.toString());
            assertEquals(kept.body().length(), Integer.parseInt(h1Line.get("bytes")));
            assertEquals("\"HTTP/2\"", JsonLines.only(lines, "ops-test-h2:0002").get("protocol"));
            JsonLines.only(lines, id(invalid));
            JsonLines.only(lines, id(tooLong));
            if (untrustedId != null) {
                JsonLines.only(lines, untrustedId);
            }
            var crashLine = JsonLines.only(lines, "ops-test-crash");
            assertEquals("500", crashLine.get("status"));
            assertEquals("\"warn\"", crashLine.get("level"));
            assertEquals("405", JsonLines.only(lines, id(post)).get("status"));
            for (var probe : List.of(get, head, get2, head2)) {
                assertTrue(lines.stream().noneMatch(l -> l.get("req_id").equals('"' + id(probe) + '"')),
                        "a probe is in the access log: " + id(probe) + "\n" + child.stdout());
            }
            assertEquals(200, last.statusCode());

            // The drain: while a stream is in flight, the probe says 503 draining from the moment it begins.
            try (var sse = new Socket("127.0.0.1", port)) {
                sse.setSoTimeout(20_000);
                sse.getOutputStream().write("GET /sse?count=1000&interval=100 HTTP/1.1\r\nHost: t\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                var events = new BufferedReader(new InputStreamReader(sse.getInputStream(), StandardCharsets.UTF_8));
                awaitEvent(events);
                child.terminate();
                child.awaitStderr(Pattern.compile("shutting down \\("), BOUND);

                var draining = send(HttpClient.newHttpClient(), "GET", base + "/healthz");
                assertEquals(503, draining.statusCode(), draining.headers().toString());
                assertEquals("{\"status\":\"draining\"}", draining.body());
                assertTrue(draining.headers().firstValue("cache-control").orElse("").contains("no-store"));
                assertTrue(HEX32.matcher(id(draining)).matches());
                var drainingHead = send(HttpClient.newHttpClient(), "HEAD", base + "/healthz");
                assertEquals(503, drainingHead.statusCode());
                // HTTP/2 late arrivals get GOAWAY at once, which a client sees as a refusal: never a 200.
                try {
                    assertEquals(503, send(h2, "GET", base + "/healthz").statusCode());
                } catch (IOException refused) {
                    // Refused: the probe fails, as it must.
                }
                // The stream is still being served: the drain waits for it.
                awaitEvent(events);
            }
            assertEquals(0, child.awaitExit(BOUND), child.describe());
            assertFalse(JsonLines.parse(child.stdout()).isEmpty());
        }
    }

    @Test
    void theTextAccessLogCarriesTheIdAndTheWorkerAnd5xxAreWarnings() throws Exception {
        try (var child = serve("--health-path", "/readyz")) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, BOUND).group(1));
            String base = "http://127.0.0.1:" + port;
            assertEquals(200, send(H1, "GET", base + "/readyz").statusCode());
            var ok = send(H1, "GET", base + "/json?x=1", "X-Request-ID", "text-ok");
            assertEquals("text-ok", id(ok));
            assertTrue(ok.headers().firstValue("server-timing").isEmpty(), "Server-Timing without the flag");
            child.awaitStderr(Pattern.compile("INFO access - 127\\.0\\.0\\.1:\\d+ - \"GET /json\\?x=1 HTTP/1\\.1\" "
                    + "200 " + ok.body().length() + " \\d+\\.\\dms \\[text-ok] w0\n"), BOUND);
            var crash = send(H1, "GET", base + "/crash");
            assertEquals(500, crash.statusCode());
            child.awaitStderr(Pattern.compile("WARN access - 127\\.0\\.0\\.1:\\d+ - \"GET /crash HTTP/1\\.1\" 500 \\d+ "
                    + "\\d+\\.\\dms \\[" + id(crash) + "] w0\n"), BOUND);
            // A request the protocol refuses itself (a body over the limit) is logged with the id it answered.
            try (var raw = new Socket("127.0.0.1", port)) {
                raw.setSoTimeout(20_000);
                raw.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
                var rejectedId = Pattern.compile("(?i)\r\nx-request-id: ([0-9a-f]{32})\r\n").matcher(answer);
                assertTrue(rejectedId.find(), answer);
                child.awaitStderr(Pattern.compile("INFO access - 127\\.0\\.0\\.1:\\d+ - \"-\" 413 0 - \\["
                        + rejectedId.group(1) + "] w0 \\("), BOUND);
            }
            assertFalse(child.stderr().contains("/readyz"), "a probe is in the access log:\n" + child.stderr());
            assertEquals("", child.stdout(), "the text access log goes to stderr only");
            child.terminate();
            assertEquals(0, child.awaitExit(BOUND), child.describe());
        }
    }

    /** Process workers get the settings over the control channel, and their JSON lines reach the same stdout. */
    @Test
    void processWorkersAnswerHealthAndLogJson() throws Exception {
        try (var child = serve("--workers", "2", "--worker-strategy", "process", "--health-path", "/healthz",
                "--access-log-format", "json")) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, BOUND).group(1));
            String base = "http://127.0.0.1:" + port;
            var health = send(H1, "GET", base + "/healthz");
            assertEquals(200, health.statusCode(), child.describe());
            var m = HEALTH.matcher(health.body());
            assertTrue(m.matches(), health.body());
            assertTrue(m.group(1).equals("0") || m.group(1).equals("1"), health.body());
            var r = send(H1, "GET", base + "/worker", "X-Request-ID", "process-1");
            assertEquals("process-1", id(r));
            child.awaitStdout(Pattern.compile("\"req_id\":\"process-1\""), BOUND);
            var line = JsonLines.only(JsonLines.parse(child.stdout()), "process-1");
            assertEquals(r.body().replaceAll("worker=(\\d+).*\\s*", "$1"), line.get("worker"));
            child.terminate();
            assertEquals(0, child.awaitExit(BOUND), child.describe());
        }
    }

    private static void awaitEvent(BufferedReader events) throws IOException {
        for (String line; (line = events.readLine()) != null; ) {
            if (line.startsWith("data:")) {
                return;
            }
        }
        fail("the event stream ended");
    }

    /** A local IPv4 address that is not loopback: a connection to it comes from a peer that is not trusted. */
    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        var found = NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (IOException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
        if (found.isEmpty()) {
            System.out.println("OperationsTest: no non-loopback IPv4 address here; the untrusted peer is not tried");
        }
        return found;
    }

    /** Every line of the JSON access log, read by Python's json module: one object per line or the test fails. */
    static final class JsonLines {

        private JsonLines() {
        }

        /** @return each line's keys and their values as JSON text ({@code "GET"}, {@code 200}, {@code null}) */
        static List<Map<String, String>> parse(String stdout) throws Exception {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
            Path file = Files.createTempFile("access", ".jsonl");
            try {
                Files.writeString(file, stdout, StandardCharsets.UTF_8);
                String script = """
                        import json, sys
                        def strict(c): raise ValueError(c)
                        for line in open(sys.argv[1], encoding='utf-8'):
                            o = json.loads(line, parse_constant=strict)
                            assert type(o) is dict, line
                            print('\\t'.join(k + '=' + json.dumps(v) for k, v in o.items()))
                        """;
                var p = new ProcessBuilder("/usr/bin/python3", "-c", script, file.toString()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), "stdout is not one JSON object per line: " + err + "\n" + stdout);
                List<Map<String, String>> lines = new ArrayList<>();
                for (String line : out.lines().toList()) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (String kv : line.split("\t")) {
                        int eq = kv.indexOf('=');
                        fields.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    lines.add(fields);
                }
                return lines;
            } finally {
                Files.deleteIfExists(file);
            }
        }

        /** @return the one line of this request id */
        static Map<String, String> only(List<Map<String, String>> lines, String requestId) {
            var matching = lines.stream().filter(l -> ('"' + requestId + '"').equals(l.get("req_id"))).toList();
            assertEquals(1, matching.size(), "lines for " + requestId + ": " + matching + " of " + lines);
            assertNotEquals(null, matching.getFirst().get("ts"));
            return matching.getFirst();
        }
    }
}
