package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.App;
import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load limits as the bridge applies them, whatever the protocol: what a refused request is answered, that the app
 * never sees it, which client a bucket belongs to, that health probes pass, and what becomes of a queued request's
 * body and of a client that leaves while it waits. The exchange stands in for a protocol's; the bridge is called on a
 * real event loop, as a worker's protocols call it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadLimitsBridgeTest {

    private static final EventLoop LOOP = new DefaultEventLoop();
    private static final Endpoint PROXY = new Endpoint("127.0.0.1", 40000);
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

        Exchange(String method, String target, Endpoint client, String... headers) {
            this.head = new RequestHead(method, target, "1.1", Headers.of(headers));
            this.client = Optional.of(client);
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
            return new ConnectionInfo(1, new WorkerIdentity(0, 0), client,
                    Optional.of(new Endpoint("127.0.0.1", 8000)), false);
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

    /**
     * The app: {@code /hold?id=} waits for latch {@code id} (opening {@code id-in} first), {@code /echo} answers
     * the body it reads; every call is counted by path.
     */
    static final class Apps implements App {
        final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        CountDownLatch latch(String name) {
            return latches.computeIfAbsent(name, n -> new CountDownLatch(1));
        }

        int calls(String path) {
            return calls.computeIfAbsent(path, p -> new AtomicInteger()).get();
        }

        @Override
        public void call(dev.pounce.api.Scope scope, dev.pounce.api.Receive receive, dev.pounce.api.Send send)
                throws Exception {
            var http = (dev.pounce.api.HttpScope) scope;
            calls.computeIfAbsent(http.path(), p -> new AtomicInteger()).incrementAndGet();
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            if (http.path().equals("/hold")) {
                latch(http.queryString() + "-in").countDown();
                assertTrue(latch(http.queryString()).await(30, TimeUnit.SECONDS));
            } else if (http.path().equals("/echo")) {
                var out = new ByteArrayOutputStream();
                while (receive.receive() instanceof HttpMessage.Request r) {
                    out.writeBytes(r.body());
                    if (!r.more()) {
                        break;
                    }
                }
                body = out.toByteArray();
            }
            send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
            send.send(new HttpMessage.ResponseBody(body, false));
        }
    }

    private final Apps app = new Apps();

    private AppBridge bridge(UnaryOperator<ServerConfig.Builder> config) {
        EventSink none = new EventSink() {
            @Override
            public void publish(LifecycleEvent event) {
            }

            @Override
            public boolean active() {
                return false;
            }
        };
        return new AppBridge(app, config.apply(ServerConfig.builder().accessLog(false)).build(),
                new WorkerIdentity(0, 0), new HashMap<>(), none, Thread.ofVirtual().factory(), () -> { },
                AltSvc.NONE, new Readiness());
    }

    /** Serves on the loop, as a protocol does, and ends the (empty) body there. */
    private static RequestBodySink serve(AppBridge bridge, Exchange exchange, boolean emptyBody) throws Exception {
        return LOOP.submit(() -> {
            RequestBodySink sink = bridge.serve(exchange);
            if (emptyBody) {
                sink.onData(Unpooled.EMPTY_BUFFER, true);
            }
            return sink;
        }).get(10, TimeUnit.SECONDS);
    }

    private static Started get(AppBridge bridge, Exchange exchange) throws Exception {
        serve(bridge, exchange, true);
        return exchange.response();
    }

    private static void onLoop(Runnable task) throws Exception {
        LOOP.submit(task).get(10, TimeUnit.SECONDS);
    }

    // ---- rate limit ----

    @Test
    void pastTheBurstARequestGets429WithRetryAfterAndTheAppNeverSeesIt() throws Exception {
        var bridge = bridge(b -> b.rateLimitEnabled(true).rateLimitBurst(2).rateLimitRequestsPerSecond(0.01));
        assertEquals(200, get(bridge, new Exchange("GET", "/", REMOTE)).status());
        assertEquals(200, get(bridge, new Exchange("GET", "/", REMOTE)).status(), "the burst's last token");
        Started refused = get(bridge, new Exchange("GET", "/", REMOTE));
        assertEquals(429, refused.status(), "one over the burst");
        assertEquals("Too Many Requests\n", refused.body());
        long retryAfter = Long.parseLong(refused.headers().first("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 100, "a token every 100 s, less what has refilled: " + retryAfter);
        assertEquals(Optional.of("text/plain; charset=utf-8"), refused.headers().first("content-type"));
        assertEquals(Optional.of("18"), refused.headers().first("content-length"));
        assertTrue(refused.headers().first("x-request-id").orElseThrow().matches("[0-9a-f]{32}"));
        assertEquals(2, app.calls("/"));
        assertEquals(2, bridge.served(), "a refused request is not served");
        assertEquals(200, get(bridge, new Exchange("GET", "/", new Endpoint("192.0.2.2", 5000))).status(),
                "another client has its own bucket");
    }

    @Test
    void theBucketIsTheClientsTheBridgeBelieves() throws Exception {
        var bridge = bridge(b -> b.rateLimitEnabled(true).rateLimitBurst(1).rateLimitRequestsPerSecond(0.01)
                .forwardedAllowIps(List.of("127.0.0.1")));
        // Through the trusted proxy, each forwarded client has its own bucket, and the proxy's own is untouched.
        assertEquals(200, get(bridge, new Exchange("GET", "/", PROXY, "x-forwarded-for", "198.51.100.1")).status());
        assertEquals(429, get(bridge, new Exchange("GET", "/", PROXY, "x-forwarded-for", "198.51.100.1")).status());
        assertEquals(200, get(bridge, new Exchange("GET", "/", PROXY, "x-forwarded-for", "198.51.100.2")).status());
        assertEquals(200, get(bridge, new Exchange("GET", "/", PROXY)).status());
        // From an untrusted peer the field is not believed: the peer's bucket, whatever it claims.
        assertEquals(200, get(bridge, new Exchange("GET", "/", REMOTE, "x-forwarded-for", "198.51.100.3")).status());
        assertEquals(429, get(bridge, new Exchange("GET", "/", REMOTE, "x-forwarded-for", "198.51.100.4")).status());
    }

    @Test
    void healthProbesAreNeverLimited() throws Exception {
        var bridge = bridge(b -> b.healthPath("/healthz").rateLimitEnabled(true).rateLimitBurst(1)
                .rateLimitRequestsPerSecond(0.01).limitConcurrency(1));
        serve(bridge, new Exchange("GET", "/hold?h", REMOTE), true);
        assertTrue(app.latch("h-in").await(10, TimeUnit.SECONDS));
        assertEquals(503, get(bridge, new Exchange("GET", "/", new Endpoint("192.0.2.9", 1))).status(),
                "the worker is full");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(bridge, new Exchange("GET", "/healthz", REMOTE)).status(), "probe " + i);
        }
        app.latch("h").countDown();
    }

    // ---- in-flight cap ----

    @Test
    void atTheCapTheNextRequestGets503AndASlotFreedServesAgain() throws Exception {
        var bridge = bridge(b -> b.limitConcurrency(2));
        var first = new Exchange("GET", "/hold?a", REMOTE);
        var second = new Exchange("GET", "/hold?b", REMOTE);
        serve(bridge, first, true);
        serve(bridge, second, true);
        assertTrue(app.latch("a-in").await(10, TimeUnit.SECONDS));
        assertTrue(app.latch("b-in").await(10, TimeUnit.SECONDS), "the second of two runs: exactly at the cap");

        Started refused = get(bridge, new Exchange("GET", "/", REMOTE));
        assertEquals(503, refused.status(), "one over the cap");
        assertEquals(Optional.of("5"), refused.headers().first("retry-after"));
        assertEquals("Service Unavailable - Server Overloaded\n", refused.body());
        assertTrue(refused.headers().contains("x-request-id"));
        assertEquals(0, app.calls("/"));

        app.latch("a").countDown();
        assertEquals(200, first.response().status());
        // The slot comes back when the app's call is over, just after its response: wait for it, not for time.
        Started next;
        do {
            next = get(bridge, new Exchange("GET", "/", REMOTE));
        } while (next.status() == 503);
        assertEquals(200, next.status());
        app.latch("b").countDown();
        assertEquals(200, second.response().status());
    }

    @Test
    void aQueuedRequestKeepsItsBodyAndRunsWhenASlotFrees() throws Exception {
        var bridge = bridge(b -> b.limitConcurrency(1).limitQueue(1).queueTimeout(Duration.ofSeconds(60)));
        var holder = new Exchange("GET", "/hold?q", REMOTE);
        serve(bridge, holder, true);
        assertTrue(app.latch("q-in").await(10, TimeUnit.SECONDS));

        var queued = new Exchange("POST", "/echo", REMOTE);
        RequestBodySink sink = serve(bridge, queued, false);
        onLoop(() -> {
            sink.onData(Unpooled.copiedBuffer("hello, ", StandardCharsets.US_ASCII), false);
            sink.onData(Unpooled.copiedBuffer("queue", StandardCharsets.US_ASCII), true);
        });
        assertEquals(503, get(bridge, new Exchange("GET", "/", REMOTE)).status(), "one past the queue");
        assertFalse(queued.started.isDone());
        assertEquals(0, app.calls("/echo"), "a queued request has not reached the app");

        app.latch("q").countDown();
        Started echoed = queued.response();
        assertEquals(200, echoed.status());
        assertEquals("hello, queue", echoed.body(), "the body that came while it waited, in order");
        assertEquals(200, holder.response().status());
    }

    @Test
    void aQueuedRequestWhoseTimeIsUpGets503AndItsBodyIsReleased() throws Exception {
        var bridge = bridge(b -> b.limitConcurrency(1).limitQueue(1).queueTimeout(Duration.ofMillis(20)));
        serve(bridge, new Exchange("GET", "/hold?t", REMOTE), true);
        assertTrue(app.latch("t-in").await(10, TimeUnit.SECONDS));
        var queued = new Exchange("POST", "/echo", REMOTE);
        RequestBodySink sink = serve(bridge, queued, false);
        ByteBuf chunk = Unpooled.copiedBuffer("never read", StandardCharsets.US_ASCII);
        onLoop(() -> sink.onData(chunk, false));
        Started refused = queued.response();
        assertEquals(503, refused.status());
        assertEquals(Optional.of("5"), refused.headers().first("retry-after"));
        assertEquals(0, chunk.refCnt(), "the body it held is released");
        ByteBuf late = Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII);
        onLoop(() -> sink.onData(late, true));
        assertEquals(0, late.refCnt(), "and what comes after is dropped");
        assertEquals(0, app.calls("/echo"));
        app.latch("t").countDown();
    }

    @Test
    void aQueuedRequestWhoseClientLeftNeverRunsAndGivesItsPlaceUp() throws Exception {
        var bridge = bridge(b -> b.limitConcurrency(1).limitQueue(1).queueTimeout(Duration.ofSeconds(60)));
        var holder = new Exchange("GET", "/hold?d", REMOTE);
        serve(bridge, holder, true);
        assertTrue(app.latch("d-in").await(10, TimeUnit.SECONDS));
        var gone = new Exchange("POST", "/echo", REMOTE);
        RequestBodySink sink = serve(bridge, gone, false);
        ByteBuf chunk = Unpooled.copiedBuffer("half a body", StandardCharsets.US_ASCII);
        onLoop(() -> {
            sink.onData(chunk, false);
            sink.onDisconnect();
        });
        assertEquals(0, chunk.refCnt());
        var next = new Exchange("GET", "/", REMOTE);
        serve(bridge, next, true);
        assertFalse(next.started.isDone(), "the place is free again: the next request waits rather than 503");
        app.latch("d").countDown();
        assertEquals(200, next.response().status());
        assertEquals(0, app.calls("/echo"), "the request whose client left never ran");
        assertFalse(gone.started.isDone());
    }
}
