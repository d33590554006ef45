package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifespanScope;
import dev.pounce.api.Message;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;
import dev.pounce.runtime.Server;
import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --metrics-path} through real clients: the exact values after a known sequence of requests over HTTP/1.1 and
 * HTTP/2 (a 413 the protocol answers itself, a client that leaves before its response, an app failure), the gauges
 * while a request and connections are held open, WebSocket sessions and messages, HTTP/3, and the whole exposition
 * read by Prometheus's {@code promtool}. Each test compares scrapes taken before and after what it does, and waits
 * for the values it expects with a bound (the server records a request's end after the client has its answer).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetricsTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final MetricsApp APP = new MetricsApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, c -> c.metricsPath("/metrics").healthPath("/healthz")
            .maxRequestBodySize(1024).accessLog(false));

    /** Scrapes over one kept-alive connection, so the scrapes' own connection is always one and the same. */
    private static Exposed scrape(RawConnection conn) throws Exception {
        conn.send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
        RawResponse r = conn.readResponse();
        assertEquals(200, r.status(), r.toString());
        assertEquals(Optional.of("text/plain; version=0.0.4; charset=utf-8"), r.header("content-type"));
        return Exposed.parse(r.text());
    }

    /** Scrapes until the condition holds, within a bound; the server counts a request once its app call is over. */
    private static Exposed awaitScrape(RawConnection conn, Predicate<Exposed> condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            Exposed s = scrape(conn);
            if (condition.test(s)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no scrape showed " + what + " within " + BOUND.toSeconds() + " s:\n"
                        + s.text());
            }
            Thread.onSpinWait();
        }
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path, String body)
            throws Exception {
        var b = HttpRequest.newBuilder(SERVER.uri(path)).timeout(BOUND).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exactValuesAfterAKnownSequenceOverHttp1AndHttp2() throws Exception {
        try (var h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             var h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
             var scrapes = RawConnection.open(SERVER.address())) {
            // The JDK client upgrades its first h2c request; a probe is not counted, so it is the one upgraded.
            assertEquals(200, send(h2, "GET", "/healthz", null).statusCode());
            // The HTTP/1.1 client's connection too is opened before, so each client keeps one throughout.
            assertEquals(200, send(h1, "GET", "/healthz", null).statusCode());
            Exposed before = scrape(scrapes);

            long h1Bytes = 0;
            for (int i = 0; i < 3; i++) {
                h1Bytes += send(h1, "GET", "/", null).body().length();
            }
            var echo = send(h1, "POST", "/echo", "12345678");
            assertEquals("12345678", echo.body());
            h1Bytes += 8;
            var missing = send(h1, "GET", "/missing", null);
            assertEquals(404, missing.statusCode());
            h1Bytes += missing.body().length();
            var crash = send(h1, "GET", "/crash", null);
            assertEquals(500, crash.statusCode());
            h1Bytes += crash.body().length();
            long h2Bytes = 0;
            for (int i = 0; i < 2; i++) {
                var r = send(h2, "GET", "/", null);
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                h2Bytes += r.body().length();
            }
            var echo2 = send(h2, "POST", "/echo", "abcdefghij");
            assertEquals(HttpClient.Version.HTTP_2, echo2.version());
            h2Bytes += 10;
            // A body over --limit-request-body: HTTP/1.1 answers 413 itself, no app runs.
            try (var big = RawConnection.open(SERVER.address())) {
                big.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n");
                assertEquals(413, big.readResponse().status());
            }
            // A client that leaves before its response (a reset: on HTTP/1.1 a FIN alone may be a half-close, after
            // which the client still reads): the app hears the disconnect and answers nothing.
            try (var leaving = RawConnection.open(SERVER.address())) {
                leaving.send("GET /wait-disconnect?id=gone HTTP/1.1\r\nHost: t\r\n\r\n");
                assertTrue(APP.latch("gone-entered").await(BOUND.toSeconds(), TimeUnit.SECONDS));
                leaving.reset();
            }
            assertTrue(APP.latch("gone").await(BOUND.toSeconds(), TimeUnit.SECONDS), "the app saw no disconnect");

            Exposed after = awaitScrape(scrapes, s -> s.requests("GET", "none", "HTTP/1.1")
                    - before.requests("GET", "none", "HTTP/1.1") == 1, "the request whose client left");
            assertEquals(3, after.requests("GET", "2xx", "HTTP/1.1") - before.requests("GET", "2xx", "HTTP/1.1"));
            assertEquals(1, after.requests("POST", "2xx", "HTTP/1.1") - before.requests("POST", "2xx", "HTTP/1.1"));
            assertEquals(1, after.requests("GET", "4xx", "HTTP/1.1") - before.requests("GET", "4xx", "HTTP/1.1"));
            assertEquals(1, after.requests("GET", "5xx", "HTTP/1.1") - before.requests("GET", "5xx", "HTTP/1.1"));
            assertEquals(2, after.requests("GET", "2xx", "HTTP/2") - before.requests("GET", "2xx", "HTTP/2"));
            assertEquals(1, after.requests("POST", "2xx", "HTTP/2") - before.requests("POST", "2xx", "HTTP/2"));
            assertEquals(0, after.requests("POST", "4xx", "HTTP/1.1") - before.requests("POST", "4xx", "HTTP/1.1"),
                    "the 413 is a rejection, not an app's request");
            String count = "http_request_duration_seconds_count";
            assertEquals(10, after.get(count) - before.get(count), "every request served, the probe and the "
                    + "scrapes not");
            assertEquals(after.get(count), after.get("http_request_duration_seconds_bucket{le=\"+Inf\"}"));
            assertEquals(1, after.get("pounce_http_requests_rejected_total{reason=\"content_too_large\"}")
                    - before.get("pounce_http_requests_rejected_total{reason=\"content_too_large\"}"));
            assertEquals(1, after.get("pounce_http_requests_aborted_total{protocol=\"HTTP/1.1\"}")
                    - before.get("pounce_http_requests_aborted_total{protocol=\"HTTP/1.1\"}"));
            assertEquals(h1Bytes, after.get("http_bytes_sent_total{protocol=\"HTTP/1.1\"}")
                    - before.get("http_bytes_sent_total{protocol=\"HTTP/1.1\"}"));
            assertEquals(h2Bytes, after.get("http_bytes_sent_total{protocol=\"HTTP/2\"}")
                    - before.get("http_bytes_sent_total{protocol=\"HTTP/2\"}"));
            assertEquals(8, after.get("pounce_http_bytes_received_total{protocol=\"HTTP/1.1\"}")
                    - before.get("pounce_http_bytes_received_total{protocol=\"HTTP/1.1\"}"));
            assertEquals(10, after.get("pounce_http_bytes_received_total{protocol=\"HTTP/2\"}")
                    - before.get("pounce_http_bytes_received_total{protocol=\"HTTP/2\"}"));
            // The two raw connections of the 413 and of the client that left; the clients' are kept alive.
            assertEquals(2, after.get("pounce_http_connections_total") - before.get("pounce_http_connections_total"));
            assertEquals(0, after.get("http_requests_in_flight"));
            after.checkWithPromtool();
        }
    }

    @Test
    void inFlightRequestsStreamsAndConnectionsAreGauges() throws Exception {
        try (var h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
             var scrapes = RawConnection.open(SERVER.address())) {
            assertEquals(200, send(h2, "GET", "/healthz", null).statusCode());
            Exposed idle = awaitScrape(scrapes, s -> s.get("http_requests_in_flight") == 0, "nothing in flight");
            assertEquals(0, idle.get("http_streams_active{protocol=\"HTTP/2\"}"));

            CompletableFuture<HttpResponse<String>> held = h2.sendAsync(HttpRequest.newBuilder(
                    SERVER.uri("/block?id=held")).timeout(BOUND).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(APP.latch("held-entered").await(BOUND.toSeconds(), TimeUnit.SECONDS));
            Exposed holding = scrape(scrapes);
            assertEquals(1, holding.get("http_requests_in_flight"), holding.text());
            assertEquals(1, holding.get("http_streams_active{protocol=\"HTTP/2\"}"), holding.text());
            APP.latch("held").countDown();
            assertEquals("released", held.get(BOUND.toSeconds(), TimeUnit.SECONDS).body());
            awaitScrape(scrapes, s -> s.get("http_requests_in_flight") == 0
                    && s.get("http_streams_active{protocol=\"HTTP/2\"}") == 0, "the held request ended");

            double open = idle.get("http_connections_active");
            List<RawConnection> extra = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    extra.add(RawConnection.open(SERVER.address()));
                }
                awaitScrape(scrapes, s -> s.get("http_connections_active") == open + 3, "three more connections");
            } finally {
                for (RawConnection c : extra) {
                    c.close();
                }
            }
            awaitScrape(scrapes, s -> s.get("http_connections_active") == open, "the three closed");
        }
    }

    @Test
    void webSocketSessionsAndMessagesAreCounted() throws Exception {
        try (var client = HttpClient.newHttpClient(); var scrapes = RawConnection.open(SERVER.address())) {
            Exposed before = scrape(scrapes);
            var received = new LinkedBlockingQueue<String>();
            var closed = new CompletableFuture<Integer>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("ws://" + SERVER.host() + ":"
                    + SERVER.port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            received.add("text:" + data);
                            socket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
                            received.add("binary:" + data.remaining());
                            socket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            ws.sendText("h\u00e9llo", true).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertEquals("text:h\u00e9llo", received.poll(BOUND.toSeconds(), TimeUnit.SECONDS));
            ws.sendBinary(ByteBuffer.wrap(new byte[]{1, 2, 3}), true).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertEquals("binary:3", received.poll(BOUND.toSeconds(), TimeUnit.SECONDS));
            Exposed open = scrape(scrapes);
            assertEquals(1, open.get("pounce_websocket_sessions_active")
                    - before.get("pounce_websocket_sessions_active"), open.text());
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(BOUND.toSeconds(), TimeUnit.SECONDS);
            closed.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            // A handshake the app refuses.
            assertThrows(Exception.class, () -> client.newWebSocketBuilder().buildAsync(URI.create("ws://"
                    + SERVER.host() + ":" + SERVER.port() + "/no-ws"), new WebSocket.Listener() { })
                    .get(BOUND.toSeconds(), TimeUnit.SECONDS));

            String accepted = "pounce_websocket_sessions_total{protocol=\"HTTP/1.1\",result=\"accepted\"}";
            String denied = "pounce_websocket_sessions_total{protocol=\"HTTP/1.1\",result=\"denied\"}";
            Exposed after = awaitScrape(scrapes, s -> s.get("pounce_websocket_sessions_active")
                    == before.get("pounce_websocket_sessions_active") && s.get(denied) - before.get(denied) == 1,
                    "the sessions over");
            assertEquals(1, after.get(accepted) - before.get(accepted));
            assertEquals(2, delta(before, after, "pounce_websocket_messages_total{direction=\"received\"}"));
            assertEquals(2, delta(before, after, "pounce_websocket_messages_total{direction=\"sent\"}"));
            // "héllo" is 6 bytes in UTF-8, then 3 binary bytes.
            assertEquals(9, delta(before, after, "pounce_websocket_message_bytes_total{direction=\"received\"}"));
            assertEquals(9, delta(before, after, "pounce_websocket_message_bytes_total{direction=\"sent\"}"));
            assertEquals(0, after.requests("GET", "1xx", "HTTP/1.1") - before.requests("GET", "1xx", "HTTP/1.1"),
                    "a WebSocket session is not an HTTP request");
            after.checkWithPromtool();
        }
    }

    private static double delta(Exposed before, Exposed after, String series) {
        return after.get(series) - before.get(series);
    }

    @Test
    void theMetricsPathAnswersGetAndHeadOnlyAndIsNotCounted() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            Exposed before = scrape(conn);
            conn.send("HEAD /metrics?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse head = conn.readResponse(true);
            assertEquals(200, head.status());
            assertEquals(0, head.body().length);
            assertTrue(Integer.parseInt(head.header("content-length").orElseThrow()) > 1000, head.toString());
            assertEquals(Optional.of("no-store"), head.header("cache-control"));
            conn.send("POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            RawResponse post = conn.readResponse();
            assertEquals(405, post.status());
            assertEquals(Optional.of("GET, HEAD"), post.header("allow"));
            Exposed after = scrape(conn);
            assertEquals(before.get("http_request_duration_seconds_count"),
                    after.get("http_request_duration_seconds_count"), "a scrape or a refused method is counted");
            for (String family : List.of("http_requests_total", "http_request_duration_seconds",
                    "http_requests_in_flight", "http_connections_active", "http_streams_active",
                    "http_bytes_sent_total", "pounce_worker_restarts_total", "pounce_reloads_total",
                    "process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds",
                    "process_open_fds", "process_max_fds", "jvm_memory_used_bytes", "jvm_gc_collection_seconds",
                    "jvm_threads_current")) {
                assertTrue(after.types().containsKey(family), family + " is missing:\n" + after.text());
            }
        }
    }

    @Test
    void anHttp3RequestAndScrapeAreCounted(@TempDir Path dir) throws Exception {
        Path[] pem = Certificates.selfSigned(dir);
        var config = dev.pounce.api.ServerConfig.builder().host("127.0.0.1").port(0).accessLog(false)
                .sslCertFile(pem[0]).sslKeyFile(pem[1]).set("http3.enabled", "true").metricsPath("/metrics")
                .build();
        try (var server = Server.builder(new MetricsApp(), config).start()) {
            int port = server.tcpAddress().orElseThrow().getPort();
            assertEquals("200\nhello", Http3LauncherTest.h3Request(port, "GET", "/", null));
            // The request is counted when its app call ends, which may be just after the client has the response.
            long deadline = System.nanoTime() + BOUND.toNanos();
            String scraped;
            Exposed s;
            do {
                scraped = Http3LauncherTest.h3Request(port, "GET", "/metrics", null);
                s = Exposed.parse(scraped.substring("200\n".length()));
            } while (s.requests("GET", "2xx", "HTTP/3") == 0 && System.nanoTime() < deadline);
            assertEquals(1, s.requests("GET", "2xx", "HTTP/3"), scraped);
            assertEquals(5, s.get("http_bytes_sent_total{protocol=\"HTTP/3\"}"), scraped);
            // The scrape's own stream is not a request being served.
            assertEquals(0, s.get("http_streams_active{protocol=\"HTTP/3\"}"), scraped);
            assertTrue(s.get("http_connections_active") >= 1, scraped);
            s.checkWithPromtool();
        }
    }

    /**
     * The app: {@code /} "hello", {@code /echo} the body back, {@code /crash} throws, {@code /block?id=} waits for
     * latch {@code id} (opening {@code id-entered}), {@code /wait-disconnect?id=} opens {@code id-entered}, receives
     * until the client leaves, answers nothing and opens {@code id}; anything else 404. A WebSocket on {@code /ws}
     * echoes every message; on any other path it is refused.
     */
    static final class MetricsApp implements App {
        private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();

        CountDownLatch latch(String name) {
            return latches.computeIfAbsent(name, n -> new CountDownLatch(1));
        }

        @Override
        public void call(Scope scope, Receive receive, Send send) throws Exception {
            switch (scope) {
                case LifespanScope l -> throw new UnsupportedOperationException("no lifespan here");
                case HttpScope http -> http(http, receive, send);
                case WebSocketScope ws -> webSocket(ws, receive, send);
            }
        }

        private void http(HttpScope scope, Receive receive, Send send) throws Exception {
            String id = TestApp.query(scope.queryString()).get("id");
            switch (scope.path()) {
                case "/" -> TestApp.text(send, 200, "hello");
                case "/echo" -> TestApp.respond(send, 200, "text/plain", TestApp.readBody(receive));
                case "/crash" -> throw new IllegalStateException("fails on purpose");
                case "/block" -> {
                    latch(id + "-entered").countDown();
                    boolean released = latch(id).await(30, TimeUnit.SECONDS);
                    TestApp.text(send, 200, released ? "released" : "not released");
                }
                case "/wait-disconnect" -> {
                    latch(id + "-entered").countDown();
                    while (!(receive.receive() instanceof HttpMessage.Disconnect)) {
                        // the empty body, then nothing until the client leaves
                    }
                    latch(id).countDown();
                }
                default -> TestApp.text(send, 404, "not found");
            }
        }

        private static void webSocket(WebSocketScope scope, Receive receive, Send send) throws Exception {
            receive.receive();
            if (!scope.path().equals("/ws")) {
                send.send(new WebSocketMessage.Close(1000, ""));
                return;
            }
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
            while (true) {
                Message m = receive.receive();
                if (m instanceof WebSocketMessage.Receive r) {
                    send.send(new WebSocketMessage.Send(r.text(), r.bytes()));
                } else {
                    return;
                }
            }
        }
    }
}
