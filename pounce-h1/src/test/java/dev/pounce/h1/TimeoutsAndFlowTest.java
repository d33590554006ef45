package dev.pounce.h1;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timeouts on a frozen clock, request-body flow control, pipelining back-pressure and draining. */
@ExtendWith(LeakCheck.class)
class TimeoutsAndFlowTest {

    private static final Duration MS = Duration.ofMillis(1);
    static final ServerConfig TIMED = Harness.quiet()
            .headerTimeout(Duration.ofSeconds(10)).keepAliveTimeout(Duration.ofSeconds(5))
            .requestBodyTimeout(Duration.ofSeconds(30)).maxRequestBodySize(0).build();

    @Test
    void slowHeadGets408() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\n");
        h.advance(Duration.ofSeconds(5));
        h.send("Host: a\r\n");
        h.advance(Duration.ofSeconds(5).minus(MS));
        assertTrue(h.open(), "bytes that trickle in do not extend the head's deadline; not yet due");
        h.advance(MS);
        BadInputTest.assertRefused(h, 408);
        assertEquals(0, h.bridge.calls.size());
    }

    @Test
    void silentNewConnectionIsClosedWithoutAnswer() {
        var h = new Harness(TIMED);
        h.advance(Duration.ofSeconds(10));
        assertFalse(h.open());
        assertEquals("", h.out());
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilently() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.advance(Duration.ofSeconds(60));
        assertTrue(h.open(), "no timeout runs while the app works");
        h.bridge.last().respond(200, "");
        h.out();
        h.advance(Duration.ofSeconds(5).minus(MS));
        assertTrue(h.open());
        h.advance(MS);
        assertFalse(h.open());
        assertEquals("", h.out());
    }

    @Test
    void extraCrlfAfterABodyLeavesTheConnectionIdle() {
        var h = new Harness(TIMED);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi\r\n");
        h.bridge.last().respond(200, "");
        h.out();
        h.advance(Duration.ofSeconds(10));
        assertFalse(h.open());
        assertEquals("", h.out(), "an empty line is not a head in progress: no 408");
    }

    @Test
    void headTimeoutStartsAtItsFirstByteNotAtTheIdleStart() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.bridge.last().respond(200, "");
        h.out();
        h.advance(Duration.ofSeconds(4));
        h.send("GET / HT");
        h.advance(Duration.ofSeconds(9));
        assertTrue(h.open(), "the idle deadline is gone once a head starts");
        h.advance(Duration.ofSeconds(1));
        BadInputTest.assertRefused(h, 408);
    }

    @Test
    void stalledBodyGets408AndTheAppIsTold() {
        var h = new Harness(TIMED);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234");
        h.advance(Duration.ofSeconds(20));
        h.send("5");
        h.advance(Duration.ofSeconds(30).minus(MS));
        assertTrue(h.open(), "progress moves the body deadline");
        h.advance(MS);
        BadInputTest.assertRefused(h, 408);
        assertEquals(1, h.bridge.last().disconnects);
    }

    @Test
    void stalledBodyAfterTheResponseStartedJustCloses() {
        var h = new Harness(TIMED);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234");
        var call = h.bridge.last();
        call.exchange.start(200, dev.pounce.api.Headers.empty(), RecordingBridge.Call.buf("x"), false);
        h.out();
        h.advance(Duration.ofSeconds(30));
        assertFalse(h.open());
        assertEquals("", h.out());
        assertEquals(1, call.disconnects);
    }

    @Test
    void bodyTimerWaitsWhileTheClientWaitsForContinue() {
        var h = new Harness(TIMED);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        h.advance(Duration.ofSeconds(60));
        assertTrue(h.open(), "the client is right to wait for our 100");
        h.bridge.last().exchange.requestBody();
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", h.out());
        h.advance(Duration.ofSeconds(30));
        BadInputTest.assertRefused(h, 408);
    }

    @Test
    void unconsumedBodyStopsReadingUntilTheAppCatchesUp() {
        var h = new Harness(TIMED);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 200000\r\n\r\n");
        var call = h.bridge.last();
        h.send("x".repeat(Http1Connection.BODY_CREDIT));
        assertTrue(h.channel.config().isAutoRead(), "64 KiB unconsumed is still within credit");
        h.send("x");
        assertFalse(h.channel.config().isAutoRead(), "past 64 KiB the socket is not read");
        h.advance(Duration.ofSeconds(60));
        assertTrue(h.open(), "no body timeout while the app is the slow one");
        call.exchange.consumed(10_000);
        assertTrue(h.channel.config().isAutoRead());
        assertEquals(Http1Connection.BODY_CREDIT + 1, call.body.size());
    }

    @Test
    void pipelinedBytesAreBoundedWhileAResponseIsPending() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        String next = "GET /n HTTP/1.1\r\nHost: a\r\n\r\n";
        StringBuilder many = new StringBuilder();
        while (many.length() <= Http1Connection.PIPELINE_BUFFER) {
            many.append(next);
        }
        h.send(many.toString());
        assertFalse(h.channel.config().isAutoRead());
        assertEquals(1, h.bridge.calls.size());
        h.bridge.last().respond(200, "");
        assertTrue(h.channel.config().isAutoRead());
        assertEquals(2, h.bridge.calls.size());
    }

    @Test
    void drainClosesAnIdleConnectionAfterAShortGrace() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.bridge.last().respond(200, "");
        h.out();
        assertTrue(h.open());
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        h.advance(Http1Connection.DRAIN_GRACE.minusMillis(1));
        assertTrue(h.open(), "closed before the grace was over");
        h.advance(Duration.ofMillis(1));
        assertFalse(h.open());
        assertEquals("", h.out(), "an idle close sends nothing");
    }

    @Test
    void drainLeavesAFreshConnectionItsHeaderTimeout() {
        var h = new Harness(TIMED);
        h.advance(Duration.ofSeconds(1));
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        h.advance(Duration.ofSeconds(8));
        assertTrue(h.open(), "a client that just connected is about to send; the drain grace is not its deadline");
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(1, h.bridge.calls.size());
        answerClosesTheConnection(h);
    }

    @Test
    void drainLeavesAFreshConnectionWithAPartialHeadItsHeaderTimeout() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\n");
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        h.advance(Duration.ofSeconds(9));
        h.send("Host: a\r\n\r\n");
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void aFreshConnectionOfADrainingWorkerStillGetsItsHeaderTimeout() {
        var h = new Harness(TIMED);
        h.draining = true;
        h.advance(Duration.ofSeconds(10).minus(MS));
        assertTrue(h.open());
        h.advance(MS);
        assertFalse(h.open());
        assertEquals("", h.out());
    }

    @Test
    void aRequestArrivingDuringTheDrainGraceIsServedWithConnectionClose() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.bridge.last().respond(200, "");
        h.out();
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        h.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, h.bridge.calls.size(), "the request that crossed the drain was not served");
        answerClosesTheConnection(h);
    }

    @Test
    void drainClosesABusyConnectionAfterItsResponse() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.channel.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        assertTrue(h.open());
        answerClosesTheConnection(h);
    }

    @Test
    void drainingWorkerAddsConnectionClose() {
        var h = new Harness(TIMED);
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.draining = true;
        answerClosesTheConnection(h);
    }

    /** The app answers the last request: the answer says Connection: close, and the connection closes. */
    private static void answerClosesTheConnection(Harness h) {
        h.bridge.last().respond(200, "");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", h.out());
        assertFalse(h.open());
    }
}
