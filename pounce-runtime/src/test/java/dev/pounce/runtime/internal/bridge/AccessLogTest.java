package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.WebSocketSummary;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The access log's lines, text and JSON, the JSON read back by a real parser; and the small formats under them. */
class AccessLogTest {

    private static final ConnectionInfo TCP = new ConnectionInfo(1, new WorkerIdentity(3, 1),
            Optional.of(new Endpoint("::1", 5000)), Optional.of(new Endpoint("::1", 8000)), false);
    private static final ConnectionInfo UNIX = new ConnectionInfo(1, new WorkerIdentity(3, 1),
            Optional.empty(), Optional.of(new Endpoint("/run/p.sock", 0)), false);

    private final AccessLog json = new AccessLog(true, "json", new WorkerIdentity(3, 1));
    private final AccessLog text = new AccessLog(true, "text", new WorkerIdentity(3, 1));

    @Test
    void theTextLineHasEveryPartInThePythonPouncesOrder() {
        assertEquals("[::1]:5000 - \"GET /a?b=1 HTTP/1.1\" 200 12 0.3ms [abc] w3",
                text.line(TCP.client(), "GET", "/a?b=1", "1.1", 200, 12, 250_000, "abc"));
        assertEquals("unix - \"POST / HTTP/2\" 500 22 1234.6ms [abc] w3",
                text.line(UNIX.client(), "POST", "/", "2", 500, 22, 1_234_567_890L, "abc"));
    }

    @Test
    void theJsonLineHasTheStableKeys() {
        String line = json.jsonLine(TCP.client(), "GET", "/a?b=1", "1.1", 200, 12, 250_000, "abc", null, null);
        assertTrue(line.matches("\\{\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",\"level\":\"info\","
                + "\"method\":\"GET\",\"path\":\"/a\",\"query\":\"b=1\",\"status\":200,\"bytes\":12,"
                + "\"duration_ms\":0\\.250,\"protocol\":\"HTTP/1\\.1\",\"client\":\"\\[::1]:5000\",\"req_id\":\"abc\","
                + "\"worker\":3}"), line);
        assertTrue(json.jsonLine(UNIX.client(), "GET", "/", "2", 503, 0, 1, "x", null, null)
                .contains("\"level\":\"warn\""));
    }

    @Test
    void everyJsonLineIsReadByARealJsonParser() throws Exception {
        List<String> lines = List.of(
                json.jsonLine(TCP.client(), "GET", "/we\"ird\\path\u0001\u007f/é?q=\"x\"", "1.1", 200, 3, 1_500_000_000L,
                        "id", null, null),
                json.jsonLine(UNIX.client(), "PUT", "/", "2", 502, 0, 10, "id", null, null),
                json.jsonLine(TCP.client(), "GET", "/ws", "1.1", 101, 9, 5, "id",
                        Optional.of(new WebSocketSummary(1, 2, 3, 4, 1000)), null),
                json.jsonLine(TCP.client(), "CONNECT", "/ws", "2", 403, 0, 5, "id", Optional.empty(), null),
                json.jsonLine(TCP.client(), null, null, null, 400, 0, -1, "id", null, "bad \"header\"\n"),
                new AccessLog(true, "json", DrainBridge.SERVER).jsonLine(TCP.client(), "GET", "/", "1.1", 503, 23, 9, "id",
                        null, null));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        Path file = Files.createTempFile("access", ".jsonl");
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            // Each line on its own, strictly: no NaN, every key checked for its type.
            String script = """
                    import json, sys
                    def strict(c): raise ValueError(c)
                    for n, line in enumerate(open(sys.argv[1], encoding='utf-8')):
                        o = json.loads(line, parse_constant=strict)
                        assert isinstance(o['ts'], str) and o['level'] in ('info', 'warn'), o
                        assert isinstance(o['status'], int) and isinstance(o['bytes'], int), o
                        assert o['worker'] is None or isinstance(o['worker'], int), o
                        print(json.dumps([o['method'], o['path'], o['query'], o['status'], o['duration_ms'],
                                          o['client'], o['worker'], o.get('websocket'), o.get('close'),
                                          o.get('reason')]))
                    """;
            var p = new ProcessBuilder("/usr/bin/python3", "-c", script, file.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            List<String> parsed = out.lines().toList();
            assertEquals("[\"GET\", \"/we\\\"ird\\\\path\\u0001\\u007f/\\u00e9\", \"q=\\\"x\\\"\", 200, 1500.0, "
                    + "\"[::1]:5000\", 3, null, null, null]", parsed.get(0));
            assertEquals("[\"PUT\", \"/\", \"\", 502, 0.0, null, 3, null, null, null]", parsed.get(1));
            assertEquals("[\"GET\", \"/ws\", \"\", 101, 0.0, \"[::1]:5000\", 3, true, 1000, null]", parsed.get(2));
            assertEquals("[\"CONNECT\", \"/ws\", \"\", 403, 0.0, \"[::1]:5000\", 3, true, null, null]",
                    parsed.get(3));
            assertEquals("[null, null, null, 400, null, \"[::1]:5000\", 3, null, null, \"bad \\\"header\\\"\\n\"]",
                    parsed.get(4));
            assertEquals("[\"GET\", \"/\", \"\", 503, 0.0, \"[::1]:5000\", null, null, null, null]", parsed.get(5));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aLoneSurrogateIsEscapedSoTheLineStaysValidUtf8() {
        assertEquals("\"a\\ud800b\"", JsonText.string(new StringBuilder(), "a\ud800b").toString());
        assertEquals("\"\ud83d\ude00\"", JsonText.string(new StringBuilder(), "\ud83d\ude00").toString());
        assertEquals("null", JsonText.string(new StringBuilder(), null).toString());
    }

    @Test
    void millisecondsAreRoundedHalfUp() {
        assertEquals("0.000", Millis.of(0, 3));
        assertEquals("0.001", Millis.of(500, 3));
        assertEquals("12.346", Millis.of(12_345_600, 3));
        assertEquals("1500.0", Millis.of(1_500_000_000L, 1));
        assertEquals("0.5", Millis.of(450_000, 1));
        assertEquals("0.0", Millis.of(-5, 1));
        assertEquals("3", Millis.of(2_500_000, 0));
    }

    private static ConnectionInfo peer(Optional<Endpoint> client) {
        return new ConnectionInfo(1, new WorkerIdentity(0, 0), client, Optional.empty(), false);
    }

    @Test
    void requestIdsAreCheckedAndPeersTrustedOnlyOnThisHost() {
        assertTrue(RequestIds.valid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assertTrue(RequestIds.valid("Root=1-5759e988/bd862e3f+e1be46a9=="));
        assertFalse(RequestIds.valid("a b"));
        assertFalse(RequestIds.valid("a\r\nx-evil: 1"));
        assertFalse(RequestIds.valid("<script>"));
        assertFalse(RequestIds.valid("é"));
        assertTrue(RequestIds.valid("x".repeat(128)));
        assertFalse(RequestIds.valid("x".repeat(129)));
        // By default (--forwarded-allow-ips), trusted means this host: loopback or a Unix domain socket.
        var byDefault = new ProxyHeaders(dev.pounce.api.ServerConfig.defaults().forwardedAllowIps());
        assertTrue(byDefault.trusts(peer(Optional.empty())));
        assertTrue(byDefault.trusts(peer(Optional.of(new Endpoint("127.0.0.1", 1)))));
        assertTrue(byDefault.trusts(peer(Optional.of(new Endpoint("127.1.2.3", 1)))));
        assertTrue(byDefault.trusts(peer(Optional.of(new Endpoint("0:0:0:0:0:0:0:1", 1)))));
        assertTrue(byDefault.trusts(peer(Optional.of(new Endpoint("::ffff:127.0.0.1", 1)))));
        assertTrue(byDefault.trusts(peer(Optional.of(new Endpoint("/run/client.sock", 0)))));
        assertFalse(byDefault.trusts(peer(Optional.of(new Endpoint("10.0.0.1", 1)))));
        assertFalse(byDefault.trusts(peer(Optional.of(new Endpoint("2001:db8::1", 1)))));
        assertFalse(byDefault.trusts(peer(Optional.of(new Endpoint("localhost", 1)))));
        assertTrue(RequestIds.generate().matches("[0-9a-f]{32}"));
    }

    @Test
    void anAccessLogSwitchedOffWritesNothing() {
        assertFalse(new AccessLog(false, "json", new WorkerIdentity(0, 0)).enabled());
        assertTrue(new AccessLog(true, "json", new WorkerIdentity(0, 0)).enabled());
    }
}
