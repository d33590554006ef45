package dev.pounce.h1;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.pounce.api.Headers;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pounce.h1.RecordingBridge.Call.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests, responses and the keep-alive cycle of one connection. */
@ExtendWith(LeakCheck.class)
class Http1ConnectionTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    void simpleGet() {
        var h = new Harness();
        h.send("GET /hello?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Test/1\r\nX-Two: a\r\nx-two: b\r\n\r\n");

        assertEquals(1, h.bridge.calls.size());
        var call = h.call(0);
        var head = call.exchange.head();
        assertEquals("GET", head.method());
        assertEquals("/hello?x=1", head.target());
        assertEquals("1.1", head.version());
        assertEquals(Headers.of("host", "example.com", "user-agent", "Test/1", "x-two", "a", "x-two", "b"),
                head.headers());
        assertEquals(List.of(true), call.lastFlags, "a request without body gets one empty last chunk");
        assertEquals("", call.body());

        call.respond(200, "hi", "content-type", "text/plain");
        assertEquals("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nContent-Length: 2\r\n\r\nhi", h.out());
        assertTrue(h.open());
    }

    @Test
    void keepAliveServesTwoRequestsInTurn() {
        var h = new Harness();
        h.send(GET);
        h.call(0).respond(200, "one");
        h.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, h.bridge.calls.size());
        assertEquals("/2", h.call(1).exchange.head().target());
        h.call(1).respond(200, "two");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo", h.out());
        assertTrue(h.open());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        var h = new Harness();
        h.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(1, h.bridge.calls.size(), "the second request waits for the first response");

        var first = h.call(0);
        first.exchange.start(200, Headers.empty(), buf("a"), false);
        assertEquals(1, h.bridge.calls.size(), "a started response is not an ended one");
        first.exchange.body(buf("b"), true);
        assertEquals(2, h.bridge.calls.size());
        assertEquals("/2", h.call(1).exchange.head().target());

        h.call(1).respond(200, "2");
        h.call(2).respond(200, "3");
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n3", h.out());
    }

    @Test
    void responseAnsweredInsideServeDoesNotStallThePipeline() {
        var h = new Harness();
        h.bridge.onServe = call -> call.respond(204, "");
        h.send(GET + GET + GET);
        assertEquals(3, h.bridge.calls.size());
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n".repeat(3), h.out());
        h.bridge.calls.forEach(c -> assertEquals(List.of(true), c.lastFlags));
    }

    @Test
    void contentLengthBodyArrivesInPieces() {
        var h = new Harness();
        h.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhel");
        var call = h.call(0);
        h.send("lo wo");
        h.send("rld" + GET);
        assertEquals("hello world", call.body());
        assertEquals(List.of(false, false, true), call.lastFlags);
        assertEquals(1, h.bridge.calls.size(), "the next request waits for the response");
        call.respond(200, "");
        assertEquals(2, h.bridge.calls.size());
    }

    @Test
    void chunkedBodyIsDeliveredInOrderWithTheLastFlag() {
        var h = new Harness();
        String request = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "5\r\nhello\r\n6;name=\"v\"\r\n world\r\nA\r\n, chunked!\r\n0\r\nX-Trailer: t\r\n\r\n";
        // Byte by byte: every state of the decoder sees a split.
        for (char c : request.toCharArray()) {
            h.send(String.valueOf(c));
        }
        var call = h.call(0);
        assertEquals("hello world, chunked!", call.body());
        assertTrue(call.complete());
        assertEquals(1, call.lastFlags.stream().filter(b -> b).count());
        assertEquals(0, call.disconnects);
        call.respond(200, "ok");
        h.send(GET);
        assertEquals(2, h.bridge.calls.size(), "the trailers were consumed, the next request parses");
    }

    @Test
    void chunkedResponseAndTrailers() {
        var h = new Harness();
        h.send(GET);
        var ex = h.call(0).exchange;
        ex.start(200, Headers.of("content-type", "text/event-stream"), buf("ab"), false);
        assertEquals("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nab\r\n", h.out(), "head and first chunk are flushed at once");
        ex.body(Unpooled.EMPTY_BUFFER, false);
        assertEquals("", h.out(), "an empty chunk would end the body; nothing is written");
        ex.body(buf("0123456789abcdef0"), false);
        assertEquals("11\r\n0123456789abcdef0\r\n", h.out());
        ex.trailers(Headers.of("x-checksum", "42"));
        assertEquals("0\r\nx-checksum: 42\r\n\r\n", h.out());
        assertTrue(h.open());
        h.send(GET);
        assertEquals(2, h.bridge.calls.size());
    }

    @Test
    void largeBodyChunkIsWrittenWithoutCopy() {
        var h = new Harness();
        h.send(GET);
        String big = "x".repeat(20_000);
        h.call(0).exchange.start(200, Headers.empty(), buf(big), false);
        h.call(0).exchange.body(buf(big), true);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4e20\r\n" + big + "\r\n4e20\r\n" + big
                + "\r\n0\r\n\r\n", h.out());
    }

    @Test
    void trailersAreDroppedWithContentLength() {
        var h = new Harness();
        h.send(GET);
        var ex = h.call(0).exchange;
        ex.start(200, Headers.of("content-length", "3"), buf("abc"), false);
        ex.trailers(Headers.of("x-t", "1"));
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc", h.out());
        h.send(GET);
        assertEquals(2, h.bridge.calls.size(), "trailers ended the response");
    }

    @Test
    void bodyLongerThanDeclaredClosesTheConnection() {
        var h = new Harness();
        h.send(GET);
        var ex = h.call(0).exchange;
        ex.start(200, Headers.of("content-length", "2"), buf("ab"), false);
        ex.body(buf("c"), true);
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nab", h.out());
        assertFalse(h.open());
    }

    @Test
    void bodyShorterThanDeclaredClosesTheConnection() {
        var h = new Harness();
        h.send(GET);
        h.call(0).exchange.start(200, Headers.of("content-length", "5"), buf("ab"), true);
        assertFalse(h.open());
    }

    @Test
    void headResponseHasNoBodyButKeepsContentLength() {
        var h = new Harness();
        h.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.call(0).respond(200, "hello", "content-length", "5");
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n", h.out());
        assertTrue(h.open());
        h.send(GET);
        assertEquals(2, h.bridge.calls.size());
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() {
        var h = new Harness();
        h.send(GET);
        h.call(0).respond(204, "ignored", "content-length", "7");
        h.send(GET);
        h.call(1).respond(304, "ignored", "content-length", "7");
        assertEquals("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\ncontent-length: 7\r\n\r\n", h.out());
        assertTrue(h.open());
    }

    @Test
    void http10ClosesByDefault() {
        var h = new Harness();
        h.send("GET / HTTP/1.0\r\n\r\n");
        assertEquals("1.0", h.call(0).exchange.head().version());
        h.call(0).respond(200, "x");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx", h.out());
        assertFalse(h.open());
    }

    @Test
    void http10KeepAliveOnRequest() {
        var h = new Harness();
        h.send("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        h.call(0).respond(200, "x");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx", h.out());
        assertTrue(h.open());
    }

    @Test
    void http10StreamIsDelimitedByClose() {
        var h = new Harness();
        h.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var ex = h.call(0).exchange;
        ex.start(200, Headers.empty(), buf("a"), false);
        ex.body(buf("b"), true);
        assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nab", h.out());
        assertFalse(h.open());
    }

    @Test
    void connectionCloseFromClientOrApp() {
        var h = new Harness();
        h.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        h.call(0).respond(200, "");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", h.out());
        assertFalse(h.open());

        var h2 = new Harness();
        h2.send(GET);
        h2.call(0).respond(200, "", "connection", "close");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", h2.out());
        assertFalse(h2.open());
    }

    @Test
    void dateAndServerHeaders() {
        var h = new Harness(Harness.quiet().dateHeader(true).serverHeader("pounce").build());
        h.send(GET);
        h.call(0).respond(200, "");
        String out = h.out();
        assertTrue(out.matches("(?s)HTTP/1.1 200 OK\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} "
                + "\\d{2}:\\d{2}:\\d{2} GMT\r\nServer: pounce\r\nContent-Length: 0\r\n\r\n"), out);

        h.send(GET);
        h.call(1).respond(200, "", "server", "mine");
        assertFalse(h.out().contains("Server: pounce"), "the app's Server wins");
    }

    @Test
    void earlyHintsAreWrittenAtOnce() {
        var h = new Harness();
        h.send(GET);
        var ex = h.call(0).exchange;
        ex.informational(103, Headers.of("link", "</s.css>; rel=preload"));
        assertEquals("HTTP/1.1 103 Early Hints\r\nlink: </s.css>; rel=preload\r\n\r\n", h.out());
        ex.informational(103, Headers.of("link", "</a.js>; rel=preload"));
        assertTrue(h.out().startsWith("HTTP/1.1 103"), "hints are repeatable");
        h.call(0).respond(200, "");
        assertTrue(h.out().startsWith("HTTP/1.1 200 OK"));

        var h10 = new Harness();
        h10.send("GET / HTTP/1.0\r\n\r\n");
        h10.call(0).exchange.informational(103, Headers.of("link", "</s.css>"));
        assertEquals("", h10.out(), "HTTP/1.0 cannot take a 1xx");
    }

    @Test
    void continueIsSentOnlyWhenTheAppReadsTheBody() {
        var h = new Harness();
        h.send("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        var call = h.call(0);
        assertEquals("", h.out(), "no 100 before the app asks for the body");
        call.exchange.requestBody();
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", h.out());
        h.send("hello");
        assertEquals("hello", call.body());
        call.respond(201, "");
        assertEquals("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", h.out());
        assertTrue(h.open());
    }

    @Test
    void responseWithoutReadingAnExpectedBodyClosesWithoutContinue() {
        var h = new Harness();
        h.send("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        h.call(0).respond(413, "no");
        assertEquals("HTTP/1.1 413 Content Too Large\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno", h.out());
        assertFalse(h.open());
    }

    @Test
    void continueIsNotSentForHttp10() {
        var h = new Harness();
        h.send("PUT /f HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        h.call(0).exchange.requestBody();
        assertEquals("", h.out());
    }

    @Test
    void unreadSmallBodyIsDroppedAndTheConnectionKept() {
        var h = new Harness();
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");
        var call = h.call(0);
        call.respond(200, "early");
        h.send("67890" + GET);
        assertTrue(h.open());
        assertEquals(2, h.bridge.calls.size());
        assertEquals("12345", call.body(), "bytes after the response are not the app's");
    }

    @Test
    void absoluteFormTargetPassesPathAndQuery() {
        var h = new Harness();
        h.send("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
        assertEquals("/a/b?c=d", h.call(0).exchange.head().target());
        h.call(0).respond(200, "");
        h.send("GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals("/", h.call(1).exchange.head().target());
    }

    @Test
    void asteriskFormWithOptionsAndUnknownMethodsPass() {
        var h = new Harness();
        h.send("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("*", h.call(0).exchange.head().target());
        h.call(0).respond(204, "");
        h.send("QUERY /search HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nq=1");
        assertEquals("QUERY", h.call(1).exchange.head().method());
        assertEquals("q=1", h.call(1).body());
    }

    @Test
    void leadingEmptyLinesAreSkipped() {
        var h = new Harness();
        h.send("\r\n\r\n" + GET);
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void garbageAfterACompletedRequestGets400() {
        var h = new Harness();
        h.send(GET + "\u0001garbage\r\n\r\n");
        assertEquals(1, h.bridge.calls.size());
        h.call(0).respond(200, "ok");
        String out = h.out();
        assertTrue(out.startsWith("HTTP/1.1 200 OK"), out);
        assertTrue(out.contains("HTTP/1.1 400 Bad Request\r\n"), out);
        assertFalse(h.open());
        assertEquals(1, h.bridge.rejections.size());
    }

    @Test
    void clientLeavingWhileTheAppRespondsIsTold() {
        var h = new Harness();
        h.send(GET);
        var call = h.call(0);
        call.exchange.start(200, Headers.of("content-type", "text/event-stream"), buf("data: 1\n\n"), false);
        h.channel.close();
        assertEquals(1, call.disconnects, "after the last body chunk, a close still reaches the app (SSE)");
        call.exchange.body(buf("data: 2\n\n"), false);
        assertEquals(1, call.disconnects, "at most once");
    }

    @Test
    void clientLeavingAfterTheResponseIsNotTold() {
        var h = new Harness();
        h.send(GET);
        var call = h.call(0);
        call.respond(200, "");
        h.channel.close();
        assertEquals(0, call.disconnects);
    }

    @Test
    void closeAfterAConnectionCloseResponseIsNotADisconnect() {
        var h = new Harness();
        h.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        h.call(0).respond(200, "");
        assertFalse(h.open());
        assertEquals(0, h.call(0).disconnects, "the app had nothing left to wait for");
    }

    @Test
    void anAppStillReadingTheBodyAfterItsResponseIsToldTheClientLeft() {
        var h = new Harness();
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");
        var call = h.call(0);
        call.respond(200, "early");
        h.channel.close();
        assertEquals(1, call.disconnects, "its next receive must not wait for a body that will never come");
    }

    @Test
    void abortClosesTheConnection() {
        var h = new Harness();
        h.send(GET);
        var ex = h.call(0).exchange;
        ex.start(200, Headers.empty(), buf("a"), false);
        ex.abort(new IllegalStateException("app failed"));
        assertFalse(h.open());
    }

    @Test
    void whenWritableRunsAtOnceOrAtTheEnd() {
        var h = new Harness();
        h.send(GET);
        var ex = h.call(0).exchange;
        assertTrue(ex.writable());
        int[] runs = {0};
        ex.whenWritable(() -> runs[0]++);
        assertEquals(1, runs[0]);
    }

    @Test
    void eventLoopAndConnectionAreExposed() {
        var h = new Harness();
        h.send(GET);
        var ex = h.call(0).exchange;
        assertEquals(h.channel.eventLoop(), ex.eventLoop());
        assertEquals(7, ex.connection().id());
    }
}
