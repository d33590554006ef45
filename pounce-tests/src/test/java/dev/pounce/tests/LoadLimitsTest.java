package dev.pounce.tests;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load limits over real sockets, with the JDK's HTTP client over HTTP/1.1 and HTTP/2: {@code 503} exactly at the
 * cap on requests in flight, the queue in front of it, {@code 429} at the rate limit, a bounded table of clients that
 * forgets the one seen least recently, health probes that always pass, and connections that live on after a refusal.
 * Requests are held in the app by latches the test opens; rates are so low that no token comes back during a test,
 * so no outcome depends on the machine's speed. The last test runs the {@code pounce} command with the flags and
 * reads the refusals in its JSON access log.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LoadLimitsTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Pattern SERVING = Pattern.compile("serving on http://\\S+?:(\\d+) ");

    private final TestApp app = new TestApp();
    private final List<HttpClient> clients = new ArrayList<>();
    private ServerHandle handle;
    private String base;

    private void start(UnaryOperator<ServerConfig.Builder> config) throws Exception {
        handle = Server.builder(app, config.apply(ServerConfig.builder().host("127.0.0.1").port(0)
                .healthPath("/healthz")).build()).start();
        InetSocketAddress address = handle.tcpAddress().orElseThrow();
        base = "http://127.0.0.1:" + address.getPort();
    }

    @AfterEach
    void stop() throws InterruptedException {
        // Whatever a failed test left held goes, so that the server can stop.
        app.latch("a").countDown();
        app.latch("b").countDown();
        clients.forEach(HttpClient::close);
        if (handle != null) {
            handle.stopNow();
            handle.awaitTermination(Duration.ofSeconds(10));
        }
    }

    /** A client that has one connection open: over HTTP/2 the first request upgrades it (h2c). */
    private HttpClient client(HttpClient.Version version) throws Exception {
        var client = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(10)).build();
        clients.add(client);
        var first = send(client, "GET", "/healthz");
        assertEquals(version, first.version());
        return client;
    }

    private HttpResponse<String> send(HttpClient client, String method, String path, String... headers)
            throws Exception {
        return client.send(request(method, path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(HttpClient client, String path, String... headers) {
        return client.sendAsync(request("GET", path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String... headers) {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(BOUND);
        b.method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("x".repeat(10_000))
                : HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    /** Holds a request in the app until latch {@code id} opens; returns once the app has it. */
    private CompletableFuture<HttpResponse<String>> hold(HttpClient client, String id) throws Exception {
        var response = sendAsync(client, "/block?id=" + id);
        assertTrue(app.latch(id + "-entered").await(BOUND.toSeconds(), TimeUnit.SECONDS), "request " + id + " held");
        return response;
    }

    private static void assertOverloaded(HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), r.body());
        assertEquals(Optional.of("5"), r.headers().firstValue("retry-after"));
        assertEquals("Service Unavailable - Server Overloaded\n", r.body());
        assertTrue(r.headers().firstValue("x-request-id").isPresent());
    }

    /** Asks for {@code /client} (the connection's port) until a slot is free: it comes back just after a response. */
    private String portOnceFree(HttpClient client) throws Exception {
        while (true) {
            var r = send(client, "GET", "/client");
            if (r.statusCode() != 503) {
                assertEquals(200, r.statusCode());
                return r.body();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void theCapExactlyReachedServesAndOneOverGets503WhileProbesPassAndTheConnectionLives(HttpClient.Version version)
            throws Exception {
        start(b -> b.limitConcurrency(2));
        // Over HTTP/2 one connection carries the held streams and the refused one; over HTTP/1.1 the refused request
        // has a connection of its own, which must stay open.
        HttpClient holder = client(version);
        HttpClient probe = version == HttpClient.Version.HTTP_2 ? holder : client(version);
        String port = send(probe, "GET", "/client").body();

        var a = hold(holder, "a");
        var b = hold(holder, "b");
        assertOverloaded(send(probe, "GET", "/"));
        assertOverloaded(send(probe, "POST", "/echo"));
        var health = send(probe, "GET", "/healthz");
        assertEquals(200, health.statusCode(), "a probe passes while the worker is full");
        assertEquals(version, health.version());

        app.latch("a").countDown();
        assertEquals("released", a.get(BOUND.toSeconds(), TimeUnit.SECONDS).body());
        assertEquals(port, portOnceFree(probe), "the refusals left the connection open");
        app.latch("b").countDown();
        assertEquals("released", b.get(BOUND.toSeconds(), TimeUnit.SECONDS).body(),
                "the other streams went on");
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void withAQueueOneWaitsForAFreeSlotAndOnePastTheQueueGets503(HttpClient.Version version) throws Exception {
        start(b -> b.limitConcurrency(2).limitQueue(1).queueTimeout(BOUND));
        HttpClient client = client(version);
        var a = hold(client, "a");
        var b = hold(client, "b");
        // Two more at once: whichever the server reads first waits in the queue, the other finds it full.
        var third = sendAsync(client, "/worker");
        var fourth = sendAsync(client, "/worker");
        var first = (HttpResponse<?>) CompletableFuture.anyOf(third, fourth).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertEquals(503, first.statusCode(), "one past the queue is refused at once");
        assertEquals(Optional.of("5"), first.headers().firstValue("retry-after"));
        var waiting = third.isDone() && third.join() == first ? fourth : third;
        assertFalse(waiting.isDone(), "the queued one waits: every slot is held");

        app.latch("a").countDown();
        assertEquals(200, waiting.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode(),
                "served once a slot freed");
        assertEquals(200, a.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode());
        app.latch("b").countDown();
        assertEquals(200, b.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode());
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void aRequestWhoseWaitInTheQueueIsOverGets503(HttpClient.Version version) throws Exception {
        start(b -> b.limitConcurrency(1).limitQueue(1).queueTimeout(Duration.ofMillis(50)).metricsPath("/metrics"));
        HttpClient client = client(version);
        var a = hold(client, "a");
        // The queue has room, so this one waits; its slot never frees while "a" is held.
        assertOverloaded(send(client, "GET", "/"));
        assertEquals(200, send(client, "GET", "/healthz").statusCode());
        app.latch("a").countDown();
        assertEquals(200, a.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode());
        // The metrics count the refusal, and the refused request, which never ran, is not left in flight.
        assertEquals(1, metric(client, "pounce_http_requests_rejected_total{reason=\"service_unavailable\"}"));
        awaitMetric(client, "http_requests_in_flight", 0);
    }

    /** @return the value of one sample of a scrape of {@code /metrics}, or -1 if it is not there */
    private long metric(HttpClient client, String sample) throws Exception {
        var scrape = send(client, "GET", "/metrics");
        assertEquals(200, scrape.statusCode());
        return scrape.body().lines().filter(l -> l.startsWith(sample + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(sample.length() + 1).strip()))
                .findFirst().orElse(-1);
    }

    /** Scrapes until the sample has the value (an app call ends just after its response is sent). */
    private void awaitMetric(HttpClient client, String sample, long value) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        long last;
        while ((last = metric(client, sample)) != value) {
            assertTrue(System.nanoTime() < deadline, sample + " stayed at " + last + ", not " + value);
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void pastTheBurstAClientGets429WithRetryAfterAndTheConnectionLives(HttpClient.Version version) throws Exception {
        // One token per 100 s: none comes back during the test, however slow the machine.
        start(b -> b.rateLimitEnabled(true).rateLimitBurst(3).rateLimitRequestsPerSecond(0.01)
                .forwardedAllowIps(List.of("127.0.0.1")).metricsPath("/metrics"));
        HttpClient client = client(version);
        String port = send(client, "GET", "/client", "X-Forwarded-For", "198.51.100.99").body();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(client, "GET", "/", "X-Forwarded-For", "198.51.100.1").statusCode(),
                    "request " + (i + 1) + " of the burst");
        }
        var refused = send(client, "GET", "/", "X-Forwarded-For", "198.51.100.1");
        assertEquals(429, refused.statusCode(), "one over the burst");
        assertEquals("Too Many Requests\n", refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 100, "seconds until a token: " + retryAfter);
        // A refused request with a body the app never read: HTTP/1.1 reads and drops it and keeps the connection.
        assertEquals(429, send(client, "POST", "/echo", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(2, metric(client, "pounce_http_requests_rejected_total{reason=\"too_many_requests\"}"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(client, "GET", "/healthz", "X-Forwarded-For", "198.51.100.1").statusCode(),
                    "probes are never limited");
        }
        assertEquals(port, send(client, "GET", "/client", "X-Forwarded-For", "198.51.100.2").body(),
                "another client, on the same connection, which the refusals left open");
        assertEquals(200, send(client, "GET", "/", "X-Forwarded-For", "198.51.100.2").statusCode());
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void theTableOfClientsStaysWithinItsBoundAndAForgottenClientStartsAfresh(HttpClient.Version version)
            throws Exception {
        start(b -> b.rateLimitEnabled(true).rateLimitBurst(1).rateLimitRequestsPerSecond(0.001)
                .rateLimitMaxTrackedIps(4).forwardedAllowIps(List.of("127.0.0.1")));
        HttpClient client = client(version);
        // Many clients through a trusted proxy on loopback, as a load balancer brings them.
        for (int i = 0; i < 100; i++) {
            assertEquals(200, status(client, "203.0.113." + i), "a new client has a full bucket");
        }
        // Only the last four are remembered: the first was forgotten long ago and starts again.
        assertEquals(200, status(client, "203.0.113.0"), "forgotten: a full bucket again");

        // At the bound and one over it: four clients fill the table, 1 to 4 from least to most recently seen.
        for (String c : List.of("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4")) {
            assertEquals(200, status(client, c));
        }
        assertEquals(429, status(client, "192.0.2.1"), "exactly at the bound: nothing forgotten");
        assertEquals(429, status(client, "192.0.2.2"));
        // Now 3, 4, 1, 2 from least to most recent. One over the bound forgets 3.
        assertEquals(200, status(client, "192.0.2.5"));
        assertEquals(429, status(client, "192.0.2.4"), "seen more recently than 3: remembered");
        assertEquals(200, status(client, "192.0.2.3"), "the client seen least recently was forgotten");

        // IPv6 clients in one /64 share a bucket.
        assertEquals(200, status(client, "2001:db8:1:2::1"));
        assertEquals(429, status(client, "2001:db8:1:2:ffff::7"), "same /64");
        assertEquals(200, status(client, "2001:db8:1:3::1"), "the next /64");
    }

    private int status(HttpClient client, String forwardedFor) throws Exception {
        return send(client, "GET", "/", "X-Forwarded-For", forwardedFor).statusCode();
    }

    @Test
    void aWebSocketHandshakeIsRefusedAtTheRateLimitAndAtTheCap() throws Exception {
        start(b -> b.rateLimitEnabled(true).rateLimitBurst(1).rateLimitRequestsPerSecond(0.01).limitConcurrency(1)
                .forwardedAllowIps(List.of("127.0.0.1")));
        HttpClient client = client(HttpClient.Version.HTTP_1_1);
        assertEquals(200, status(client, "198.51.100.1"), "the client's one token");
        assertEquals(429, handshakeStatus(client, "198.51.100.1"));

        var a = hold(client, "a");
        assertEquals(503, handshakeStatus(client, "198.51.100.2"), "the one slot is taken: not queued, refused");
        app.latch("a").countDown();
        assertEquals(200, a.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode());
    }

    /** Opens a WebSocket from this client and returns the status its handshake was refused with. */
    private int handshakeStatus(HttpClient client, String forwardedFor) throws Exception {
        var opening = client.newWebSocketBuilder().header("X-Forwarded-For", forwardedFor)
                .buildAsync(URI.create(base.replace("http:", "ws:") + "/ws"), new java.net.http.WebSocket.Listener() {
                });
        try {
            opening.get(BOUND.toSeconds(), TimeUnit.SECONDS).abort();
            throw new AssertionError("the handshake was accepted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void theFlagsOfThePounceCommandRefuseAndTheAccessLogSaysSo() throws Exception {
        var args = new ArrayList<>(List.of("--port", "0", "--host", "127.0.0.1", "--access-log-format", "json",
                "--health-path", "/healthz", "--limit-concurrency", "1", "--rate-limit", "--rate-limit-burst", "2",
                "--rate-limit-requests-per-second", "0.01", "--forwarded-allow-ips", "127.0.0.1"));
        try (var child = ChildJvm.start(ChildJvm.modulePathCommand(ChildJvm.productJars(), args), Map.of());
             var h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(10)).build()) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, BOUND).group(1));
            base = "http://127.0.0.1:" + port;
            var address = new InetSocketAddress("127.0.0.1", port);
            try (var held = RawConnection.open(address)) {
                // The demo's /echo reads the body: 100 Continue says the app runs and holds the one slot.
                held.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                        + "X-Forwarded-For: 198.51.100.1\r\n\r\n");
                assertEquals(100, held.readResponse().status());
                var overloaded = send(h1, "GET", "/", "X-Forwarded-For", "198.51.100.2", "X-Request-ID", "cap-503");
                assertOverloaded(overloaded);
                assertEquals(200, send(h1, "GET", "/healthz").statusCode());
                RawResponse echoed = held.send("hello").readResponse();
                assertEquals(200, echoed.status());
                assertEquals("hello", echoed.text());
            }
            assertEquals(200, statusOnceFree(h1), child.describe());
            assertEquals(200, send(h1, "GET", "/", "X-Forwarded-For", "198.51.100.9").statusCode());
            assertEquals(200, send(h1, "GET", "/", "X-Forwarded-For", "198.51.100.9").statusCode());
            var limited = send(h1, "GET", "/", "X-Forwarded-For", "198.51.100.9", "X-Request-ID", "rate-429");
            assertEquals(429, limited.statusCode());
            assertTrue(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow()) >= 1);

            child.awaitStdout(Pattern.compile("\"req_id\":\"rate-429\""), BOUND);
            var lines = OperationsTest.JsonLines.parse(child.stdout());
            var refused = OperationsTest.JsonLines.only(lines, "cap-503");
            assertEquals("503", refused.get("status"));
            assertEquals("\"198.51.100.2:0\"", refused.get("client"));
            assertEquals("\"warn\"", refused.get("level"));
            var limitedLine = OperationsTest.JsonLines.only(lines, "rate-429");
            assertEquals("429", limitedLine.get("status"));
            assertEquals("\"198.51.100.9:0\"", limitedLine.get("client"));
            assertEquals("18", limitedLine.get("bytes"));
            child.terminate();
            assertEquals(0, child.awaitExit(BOUND), child.describe());
        }
    }

    /** Each try comes from a new client, so that waiting for the slot spends no client's tokens. */
    private int statusOnceFree(HttpClient client) throws Exception {
        for (int i = 0; ; i++) {
            int status = send(client, "GET", "/", "X-Forwarded-For", "203.0.113." + (i % 250)).statusCode();
            if (status != 503) {
                return status;
            }
        }
    }
}
