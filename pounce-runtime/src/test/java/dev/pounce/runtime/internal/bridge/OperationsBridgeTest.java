package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.App;
import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.Scope;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the bridge adds for operators, whatever the protocol: the health path answered before the app, the request id
 * in the scope and in every answer, and {@code Server-Timing}. The exchange here stands in for a protocol's and
 * records the response the bridge starts.
 */
class OperationsBridgeTest {

    private static final EventLoop LOOP = new DefaultEventLoop();
    private static final Endpoint LOOPBACK = new Endpoint("127.0.0.1", 40000);
    private static final Endpoint REMOTE = new Endpoint("192.0.2.1", 5000);

    @AfterAll
    static void stopLoop() {
        LOOP.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    /** A response the bridge started. */
    record Started(int status, Headers headers, String body) {
    }

    /** The protocol's side of one request: records the response start. */
    static final class Exchange implements HttpExchange {
        final RequestHead head;
        final Optional<Endpoint> client;
        final CompletableFuture<Started> started = new CompletableFuture<>();

        Exchange(String method, String target, Optional<Endpoint> client, String... headers) {
            this.head = new RequestHead(method, target, "1.1", Headers.of(headers));
            this.client = client;
        }

        Started response() throws Exception {
            return started.get(10, TimeUnit.SECONDS);
        }

        @Override
        public RequestHead head() {
            return head;
        }

        @Override
        public String protocol() {
            return "http/1.1";
        }

        @Override
        public ConnectionInfo connection() {
            return new ConnectionInfo(1, new WorkerIdentity(2, 5), client, Optional.of(new Endpoint("127.0.0.1", 8000)),
                    false);
        }

        @Override
        public EventLoop eventLoop() {
            return LOOP;
        }

        @Override
        public void requestBody() {
        }

        @Override
        public void consumed(int bytes) {
        }

        @Override
        public void informational(int status, Headers headers) {
        }

        @Override
        public void start(int status, Headers headers, ByteBuf body, boolean last) {
            started.complete(new Started(status, headers, body.toString(StandardCharsets.UTF_8)));
            body.release();
        }

        @Override
        public void body(ByteBuf body, boolean last) {
            body.release();
        }

        @Override
        public void trailers(Headers trailers) {
        }

        @Override
        public void abort(Throwable cause) {
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void whenWritable(Runnable callback) {
            callback.run();
        }
    }

    /** A server's bridge, its events and its readiness. */
    record Bridge(AppBridge bridge, List<LifecycleEvent> events, Readiness readiness) {
        Started serve(Exchange exchange) throws Exception {
            var sink = bridge.serve(exchange);
            sink.onData(Unpooled.EMPTY_BUFFER, true);
            return exchange.response();
        }
    }

    private static final App HELLO = (scope, receive, send) -> {
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
        send.send(new HttpMessage.ResponseBody(("id=" + scope.requestId().orElse("none")).getBytes(), false));
    };

    private static Bridge bridge(App app, UnaryOperator<ServerConfig.Builder> config) {
        List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public void publish(LifecycleEvent event) {
                events.add(event);
            }

            @Override
            public boolean active() {
                return true;
            }
        };
        var readiness = new Readiness();
        var bridge = new AppBridge(app, config.apply(ServerConfig.builder().accessLog(false)).build(),
                new WorkerIdentity(2, 5), new HashMap<>(), sink, Thread.ofVirtual().factory(), () -> { },
                AltSvc.NONE, readiness);
        return new Bridge(bridge, events, readiness);
    }

    private static Bridge withHealth() {
        return bridge((scope, receive, send) -> {
            throw new AssertionError("the app must not see the health path");
        }, b -> b.healthPath("/healthz"));
    }

    // ---- health ----

    @Test
    void aProbeGets200WithJsonAndNoAppNoEventNoCount() throws Exception {
        var b = withHealth();
        b.bridge().connectionOpened(new Exchange("GET", "/", Optional.of(LOOPBACK)).connection());
        Started r = b.serve(new Exchange("GET", "/healthz", Optional.of(LOOPBACK)));
        assertEquals(200, r.status());
        assertTrue(r.body().matches("\\{\"status\":\"ok\",\"uptime_seconds\":\\d+\\.\\d,\"worker_id\":2,"
                + "\"generation\":5,\"active_connections\":1}"), r.body());
        assertEquals(Optional.of("application/json"), r.headers().first("content-type"));
        assertEquals(Optional.of("no-cache, no-store"), r.headers().first("cache-control"));
        assertEquals(Optional.of(Integer.toString(r.body().length())), r.headers().first("content-length"));
        assertTrue(r.headers().first("x-request-id").orElseThrow().matches("[0-9a-f]{32}"), r.headers().toString());
        assertEquals(List.of(), b.events().stream().filter(e -> !(e instanceof LifecycleEvent.ConnectionOpened))
                .toList(), "a probe is no request: no events");
        assertEquals(0, b.bridge().served());
    }

    @Test
    void headAndAQueryAreProbesToo() throws Exception {
        var b = withHealth();
        assertEquals(200, b.serve(new Exchange("HEAD", "/healthz", Optional.of(REMOTE))).status());
        assertEquals(200, b.serve(new Exchange("GET", "/healthz?probe=lb", Optional.of(REMOTE))).status());
    }

    @Test
    void onceTheShutdownBeginsAProbeGets503Draining() throws Exception {
        var b = withHealth();
        b.readiness().drainBegun();
        Started r = b.serve(new Exchange("GET", "/healthz", Optional.of(REMOTE)));
        assertEquals(503, r.status());
        assertEquals("{\"status\":\"draining\"}", r.body());
        assertEquals(Optional.of("no-cache, no-store"), r.headers().first("cache-control"));
        Started head = b.serve(new Exchange("HEAD", "/healthz", Optional.of(REMOTE)));
        assertEquals(503, head.status());
    }

    @Test
    void anotherMethodGets405WithAllow() throws Exception {
        var b = withHealth();
        Started r = b.serve(new Exchange("POST", "/healthz", Optional.of(REMOTE)));
        assertEquals(405, r.status());
        assertEquals(Optional.of("GET, HEAD"), r.headers().first("allow"));
        assertTrue(r.headers().contains("x-request-id"));
    }

    @Test
    void otherPathsAndNoHealthPathReachTheApp() throws Exception {
        var b = bridge(HELLO, c -> c.healthPath("/healthz"));
        assertEquals(200, b.serve(new Exchange("GET", "/healthzz", Optional.of(REMOTE))).status());
        assertEquals(200, b.serve(new Exchange("GET", "/healthz/x", Optional.of(REMOTE))).status());
        var off = bridge(HELLO, c -> c);
        assertTrue(off.serve(new Exchange("GET", "/healthz", Optional.of(REMOTE))).body().startsWith("id="));
    }

    // ---- request ids ----

    @Test
    void aNewIdIsInTheScopeAndTheResponse() throws Exception {
        var b = bridge(HELLO, c -> c);
        Started r = b.serve(new Exchange("GET", "/", Optional.of(REMOTE)));
        String id = r.headers().first("x-request-id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals("id=" + id, r.body());
        Started again = b.serve(new Exchange("GET", "/", Optional.of(REMOTE)));
        assertNotEquals(id, again.headers().first("x-request-id").orElseThrow());
    }

    @Test
    void aTrustedPeersValidIdIsKept() throws Exception {
        var b = bridge(HELLO, c -> c);
        Started r = b.serve(new Exchange("GET", "/", Optional.of(LOOPBACK), "x-request-id", "lb-7f3a:01.2_x-y"));
        assertEquals("id=lb-7f3a:01.2_x-y", r.body());
        assertEquals(List.of("lb-7f3a:01.2_x-y"), r.headers().all("x-request-id"));
        // A Unix domain socket is trusted too.
        assertEquals("id=abc", b.serve(new Exchange("GET", "/", Optional.empty(), "x-request-id", "abc")).body());
    }

    @Test
    void anUntrustedPeerOrABadValueGetsANewId() throws Exception {
        var b = bridge(HELLO, c -> c);
        assertFreshId(b.serve(new Exchange("GET", "/", Optional.of(REMOTE), "x-request-id", "chosen-by-client")));
        assertFreshId(b.serve(new Exchange("GET", "/", Optional.of(LOOPBACK), "x-request-id", "has space")));
        assertFreshId(b.serve(new Exchange("GET", "/", Optional.of(LOOPBACK), "x-request-id", "x".repeat(129))));
        assertFreshId(b.serve(new Exchange("GET", "/", Optional.of(LOOPBACK), "x-request-id", "")));
        assertFreshId(b.serve(new Exchange("GET", "/", Optional.of(LOOPBACK), "x-request-id", "a",
                "x-request-id", "b")));
    }

    private static void assertFreshId(Started r) {
        String id = r.headers().first("x-request-id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals("id=" + id, r.body());
    }

    @Test
    void anIdTheAppSetsIsKeptAndNotRepeated() throws Exception {
        var b = bridge((scope, receive, send) -> {
            send.send(new HttpMessage.ResponseStart(200, Headers.of("x-request-id", "apps-own")));
            send.send(new HttpMessage.ResponseBody(new byte[0], false));
        }, c -> c);
        assertEquals(List.of("apps-own"), b.serve(new Exchange("GET", "/", Optional.of(REMOTE))).headers()
                .all("x-request-id"));
    }

    @Test
    void theAppsFailureAnswerCarriesTheId() throws Exception {
        var seen = new CompletableFuture<String>();
        var b = bridge((scope, receive, send) -> {
            seen.complete(((HttpScope) scope).requestId().orElseThrow());
            throw new IllegalStateException("boom (expected by the test)");
        }, c -> c);
        Started r = b.serve(new Exchange("GET", "/", Optional.of(REMOTE)));
        assertEquals(500, r.status());
        assertEquals(Optional.of(seen.get(10, TimeUnit.SECONDS)), r.headers().first("x-request-id"));
    }

    @Test
    void aRejectionGetsAnIdForItsAnswer() {
        var b = bridge(HELLO, c -> c);
        Headers fields = b.bridge().rejected(new Exchange("GET", "/", Optional.of(REMOTE)).connection(), 413, "big");
        assertTrue(fields.first("x-request-id").orElseThrow().matches("[0-9a-f]{32}"), fields.toString());
    }

    @Test
    void theScopeExtensionsHoldTheIdAndTheWorker() throws Exception {
        var scope = new CompletableFuture<Scope>();
        var b = bridge((s, receive, send) -> {
            scope.complete(s);
            HELLO.call(s, receive, send);
        }, c -> c);
        b.serve(new Exchange("GET", "/", Optional.of(REMOTE)));
        Scope s = scope.get(10, TimeUnit.SECONDS);
        assertEquals(s.requestId().orElseThrow(), s.extensions().get(Scope.REQUEST_ID));
        assertEquals(new WorkerIdentity(2, 5), s.worker());
    }

    // ---- trusted proxies ----

    private static final App SCOPE_ECHO = (scope, receive, send) -> {
        var s = (HttpScope) scope;
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
        send.send(new HttpMessage.ResponseBody((s.client().map(Endpoint::toString).orElse("none") + " " + s.scheme()
                + " " + s.headers().all("host") + " " + s.headers().all("x-forwarded-for") + " "
                + s.requestId().orElseThrow()).getBytes(), false));
    };

    @Test
    void aTrustedProxysFieldsMakeTheScopesClientSchemeAndHost() throws Exception {
        var b = bridge(SCOPE_ECHO, c -> c);
        Started r = b.serve(new Exchange("GET", "/", Optional.of(LOOPBACK), "host", "127.0.0.1:8000",
                "x-forwarded-for", "198.51.100.7, 127.0.0.1", "x-forwarded-proto", "https",
                "x-forwarded-host", "shop.example", "x-request-id", "lb-1"));
        assertEquals("198.51.100.7:0 https [shop.example] [198.51.100.7, 127.0.0.1] lb-1", r.body());
        // The event follows the response: the call publishes it once the app has returned.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        List<Optional<Endpoint>> completed;
        while ((completed = b.events().stream().filter(e -> e instanceof LifecycleEvent.RequestCompleted)
                .map(e -> ((LifecycleEvent.RequestCompleted) e).client()).toList()).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(List.of(Optional.of(new Endpoint("198.51.100.7", 0))), completed);
    }

    @Test
    void anUntrustedPeersFieldsReachTheAppUnchangedButAreNotBelieved() throws Exception {
        // Loopback is not in the list, so the test's own peer is untrusted.
        var b = bridge(SCOPE_ECHO, c -> c.forwardedAllowIps(List.of("10.0.0.0/8")));
        Started r = b.serve(new Exchange("GET", "/", Optional.of(LOOPBACK), "host", "127.0.0.1:8000",
                "x-forwarded-for", "198.51.100.7", "x-forwarded-proto", "https", "x-forwarded-host", "shop.example",
                "x-request-id", "lb-1"));
        assertTrue(r.body().matches("127\\.0\\.0\\.1:40000 http \\[127\\.0\\.0\\.1:8000] \\[198\\.51\\.100\\.7] "
                + "[0-9a-f]{32}"), r.body());
        // From a peer in the list, they are.
        Started trusted = b.serve(new Exchange("GET", "/", Optional.of(new Endpoint("10.1.2.3", 5000)),
                "forwarded", "for=\"[2001:db8::1]:4711\";proto=https", "x-request-id", "lb-2"));
        assertEquals("[2001:db8:0:0:0:0:0:1]:4711 https [] [] lb-2", trusted.body());
    }

    @Test
    void aHealthProbesIdFollowsTheSameTrust() throws Exception {
        var b = bridge(HELLO, c -> c.healthPath("/healthz").forwardedAllowIps(List.of("192.0.2.0/24")));
        Started r = b.serve(new Exchange("GET", "/healthz", Optional.of(REMOTE), "x-request-id", "probe-1"));
        assertEquals(Optional.of("probe-1"), r.headers().first("x-request-id"));
        Started other = b.serve(new Exchange("GET", "/healthz", Optional.of(LOOPBACK), "x-request-id", "probe-2"));
        assertNotEquals(Optional.of("probe-2"), other.headers().first("x-request-id"));
    }

    // ---- the drain's answers ----

    @Test
    void aLateArrivalGetsTheDrain503WithAnIdAndAProbeGetsDraining() throws Exception {
        var drain = new DrainBridge(ServerConfig.builder().accessLog(false).healthPath("/readyz").build());
        var late = new Exchange("GET", "/", Optional.of(REMOTE));
        drain.serve(late);
        Started r = late.response();
        assertEquals(503, r.status());
        assertEquals("Server shutting down...", r.body());
        assertEquals(Optional.of("1"), r.headers().first("retry-after"));
        assertTrue(r.headers().first("x-request-id").orElseThrow().matches("[0-9a-f]{32}"));
        var probe = new Exchange("HEAD", "/readyz", Optional.of(REMOTE));
        drain.serve(probe);
        assertEquals(new Started(503, probe.response().headers(), "{\"status\":\"draining\"}"), probe.response());
        assertEquals(Optional.of("application/json"), probe.response().headers().first("content-type"));
    }

    // ---- Server-Timing ----

    @Test
    void serverTimingOnlyWhenAskedFor() throws Exception {
        var off = bridge(HELLO, c -> c);
        assertFalse(off.serve(new Exchange("GET", "/", Optional.of(REMOTE))).headers().contains("server-timing"));
        var on = bridge(HELLO, c -> c.serverTiming(true));
        String timing = on.serve(new Exchange("GET", "/", Optional.of(REMOTE))).headers().first("server-timing")
                .orElseThrow();
        assertTrue(timing.matches("app;dur=\\d+\\.\\d{3}"), timing);
    }
}
