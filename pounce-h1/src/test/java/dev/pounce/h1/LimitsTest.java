package dev.pounce.h1;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.pounce.api.ServerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every size limit exactly at its edge: at the limit passes, one byte or field over fails. */
@ExtendWith(LeakCheck.class)
class LimitsTest {

    private static final ServerConfig SMALL = Harness.quiet()
            .maxRequestLineSize(64).maxHeaderSize(1024).maxHeaders(3).maxRequestBodySize(10).build();

    /** A request line of exactly {@code length} bytes, CRLF not counted. */
    private static String requestLine(int length) {
        String fixed = "GET / HTTP/1.1";
        return "GET /" + "a".repeat(length - fixed.length()) + " HTTP/1.1";
    }

    @Test
    void requestLineAtTheLimitPasses() {
        var h = new Harness(SMALL);
        assertEquals(64, requestLine(64).length());
        h.send(requestLine(64) + "\r\nHost: a\r\n\r\n");
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void requestLineOverTheLimitIs414() {
        var h = new Harness(SMALL);
        h.send(requestLine(65) + "\r\nHost: a\r\n\r\n");
        BadInputTest.assertRefused(h, 414);
    }

    @Test
    void incompleteRequestLineOverTheLimitIs414AtOnce() {
        var h = new Harness(SMALL);
        h.send(requestLine(64) + "\r");
        assertEquals("", h.out(), "64 bytes and a CR may still end well");
        assertTrue(h.open());
        var h2 = new Harness(SMALL);
        h2.send(requestLine(65));
        BadInputTest.assertRefused(h2, 414);
    }

    /** Field lines (with CRLF) totalling exactly {@code size} bytes, Host included. */
    private static String block(int size) {
        String host = "Host: a\r\n";
        String prefix = "X: ";
        return host + prefix + "v".repeat(size - host.length() - prefix.length() - 2) + "\r\n";
    }

    @Test
    void headerBlockAtTheLimitPasses() {
        var h = new Harness(SMALL);
        assertEquals(1024, block(1024).length());
        h.send("GET / HTTP/1.1\r\n" + block(1024) + "\r\n");
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void headerBlockOverTheLimitIs431() {
        var h = new Harness(SMALL);
        h.send("GET / HTTP/1.1\r\n" + block(1025) + "\r\n");
        BadInputTest.assertRefused(h, 431);
    }

    @Test
    void incompleteHeaderBlockOverTheLimitIs431AtOnce() {
        var h = new Harness(SMALL);
        String block = block(1024);
        h.send("GET / HTTP/1.1\r\n" + block.substring(0, block.length() - 1));
        assertEquals("", h.out(), "1024 bytes may still end well with an LF");
        h.send("x");
        BadInputTest.assertRefused(h, 431);
    }

    @Test
    void headerCountAtTheLimitPasses() {
        var h = new Harness(SMALL);
        h.send("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n");
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void headerCountOverTheLimitIs431() {
        var h = new Harness(SMALL);
        h.send("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
        BadInputTest.assertRefused(h, 431);
    }

    @Test
    void declaredBodyAtTheLimitPasses() {
        var h = new Harness(SMALL);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789");
        assertEquals("0123456789", h.bridge.last().body());
    }

    @Test
    void declaredBodyOverTheLimitIs413BeforeDispatch() {
        var h = new Harness(SMALL);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n");
        BadInputTest.assertRefused(h, 413);
        assertEquals(0, h.bridge.calls.size());
    }

    @Test
    void chunkedBodyAtTheLimitPasses() {
        var h = new Harness(SMALL);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n");
        assertEquals("0123456789", h.bridge.last().body());
        assertTrue(h.bridge.last().complete());
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndTheAppIsTold() {
        var h = new Harness(SMALL);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n567890\r\n0\r\n\r\n");
        BadInputTest.assertRefused(h, 413);
        assertEquals(1, h.bridge.last().disconnects);
    }

    @Test
    void chunkedBodyOverTheLimitAfterTheResponseStartedJustCloses() {
        var h = new Harness(SMALL);
        h.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n");
        var call = h.bridge.last();
        call.exchange.start(200, dev.pounce.api.Headers.empty(), RecordingBridge.Call.buf("x"), false);
        h.out();
        h.send("6\r\n567890\r\n");
        assertEquals("", h.out(), "no second status line inside a started response");
        assertTrue(!h.open());
        assertEquals(1, call.disconnects);
    }

    @Test
    void maxRequestsPerConnection() {
        var h = new Harness(Harness.quiet().maxRequestsPerConnection(2).build());
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.bridge.last().respond(200, "");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", h.out());
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.bridge.last().respond(200, "");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", h.out());
        assertTrue(!h.open());
        assertEquals(2, h.bridge.calls.size());
    }
}
