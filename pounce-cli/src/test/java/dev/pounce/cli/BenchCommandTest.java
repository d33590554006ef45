package dev.pounce.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code pounce bench}: real runs against the built-in app and against a server the test starts. */
class BenchCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run bench(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var all = new ArrayList<String>();
        all.add("bench");
        all.addAll(List.of(args));
        int status = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Reads the JSON output with Python's parser, strictly, and gives one line per result:
     * {@code server workload protocol requests errors total cpu_known}, then one line per ratio.
     */
    private static List<String> parse(String json, Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        Path file = dir.resolve("bench.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        String script = """
                import json, sys
                def strict(c): raise ValueError(c)
                o = json.loads(open(sys.argv[1], encoding='utf-8').read(), parse_constant=strict)
                for r in o['results']:
                    l = r['latency_us']
                    assert l['p50'] <= l['p90'] <= l['p99'] <= l['p99_9'] <= l['max'], r
                    assert isinstance(r['requests_per_second'], (int, float)), r
                    print(r['server'], r['workload'], r['protocol'], r['requests'], r['errors'], r['total_requests'],
                          r['server_cpu_us_per_request'] is not None, r['peak_rss_bytes'] is not None)
                for q in o['ratios']:
                    print('ratio', q['workload'], q['protocol'], q['requests_per_second'] > 0, q['p99'] > 0)
                """;
        var process = new ProcessBuilder("/usr/bin/python3", "-c", script, file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output + "\n" + json);
        return output.lines().toList();
    }

    @Test
    void everyWorkloadOverEveryProtocolAnswersWithoutErrorsAndTheReportDrawsACurveForEach(@TempDir Path dir)
            throws Exception {
        Path html = dir.resolve("bench.html");
        Run run = bench("--duration", "1", "--warmup", "0.2", "--connections", "2", "--streams", "2",
                "--protocols", "h1,h1-close,h2c", "--output-format", "json", "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        List<String> lines = parse(run.out(), dir);
        assertEquals(12, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            String[] f = line.split(" ");
            assertEquals("pounce", f[0], line);
            assertTrue(Long.parseLong(f[3]) > 0, "requests: " + line);
            assertEquals("0", f[4], "errors: " + line);
            assertTrue(Long.parseLong(f[5]) >= Long.parseLong(f[3]), "total: " + line);
            // The server is ours: its CPU time and its peak RSS are known.
            assertEquals("True", f[6], "cpu: " + line);
            assertEquals("True", f[7], "rss: " + line);
        }
        String page = Files.readString(html);
        assertEquals(12, page.split("class=\"curve\"", -1).length - 1, page);
        for (String workload : List.of("plaintext", "json", "echo", "stream")) {
            for (String protocol : List.of("h1", "h1-close", "h2c")) {
                assertTrue(page.contains("data-label=\"pounce " + workload + " " + protocol + "\""), page);
            }
        }
        // Nothing to fetch: no links, no scripts or styles from elsewhere, not even a scheme.
        for (String external : List.of("://", "src=", "href=", "url(", "@import", "<link")) {
            assertFalse(page.contains(external), external + " in " + page);
        }
    }

    @Test
    void againstAnotherServerCountsItsRequestsAsTheServerSawThemAndComparesWithPounce(@TempDir Path dir)
            throws Exception {
        var seen = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/base/plaintext", exchange -> answer(exchange, seen,
                "Hello, World!".getBytes(StandardCharsets.US_ASCII)));
        server.createContext("/base/echo", exchange -> answer(exchange, seen, exchange.getRequestBody()
                .readAllBytes()));
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/base/";
            Run run = bench("--against", url, "--compare", "--workloads", "plaintext,echo",
                    "--protocols", "h1,h1-close", "--duration", "1", "--warmup", "0.2", "--connections", "2",
                    "--output-format", "json");
            assertEquals(0, run.status(), run.err());
            List<String> lines = parse(run.out(), dir);
            long againstTotal = 0;
            int againstRuns = 0;
            int ratios = 0;
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("against")) {
                    againstRuns++;
                    assertEquals("0", f[4], line);
                    assertTrue(Long.parseLong(f[3]) > 0, line);
                    againstTotal += Long.parseLong(f[5]);
                    // Neither --server-pid nor a child of ours: the other server's CPU is not known.
                    assertEquals("False", f[6], line);
                } else if (f[0].equals("ratio")) {
                    ratios++;
                    assertEquals("True", f[3], line);
                }
            }
            assertEquals(4, againstRuns, String.join("\n", lines));
            assertEquals(4, ratios, String.join("\n", lines));
            assertEquals(seen.get(), againstTotal, "requests the JDK server answered vs the client's count");
        } finally {
            server.stop(0);
        }
    }

    /**
     * A fixed rate against a server whose first answer takes 1.5 s: every request due in the 1 s window waits
     * behind it, and its latency counts from its due time, so even the median is at least 0.5 s. Measured from the
     * send time instead, all but the first would be quick. A lower bound only: a slower machine only adds to it.
     */
    @Test
    void aFixedRateCountsLatencyFromTheDueTimeSoAStallShowsInEveryRequestBehindIt(@TempDir Path dir)
            throws Exception {
        var first = new java.util.concurrent.atomic.AtomicBoolean(true);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/plaintext", exchange -> {
            if (first.getAndSet(false)) {
                try {
                    // The server under test stalls; the test itself waits for nothing but the bench's end.
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer(exchange, new AtomicLong(), "Hello, World!".getBytes(StandardCharsets.US_ASCII));
        });
        server.start();
        try {
            Run run = bench("--against", "http://127.0.0.1:" + server.getAddress().getPort(), "--rate", "200",
                    "--connections", "1", "--duration", "1", "--warmup", "0", "--workloads", "plaintext",
                    "--output-format", "json");
            assertEquals(0, run.status(), run.err());
            List<String> lines = parse(run.out(), dir);
            String[] f = lines.getFirst().split(" ");
            // 200 per second for 1 s: exactly the requests due in the window, whenever they were answered.
            assertEquals("200", f[3], lines.getFirst());
            assertEquals("0", f[4], lines.getFirst());
            var p50 = java.util.regex.Pattern.compile("\"p50\":([0-9.]+)").matcher(run.out());
            assertTrue(p50.find(), run.out());
            assertTrue(Double.parseDouble(p50.group(1)) >= 500_000, "p50 " + p50.group(1) + " us: " + run.out());
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, AtomicLong seen, byte[] body) throws IOException {
        seen.incrementAndGet();
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void aTextTableHasAHeadingAndARowPerRun() {
        Run run = bench("--duration", "0.5", "--warmup", "0", "--connections", "1", "--workloads", "json");
        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("pounce bench: pounce bench app on 127.0.0.1:"), run.out());
        assertTrue(lines.get(1).matches("server +workload +protocol +requests +req/s +p50 +p90 +p99 +p99\\.9 +max "
                + "+errors +cpu/req +peak rss"), run.out());
        assertTrue(lines.get(2).matches("pounce +json +h1 +[0-9,]+ .*"), run.out());
        assertEquals(3, lines.size(), run.out());
    }

    @Test
    void aServerThatIsNotThereIsOneLineAndStatus1() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Run run = bench("--against", "http://127.0.0.1:" + port, "--duration", "0.3", "--warmup", "0",
                "--connections", "1", "--workloads", "plaintext");
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("pounce: bench: no request of plaintext over h1 to against succeeded"),
                run.err());
    }

    private static BenchCommand parsed(String... args) {
        var command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @ParameterizedTest
    @CsvSource({"--connections,1", "--connections,10000", "--streams,1", "--streams,1000", "--client-threads,1",
            "--client-threads,256", "--rate,0", "--rate,10000000", "--warmup,0", "--warmup,86400",
            "--duration,0.001", "--duration,86400"})
    void theEdgesOfEachLimitAreAccepted(String flag, String value) {
        assertDoesNotThrow(() -> parsed(flag, value).settings());
    }

    @ParameterizedTest
    @CsvSource({"--connections,0", "--connections,10001", "--streams,0", "--streams,1001", "--client-threads,0",
            "--client-threads,257", "--rate,-1", "--rate,10000001", "--warmup,-0.5", "--warmup,86401",
            "--duration,0", "--duration,86401", "--workloads,hello", "--protocols,h3"})
    void aValueOutOfRangeIsRefusedWithItsFlagAndStatus2(String flag, String value) {
        var e = assertThrows(BenchCommand.BadValue.class, () -> parsed(flag, value).settings());
        assertTrue(e.getMessage().startsWith(flag), e.getMessage());
        Run run = bench(flag, value);
        assertEquals(2, run.status(), run.out());
        assertTrue(run.err().startsWith("pounce: " + flag), run.err());
    }

    @ParameterizedTest
    @CsvSource({"--compare,--compare needs --against", "https://example.com,--against must be an http://"})
    void flagsThatNeedAnotherOrAPlainUrlAreRefused(String arg, String message) {
        Run run = arg.startsWith("--") ? bench(arg) : bench("--against", arg);
        assertEquals(2, run.status(), run.out());
        assertTrue(run.err().startsWith("pounce: " + message), run.err());
    }
}
