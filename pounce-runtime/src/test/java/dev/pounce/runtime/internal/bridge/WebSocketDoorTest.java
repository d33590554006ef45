package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.App;
import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import dev.pounce.spi.WebSocketSummary;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket door of the bridge (ASGI {@code websocket}): the scope it builds and how it turns the app's messages
 * into calls on the plugin's {@link WebSocketSession}, and the plugin's deliveries into the app's receives. The
 * session here stands in for the WebSocket plugin's side of the SPI and records each call.
 */
class WebSocketDoorTest {

    private static final EventLoop LOOP = new DefaultEventLoop();

    @AfterAll
    static void stopLoop() {
        LOOP.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    /** Records every call the bridge makes, as text, in order. */
    private static final class Session implements WebSocketSession {
        final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        final RequestHead head;
        volatile boolean writable = true;
        volatile Runnable waiting;
        /** Whether {@link #idle} is recorded among the calls; off, it is only counted. */
        volatile boolean recordIdle;
        final java.util.concurrent.atomic.AtomicInteger idles = new java.util.concurrent.atomic.AtomicInteger();

        Session(String version, String target, String... subprotocols) {
            this.head = new RequestHead(version.equals("1.1") ? "GET" : "CONNECT", target, version,
                    Headers.of("host", "example.test", "sec-websocket-protocol", String.join(", ", subprotocols)));
            this.subprotocols = List.of(subprotocols);
        }

        private final List<String> subprotocols;

        /** A handshake with these fields, offering no subprotocol. */
        Session(RequestHead head) {
            this.head = head;
            this.subprotocols = List.of();
        }

        @Override
        public RequestHead head() {
            return head;
        }

        @Override
        public ConnectionInfo connection() {
            return new ConnectionInfo(7, new WorkerIdentity(0, 0), Optional.of(new Endpoint("192.0.2.1", 5000)),
                    Optional.of(new Endpoint("127.0.0.1", 8000)), true);
        }

        @Override
        public EventLoop eventLoop() {
            return LOOP;
        }

        @Override
        public List<String> subprotocols() {
            return subprotocols;
        }

        /** The fields of the last accept or denial. */
        volatile Headers answered = Headers.empty();

        @Override
        public void accept(Optional<String> subprotocol, Headers headers) {
            answered = headers;
            calls.add("accept " + subprotocol.orElse("-") + " " + headers.first("x-app").orElse("-"));
        }

        @Override
        public void deny(int status, Headers headers, ByteBuf body) {
            answered = headers;
            calls.add("deny " + status + " " + body.toString(StandardCharsets.UTF_8));
            body.release();
        }

        @Override
        public void sendText(String text) {
            calls.add("text " + text);
        }

        @Override
        public void sendBinary(ByteBuf bytes) {
            calls.add("binary " + bytes.readableBytes());
            bytes.release();
        }

        @Override
        public void close(int code, String reason) {
            calls.add("close " + code + " " + reason);
        }

        @Override
        public void consumed(int bytes) {
            calls.add("consumed " + bytes);
        }

        @Override
        public void idle() {
            idles.incrementAndGet();
            if (recordIdle) {
                calls.add("idle");
            }
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void whenWritable(Runnable callback) {
            // The callback first: the test runs it as soon as it sees "waiting".
            waiting = callback;
            calls.add("waiting");
        }

        String next() throws InterruptedException {
            String call = calls.poll(10, TimeUnit.SECONDS);
            if (call == null) {
                throw new AssertionError("no call from the bridge within 10 s");
            }
            return call;
        }
    }

    private static WebSocketInbound serve(App app, Session session, BlockingQueue<LifecycleEvent> events) {
        return serve(app, session, events, ServerConfig.builder().rootPath("/api").build());
    }

    private static WebSocketInbound serve(App app, Session session, BlockingQueue<LifecycleEvent> events,
                                          ServerConfig config) {
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
        var bridge = new AppBridge(app, config, new WorkerIdentity(0, 0),
                new HashMap<>(), sink, Thread.ofVirtual().factory(), () -> { }, AltSvc.NONE, new Readiness());
        return bridge.serveWebSocket(session);
    }

    private static WebSocketInbound serve(App app, Session session) {
        return serve(app, session, new LinkedBlockingQueue<>());
    }

    @Test
    void theScopeIsAWebSocketScopeWithTheOfferedSubprotocolsAndNoMethod() throws Exception {
        var seen = new CompletableFuture<WebSocketScope>();
        serve((scope, receive, send) -> seen.complete((WebSocketScope) scope),
                new Session("2", "/chat%20room?x=1", "chat", "superchat"));
        WebSocketScope scope = seen.get(10, TimeUnit.SECONDS);
        assertEquals("wss", scope.scheme());
        assertEquals("2", scope.httpVersion());
        assertEquals("/api/chat room", scope.path());
        assertEquals("/api/chat%20room", scope.rawPath());
        assertEquals("x=1", scope.queryString());
        assertEquals(List.of("chat", "superchat"), scope.subprotocols());
        assertEquals(Optional.of(new Endpoint("192.0.2.1", 5000)), scope.client());
    }

    @Test
    void connectComesFirstThenAcceptThenWholeMessagesThenTheRealCloseCode() throws Exception {
        var received = new LinkedBlockingQueue<Object>();
        var session = new Session("1.1", "/ws", "chat");
        WebSocketInbound inbound = serve((scope, receive, send) -> {
            received.add(receive.receive());
            send.send(new WebSocketMessage.Accept(Optional.of("chat"), Headers.of("x-app", "yes")));
            while (true) {
                var m = receive.receive();
                received.add(m);
                if (m instanceof WebSocketMessage.Disconnect) {
                    return;
                }
                var text = ((WebSocketMessage.Receive) m).text();
                send.send(new WebSocketMessage.Send(text, text.isPresent() ? Optional.empty()
                        : Optional.of(new byte[3])));
            }
        }, session);
        assertInstanceOf(WebSocketMessage.Connect.class, received.poll(10, TimeUnit.SECONDS));
        assertEquals("accept chat yes", session.next());
        inbound.onText("héllo", 6);
        inbound.onBinary(Unpooled.wrappedBuffer(new byte[]{1, 2, 3}));
        var text = (WebSocketMessage.Receive) received.poll(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("héllo"), text.text());
        assertEquals("consumed 6", session.next());
        assertEquals("text héllo", session.next());
        var binary = (WebSocketMessage.Receive) received.poll(10, TimeUnit.SECONDS);
        assertEquals(3, binary.bytes().orElseThrow().length);
        assertEquals("consumed 3", session.next());
        assertEquals("binary 3", session.next());
        inbound.onDisconnect(1001, "going away");
        assertEquals(new WebSocketMessage.Disconnect(1001, "going away"), received.poll(10, TimeUnit.SECONDS));
        // The session ended with the client's close: the app returning adds nothing.
        assertEquals(null, session.calls.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void anAppThatReturnsWithoutClosingClosesWith1000() throws Exception {
        var session = new Session("1.1", "/ws");
        serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
        }, session);
        assertEquals("accept - -", session.next());
        assertEquals("close 1000 ", session.next());
    }

    @Test
    void aCloseBeforeAcceptingIsA403() throws Exception {
        var session = new Session("1.1", "/ws");
        serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Close(1000, ""));
        }, session);
        assertEquals("deny 403 ", session.next());
    }

    @Test
    void anAppThatReturnsWithoutAnsweringGets403AndOneThatThrowsGets500() throws Exception {
        var quiet = new Session("1.1", "/ws");
        serve((scope, receive, send) -> { }, quiet);
        assertEquals("deny 403 ", quiet.next());
        var failing = new Session("1.1", "/ws");
        serve((scope, receive, send) -> {
            throw new IllegalStateException("boom");
        }, failing);
        assertEquals("deny 500 ", failing.next());
    }

    @Test
    void aDenialResponseIsSentWholeWithTheAppsStatusAndBody() throws Exception {
        var session = new Session("2", "/ws");
        serve((scope, receive, send) -> {
            send.send(new WebSocketMessage.DenialStart(401, Headers.of("www-authenticate", "Bearer")));
            send.send(new WebSocketMessage.DenialBody("log in ".getBytes(StandardCharsets.UTF_8), true));
            send.send(new WebSocketMessage.DenialBody("first".getBytes(StandardCharsets.UTF_8), false));
        }, session);
        assertEquals("deny 401 log in first", session.next());
    }

    @Test
    void acceptingASubprotocolTheClientDidNotOfferIsTheAppsError() throws Exception {
        var session = new Session("1.1", "/ws", "chat");
        serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.of("other"), Headers.empty()));
        }, session);
        assertEquals("deny 500 ", session.next());
    }

    @Test
    void anAppThatThrowsAfterAcceptingClosesWith1011() throws Exception {
        var session = new Session("1.1", "/ws");
        serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
            throw new IllegalStateException("boom");
        }, session);
        assertEquals("accept - -", session.next());
        assertEquals("close 1011 ", session.next());
    }

    @Test
    void aSendWaitsWhileThePeerCannotTakeMore() throws Exception {
        var session = new Session("1.1", "/ws");
        var sent = new CompletableFuture<Void>();
        session.writable = false;
        serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
            send.send(new WebSocketMessage.Send(Optional.of("later"), Optional.empty()));
            sent.complete(null);
        }, session);
        assertEquals("accept - -", session.next());
        assertEquals("waiting", session.next());
        assertFalse(sent.isDone(), "the send went through while the peer could take nothing");
        session.writable = true;
        session.waiting.run();
        assertEquals("text later", session.next());
        sent.get(10, TimeUnit.SECONDS);
    }

    /** A receive that finds nothing tells the plugin, after the sends the app made before it. */
    @Test
    void aReceiveWithNothingToTakeSaysTheAppIsIdleAfterItsReplies() throws Exception {
        var session = new Session("2", "/ws");
        session.recordIdle = true;
        WebSocketInbound inbound = serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
            var m = (WebSocketMessage.Receive) receive.receive();
            send.send(new WebSocketMessage.Send(m.text(), Optional.empty()));
            receive.receive();
        }, session);
        assertEquals("accept - -", session.next());
        assertEquals("idle", session.next(), "the first receive after accepting finds nothing");
        inbound.onText("ping", 4);
        assertEquals("consumed 4", session.next());
        assertEquals("text ping", session.next());
        assertEquals("idle", session.next(), "said after the reply went to the plugin");
        inbound.onDisconnect(1000, "");
        assertEquals(2, session.idles.get());
    }

    private static WebSocketMessage drain(dev.pounce.api.Receive receive) throws InterruptedException {
        WebSocketMessage m;
        do {
            m = (WebSocketMessage) receive.receive();
        } while (!(m instanceof WebSocketMessage.Disconnect));
        return m;
    }

    /** The session's line and event wait for the plugin's summary when the app returns first. */
    @Test
    void anAcceptedSessionIsLoggedWithItsSummaryOnceItEndedAfterTheAppReturned() throws Exception {
        var events = new LinkedBlockingQueue<LifecycleEvent>();
        var session = new Session("1.1", "/ws");
        WebSocketInbound inbound = serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
        }, session, events);
        assertInstanceOf(LifecycleEvent.RequestStarted.class, events.poll(10, TimeUnit.SECONDS));
        assertEquals("accept - -", session.next());
        assertEquals("close 1000 ", session.next());
        inbound.onDisconnect(1000, "");
        inbound.onEnded(new WebSocketSummary(2, 10, 3, 12_345, 1000));
        var done = (LifecycleEvent.RequestCompleted) events.poll(10, TimeUnit.SECONDS);
        assertEquals(101, done.status());
        assertEquals("GET", done.method());
        assertEquals(12_345, done.bytesSent(), "the bytes are the plugin's count, so the event waited for it");
        assertFalse(done.aborted());
    }

    /** ... and the app's return when the session ended first. */
    @Test
    void aSessionThatEndedBeforeTheAppReturnedIsLoggedWhenItReturns() throws Exception {
        var events = new LinkedBlockingQueue<LifecycleEvent>();
        var session = new Session("2", "/ws");
        var release = new CompletableFuture<Void>();
        var heard = new CompletableFuture<WebSocketMessage>();
        WebSocketInbound inbound = serve((scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
            heard.complete(drain(receive));
            release.get(10, TimeUnit.SECONDS);
            throw new IllegalStateException("failing after the end on purpose");
        }, session, events);
        assertInstanceOf(LifecycleEvent.RequestStarted.class, events.poll(10, TimeUnit.SECONDS));
        assertEquals("accept - -", session.next());
        inbound.onDisconnect(1006, "");
        inbound.onEnded(new WebSocketSummary(0, 0, 1, 7, 1006));
        assertEquals(new WebSocketMessage.Disconnect(1006, ""), heard.get(10, TimeUnit.SECONDS));
        release.complete(null);
        var done = (LifecycleEvent.RequestCompleted) events.poll(10, TimeUnit.SECONDS);
        assertEquals(200, done.status());
        assertEquals("CONNECT", done.method());
        assertEquals(7, done.bytesSent());
        assertTrue(done.aborted(), "the app's failure, known only once it returned, is in the event");
    }

    @Test
    void aDeniedSessionIsLoggedWhenTheAppReturns() throws Exception {
        var events = new LinkedBlockingQueue<LifecycleEvent>();
        serve((scope, receive, send) -> {
            send.send(new WebSocketMessage.DenialStart(401, Headers.empty()));
            send.send(new WebSocketMessage.DenialBody("no".getBytes(StandardCharsets.UTF_8), false));
        }, new Session("1.1", "/ws"), events);
        assertInstanceOf(LifecycleEvent.RequestStarted.class, events.poll(10, TimeUnit.SECONDS));
        var done = (LifecycleEvent.RequestCompleted) events.poll(10, TimeUnit.SECONDS);
        assertEquals(401, done.status());
        assertEquals(2, done.bytesSent());
    }

    @Test
    void theSessionHasARequestIdInItsScopeAndItsAnswer() throws Exception {
        var seen = new CompletableFuture<WebSocketScope>();
        var session = new Session("1.1", "/ws");
        serve((scope, receive, send) -> {
            seen.complete((WebSocketScope) scope);
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
        }, session);
        assertTrue(session.next().startsWith("accept"));
        String id = seen.get(10, TimeUnit.SECONDS).requestId().orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(Optional.of(id), session.answered.first("x-request-id"));
    }

    @Test
    void aTrustedProxysFieldsMakeTheClientAndAWsOrWssScheme() throws Exception {
        var seen = new LinkedBlockingQueue<WebSocketScope>();
        App app = (scope, receive, send) -> seen.add((WebSocketScope) scope);
        var trusting = ServerConfig.builder().forwardedAllowIps(List.of("192.0.2.0/24")).build();
        // The test's connection is TLS from 192.0.2.1: a proxy that says its client came over plain HTTP.
        serve(app, new Session(new RequestHead("GET", "/ws", "1.1", Headers.of("host", "10.0.0.1",
                "x-forwarded-for", "198.51.100.7", "x-forwarded-proto", "http", "x-forwarded-host", "chat.example"))),
                new LinkedBlockingQueue<>(), trusting);
        WebSocketScope plain = seen.poll(10, TimeUnit.SECONDS);
        assertEquals("ws", plain.scheme());
        assertEquals(Optional.of(new Endpoint("198.51.100.7", 0)), plain.client());
        assertEquals(List.of("chat.example"), plain.headers().all("host"));
        serve(app, new Session(new RequestHead("CONNECT", "/ws", "2", Headers.of("host", "10.0.0.1",
                "forwarded", "for=\"[2001:db8::7]\";proto=https"))), new LinkedBlockingQueue<>(), trusting);
        WebSocketScope secure = seen.poll(10, TimeUnit.SECONDS);
        assertEquals("wss", secure.scheme());
        assertEquals(Optional.of(new Endpoint("2001:db8:0:0:0:0:0:7", 0)), secure.client());
        // From a peer not in the list: the connection's own.
        serve(app, new Session(new RequestHead("GET", "/ws", "1.1", Headers.of("host", "10.0.0.1",
                "x-forwarded-for", "198.51.100.7", "x-forwarded-proto", "http"))), new LinkedBlockingQueue<>(),
                ServerConfig.builder().forwardedAllowIps(List.of("10.0.0.0/8")).build());
        WebSocketScope untrusted = seen.poll(10, TimeUnit.SECONDS);
        assertEquals("wss", untrusted.scheme());
        assertEquals(Optional.of(new Endpoint("192.0.2.1", 5000)), untrusted.client());
        assertEquals(List.of("198.51.100.7"), untrusted.headers().all("x-forwarded-for"));
    }

    @Test
    void aHandshakeOnTheHealthPathIsRefusedWithoutTheApp() throws Exception {
        var session = new Session("1.1", "/healthz");
        serve((scope, receive, send) -> {
            throw new AssertionError("the app must not see the health path");
        }, session, new LinkedBlockingQueue<>(), ServerConfig.builder().healthPath("/healthz").build());
        assertEquals("deny 405 Method Not Allowed\n", session.next());
        assertEquals(Optional.of("GET, HEAD"), session.answered.first("allow"));
        assertTrue(session.answered.contains("x-request-id"));
    }

    /** Where the load-limit tests' bridges send their events: nowhere. */
    private static final EventSink QUIET = new EventSink() {
        @Override
        public void publish(LifecycleEvent event) {
        }

        @Override
        public boolean active() {
            return false;
        }
    };

    @Test
    void aHandshakePastTheRateLimitIsDenied429WithoutTheApp() throws Exception {
        var opened = new java.util.concurrent.atomic.AtomicInteger();
        App app = (scope, receive, send) -> {
            opened.incrementAndGet();
            receive.receive();
            send.send(new WebSocketMessage.Close(1000, ""));
        };
        var bridge = new AppBridge(app, ServerConfig.builder().rateLimitEnabled(true).rateLimitBurst(1)
                .rateLimitRequestsPerSecond(0.01).build(), new WorkerIdentity(0, 0), new HashMap<>(), QUIET,
                Thread.ofVirtual().factory(), () -> { }, AltSvc.NONE, new Readiness());
        var first = new Session("1.1", "/ws");
        bridge.serveWebSocket(first);
        assertEquals("deny 403 ", first.next(), "the burst's token: the app ran, and closed before accepting");
        var second = new Session("1.1", "/ws");
        bridge.serveWebSocket(second);
        assertEquals("deny 429 Too Many Requests\n", second.next());
        assertTrue(second.answered.first("retry-after").map(Long::parseLong).orElseThrow() >= 1);
        assertTrue(second.answered.contains("x-request-id"));
        assertEquals(1, opened.get());
    }

    @Test
    void aHandshakeWhileTheWorkerIsAtItsCapIsDenied503AndASessionHoldsNoSlot() throws Exception {
        var release = new CountDownLatch(1);
        var inside = new CountDownLatch(1);
        App app = (scope, receive, send) -> {
            if (scope instanceof dev.pounce.api.HttpScope) {
                inside.countDown();
                release.await(30, TimeUnit.SECONDS);
                send.send(new dev.pounce.api.HttpMessage.ResponseStart(204, Headers.empty()));
                send.send(new dev.pounce.api.HttpMessage.ResponseBody(new byte[0], false));
            } else {
                receive.receive();
                send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
                receive.receive();
            }
        };
        var bridge = new AppBridge(app, ServerConfig.builder().limitConcurrency(1).build(), new WorkerIdentity(0, 0),
                new HashMap<>(), QUIET, Thread.ofVirtual().factory(), () -> { }, AltSvc.NONE,
                new Readiness());
        // An accepted session takes no slot: the HTTP request after it still runs.
        var session = new Session("1.1", "/ws");
        bridge.serveWebSocket(session);
        assertEquals("accept - -", session.next());
        var exchange = new LoadLimitsBridgeTest.Exchange("GET", "/", new Endpoint("192.0.2.1", 5000));
        bridge.serve(exchange).onData(io.netty.buffer.Unpooled.EMPTY_BUFFER, true);
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        // Now the one slot is the request's: a handshake is refused, not queued.
        var refused = new Session("2", "/ws");
        bridge.serveWebSocket(refused);
        assertEquals("deny 503 Service Unavailable - Server Overloaded\n", refused.next());
        assertEquals(Optional.of("5"), refused.answered.first("retry-after"));
        release.countDown();
        assertEquals(204, exchange.response().status());
    }

    @Test
    void theAccessLogLineCarriesMessagesAndBytesEachWayAndTheCloseCode() {
        var log = new AccessLog(true, "text", new WorkerIdentity(3, 0));
        var conn = new Session("1.1", "/ws").connection();
        assertEquals("192.0.2.1:5000 - \"GET /ws?room=1 HTTP/1.1\" 101 12 1500.0ms [id-1] w3 websocket in=2/10 "
                        + "out=3/12 close=1001", log.sessionLine(conn.client(), "GET", "/ws?room=1", "1.1", 101, 12,
                1_500_000_000L, "id-1", Optional.of(new WebSocketSummary(2, 10, 3, 12, 1001))));
        assertEquals("192.0.2.1:5000 - \"CONNECT /ws HTTP/2\" 403 0 0.5ms [id-2] w3 websocket",
                log.sessionLine(conn.client(),
                "CONNECT", "/ws", "2", 403, 0, 500_000L, "id-2", Optional.empty()));
    }
}
