package dev.pounce.h2;

import dev.pounce.h2.CodecClient.Data;
import dev.pounce.h2.CodecClient.GoAway;
import dev.pounce.h2.CodecClient.Got;
import dev.pounce.h2.CodecClient.Headers;
import dev.pounce.h2.CodecClient.Ping;
import dev.pounce.h2.CodecClient.Reset;
import dev.pounce.h2.CodecClient.Settings;
import dev.pounce.h2.CodecClient.WindowUpdate;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.UpgradeOffer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extended CONNECT (RFC 8441) through the upgrade SPI, against a real server with the test-only {@link EchoProvider}
 * on the class path, seen from Netty's HTTP/2 client codec. Every wait is for a frame or a listener event.
 */
class ExtendedConnectTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestApps.ROUTES);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /** Opens an echo tunnel on a new stream and checks the 200; returns the stream. */
    private static Http2FrameStream open(CodecClient c, String path) throws Exception {
        Http2FrameStream stream = c.extendedConnect("echo", path);
        Headers h = c.next(Headers.class, stream.id());
        assertEquals("200", h.status(), h.toString());
        assertFalse(h.end(), "a tunnel's 200 ends the stream");
        return stream;
    }

    @Test
    void theServerSaysItTakesExtendedConnect() throws Exception {
        try (var c = CodecClient.connect(server.port())) {
            var settings = (Settings) c.until(g -> g instanceof Settings).getLast();
            assertEquals(Boolean.TRUE, settings.settings().connectProtocolEnabled());
        }
    }

    @Test
    void anAcceptedTunnelEchoesAndBothEndsCloseItCleanly() throws Exception {
        String path = "/echo/clean";
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = c.extendedConnect("echo", path);
            Headers h = c.next(Headers.class, stream.id());
            assertEquals("200", h.status());
            assertEquals("ready", h.headers().get("x-echo").toString());
            assertNull(h.headers().get("content-length"), "a 2xx answer to CONNECT has no length");
            assertTrue(h.headers().contains("date"), h.toString());
            assertFalse(h.end());

            EchoSession session = await(EchoProvider.session(path));
            assertEquals("CONNECT", session.head.method());
            assertEquals(path, session.head.target());
            assertEquals("2", session.head.version());
            assertEquals("host", session.head.headers().name(0));
            assertEquals("localhost", session.head.headers().value(0));

            c.data(stream, "hello".getBytes(StandardCharsets.US_ASCII), false);
            Data echoed = c.next(Data.class, stream.id());
            assertEquals("hello", echoed.text());
            assertFalse(echoed.end());

            c.data(stream, new byte[0], true);
            await(session.ended);
            Data end = c.next(Data.class, stream.id());
            assertTrue(end.end(), end.toString());
            assertEquals(0, end.bytes().length);
            assertTrue(await(session.closed), "both sides ended, yet the close was not clean");
        }
    }

    @Test
    void aClientResetReachesTheListenerAndTheConnectionGoesOn() throws Exception {
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = open(c, "/echo/reset");
            EchoSession session = await(EchoProvider.session("/echo/reset"));
            c.reset(stream, Http2Error.CANCEL);
            assertFalse(await(session.closed), "a reset tunnel closed cleanly");

            Http2FrameStream next = open(c, "/echo/after-reset");
            c.data(next, "again".getBytes(StandardCharsets.US_ASCII), false);
            assertEquals("again", c.next(Data.class, next.id()).text());
        }
    }

    @Test
    void aDeniedOfferGetsTheProvidersResponseThenNoError() throws Exception {
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = c.extendedConnect("echo", "/deny");
            Headers h = c.next(Headers.class, stream.id());
            assertEquals("403", h.status());
            assertEquals("denied", h.headers().get("x-echo").toString());
            assertEquals(Integer.toString(EchoProvider.DENIED.length()), h.headers().get("content-length").toString());
            assertTrue(h.headers().contains("date"), h.toString());
            Data body = c.next(Data.class, stream.id());
            assertEquals(EchoProvider.DENIED, body.text());
            assertTrue(body.end());
            // The client never ended its side: it is asked to stop, without losing the answer.
            assertEquals(Http2Error.NO_ERROR.code(), c.next(Reset.class, stream.id()).code());
        }
    }

    @Test
    void aProtocolNoProviderTakesGets501NamingIt() throws Exception {
        assertRefusedWith501("nope", "/anything", "extended CONNECT for protocol nope is not supported\n");
        assertRefusedWith501("echo", "/decline", "extended CONNECT for protocol echo is not supported\n");
    }

    private static void assertRefusedWith501(String protocol, String path, String body) throws Exception {
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = c.extendedConnect(protocol, path);
            Headers h = c.next(Headers.class, stream.id());
            assertEquals("501", h.status());
            Data d = c.next(Data.class, stream.id());
            assertEquals(body, d.text());
            assertTrue(d.end());
        }
    }

    @Test
    void aPlainConnectStays501() throws Exception {
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = c.request(new DefaultHttp2Headers().method("CONNECT")
                    .authority("example.com:443"), false);
            assertEquals("501", c.next(Headers.class, stream.id()).status());
        }
    }

    /**
     * While the offer waits for its answer, DATA is held and its credit kept, so the stream window bounds it; once
     * accepted, the provider hears it first, and the credit goes back as it consumes.
     */
    @Test
    void dataBeforeTheAnswerIsHeldWithinTheWindowThenDelivered() throws Exception {
        String path = "/later/held";
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = c.extendedConnect("echo", path);
            UpgradeOffer offer = await(EchoProvider.offer(path));
            byte[] early = new byte[40_000];
            c.data(stream, early, false);
            // A PING's answer comes after anything the server wrote for the DATA before it.
            c.ping(41);
            List<Got> before = c.until(g -> g instanceof Ping p && p.ack());
            assertTrue(before.stream().noneMatch(g -> g.stream() == stream.id()),
                    "the server answered or returned credit before the provider did: " + before);

            EchoSession session = EchoProvider.accept(offer);
            assertEquals("200", c.next(Headers.class, stream.id()).status());
            int echoed = 0;
            int credit = 0;
            while (echoed < early.length) {
                switch (c.next()) {
                    case Data d when d.stream() == stream.id() -> echoed += d.bytes().length;
                    case WindowUpdate w when w.stream() == stream.id() -> credit += w.increment();
                    default -> { }
                }
            }
            assertEquals(early.length, echoed);
            assertEquals(early.length, session.received.get());
            // The provider consumed each chunk once it was echoed; past half the window that is a WINDOW_UPDATE,
            // written before the next chunk's DATA.
            assertTrue(credit > 0 && credit <= early.length, "credit returned: " + credit);
        }
    }

    /** A client that resets the stream before the answer cancels the offer; an answer after that finds it gone. */
    @Test
    void aClientLeavingBeforeTheAnswerCancelsTheOffer() throws Exception {
        String path = "/later/cancel";
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = c.extendedConnect("echo", path);
            UpgradeOffer offer = await(EchoProvider.offer(path));
            var cancelled = new CompletableFuture<Void>();
            offer.whenCancelled(() -> cancelled.complete(null));
            c.data(stream, new byte[100], false);
            c.reset(stream, Http2Error.CANCEL);
            await(cancelled);

            EchoSession late = EchoProvider.accept(offer);
            assertFalse(await(late.closed), "a tunnel whose client had gone closed cleanly");
            assertEquals(0, late.received.get(), "bytes of a cancelled offer reached its late tunnel");
            // Registered after the cancel: runs at once.
            var again = new CompletableFuture<Void>();
            offer.whenCancelled(() -> again.complete(null));
            assertNull(await(again));
        }
    }

    /** The request-body timer is for request bodies: an offer waiting for its provider is not timed out. */
    @Test
    void noBodyTimerRunsWhileAnOfferWaits() throws Exception {
        String path = "/later/timer";
        try (var quick = TestServer.start(TestApps.ROUTES, b -> b.requestBodyTimeout(Duration.ofMillis(300)));
             var c = CodecClient.connect(quick.port())) {
            Http2FrameStream tunnel = c.extendedConnect("echo", path);
            UpgradeOffer offer = await(EchoProvider.offer(path));
            c.data(tunnel, new byte[10], false);
            // A request whose body stalls after the offer's: timed from later, so it expires no sooner.
            Http2FrameStream upload = c.request(new DefaultHttp2Headers().method("POST").scheme("http").path("/")
                    .authority("localhost"), false);
            c.data(upload, new byte[10], false);
            List<Got> seen = c.until(g -> g instanceof Headers h && h.stream() == upload.id());
            assertEquals("408", ((Headers) seen.getLast()).status());
            assertTrue(seen.stream().noneMatch(g -> g.stream() == tunnel.id()), seen.toString());

            EchoProvider.accept(offer);
            assertEquals("200", c.next(Headers.class, tunnel.id()).status());
            assertEquals(10, c.next(Data.class, tunnel.id()).bytes().length);
        }
    }

    /**
     * A client that stops reading: the provider's writes fill the windows, the tunnel says it is not writable, and
     * a waiter runs only once the client sends WINDOW_UPDATE.
     */
    @Test
    void writesWaitForAClientThatDoesNotRead() throws Exception {
        String path = "/echo/slow";
        try (var c = CodecClient.connect(server.port())) {
            Http2FrameStream stream = open(c, path);
            Tunnel tunnel = await(await(EchoProvider.session(path)).opened);
            int total = 3 * 32 * 1024;
            for (int i = 0; i < 3; i++) {
                tunnel.write(Unpooled.wrappedBuffer(new byte[32 * 1024]));
            }
            // Asked on the loop after the writes: 96 KiB against 64 KiB windows.
            assertFalse(tunnel.eventLoop().submit(tunnel::writable).get(10, TimeUnit.SECONDS));
            assertFalse(tunnel.writable());
            var writable = new CompletableFuture<Void>();
            tunnel.whenWritable(() -> writable.complete(null));

            int got = 0;
            while (got < 65_535) {
                got += c.next(Data.class, stream.id()).bytes().length;
            }
            assertEquals(65_535, got, "the server sent past the client's windows");
            tunnel.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertFalse(writable.isDone(), "writable again though the client returned nothing");

            c.consume(stream, got);
            await(writable);
            while (got < total) {
                got += c.next(Data.class, stream.id()).bytes().length;
            }
            assertEquals(total, got);
        }
    }

    /** A tunnel is an active stream: it counts against SETTINGS_MAX_CONCURRENT_STREAMS. */
    @Test
    void aTunnelCountsAgainstTheConcurrentStreams() throws Exception {
        try (var one = TestServer.start(TestApps.ROUTES, b -> b.set(Http2Section.MAX_CONCURRENT_STREAMS, 1));
             var c = FrameClient.connect(one.port())) {
            c.headers(1, FrameClient.request("CONNECT", "/echo/limit", ":protocol", "echo"), false);
            var ok = c.readUntil(f -> f.stream() == 1).orElseThrow();
            assertEquals("200", ok.status(), ok.toString());
            c.headers(3, FrameClient.request("GET", "/"), true);
            var refused = c.readUntil(f -> f.stream() == 3).orElseThrow();
            assertEquals(FrameClient.RST_STREAM, refused.type(), refused.toString());
            assertEquals(FrameClient.REFUSED_STREAM, refused.errorCode());
        }
    }

    /** On drain the tunnel's provider hears it; the tunnel finishes, then the connection closes. */
    @Test
    void aDrainReachesTheTunnelWhichStillEndsCleanly() throws Exception {
        String path = "/echo/drain";
        var draining = TestServer.start(TestApps.ROUTES);
        try (var c = CodecClient.connect(draining.port())) {
            Http2FrameStream stream = open(c, path);
            EchoSession session = await(EchoProvider.session(path));
            Thread.ofVirtual().start(draining::close);
            c.until(g -> g instanceof GoAway);
            await(session.drained);
            c.data(stream, "bye".getBytes(StandardCharsets.US_ASCII), true);
            assertEquals("bye", c.next(Data.class, stream.id()).text());
            assertTrue(await(session.closed));
        } finally {
            draining.close();
        }
    }
}
