package dev.pounce.h1;

import org.junit.jupiter.api.extension.ExtendWith;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Request smuggling and malformed input, one row per attack: each gets its status, a text/plain reason,
 * {@code Connection: close}, a closed connection and a report to the bridge; a bad head never reaches the app.
 */
@ExtendWith(LeakCheck.class)
class BadInputTest {

    private static final String H = "Host: a\r\n";

    static Stream<Arguments> badHeads() {
        return Stream.of(
                // Content-Length and Transfer-Encoding (RFC 9112 section 6.3)
                arguments("CL with TE", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                arguments("TE with CL", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400),
                arguments("two equal CL", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n", 400),
                arguments("two different CL", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
                arguments("CL list", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 5\r\n\r\n", 400),
                arguments("CL plus sign", "POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\n", 400),
                arguments("CL negative", "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400),
                arguments("CL inner space", "POST / HTTP/1.1\r\n" + H + "Content-Length: 1 0\r\n\r\n", 400),
                arguments("CL hex", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x5\r\n\r\n", 400),
                arguments("CL empty", "POST / HTTP/1.1\r\n" + H + "Content-Length: \r\n\r\n", 400),
                arguments("CL overflow", "POST / HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999\r\n\r\n", 400),
                // Transfer-Encoding (RFC 9112 sections 6.1 and 7)
                arguments("TE gzip, chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
                arguments("TE chunked, gzip", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400),
                arguments("TE chunked twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400),
                arguments("TE xchunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: xchunked\r\n\r\n", 501),
                arguments("TE identity", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity\r\n\r\n", 501),
                arguments("TE vertical tab", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\u000b\r\n\r\n", 400),
                arguments("TE form feed before", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \u000cchunked\r\n\r\n", 400),
                arguments("TE quoted", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \"chunked\"\r\n\r\n", 400),
                arguments("TE empty", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \r\n\r\n", 400),
                arguments("TE twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                arguments("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                // Host (RFC 9112 section 3.2)
                arguments("missing Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
                arguments("two Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                // Field lines (RFC 9112 section 5)
                arguments("obs-fold", "GET / HTTP/1.1\r\n" + H + "X-A: b\r\n c\r\n\r\n", 400),
                arguments("obs-fold tab", "GET / HTTP/1.1\r\n" + H + "X-A: b\r\n\tc\r\n\r\n", 400),
                arguments("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
                arguments("tab before colon", "GET / HTTP/1.1\r\n" + H + "X-A\t: b\r\n\r\n", 400),
                arguments("no colon", "GET / HTTP/1.1\r\n" + H + "X-A b\r\n\r\n", 400),
                arguments("empty name", "GET / HTTP/1.1\r\n" + H + ": b\r\n\r\n", 400),
                arguments("bad name byte", "GET / HTTP/1.1\r\n" + H + "X(A): b\r\n\r\n", 400),
                // Bytes that must not be there (RFC 9112 section 2.2, RFC 9110 section 5.5)
                arguments("bare CR in value", "GET / HTTP/1.1\r\n" + H + "X-A: b\rc\r\n\r\n", 400),
                arguments("bare CR line end", "GET / HTTP/1.1\r\n" + H + "X-A: b\r\r\n\r\n", 400),
                arguments("bare CR in target", "GET /\r HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("bare LF request line", "GET / HTTP/1.1\n" + H + "\r\n", 400),
                arguments("bare LF field", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400),
                arguments("bare LF end", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
                arguments("NUL in value", "GET / HTTP/1.1\r\n" + H + "X-A: b\u0000c\r\n\r\n", 400),
                arguments("NUL in name", "GET / HTTP/1.1\r\n" + H + "X\u0000A: b\r\n\r\n", 400),
                arguments("NUL in target", "GET /a\u0000b HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("control in value", "GET / HTTP/1.1\r\n" + H + "X-A: b\u0001\r\n\r\n", 400),
                arguments("DEL in value", "GET / HTTP/1.1\r\n" + H + "X-A: b\u007fc\r\n\r\n", 400),
                // Request line (RFC 9112 section 3)
                arguments("bad method", "G(T / HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("method over 32 bytes", "M".repeat(33) + " / HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("tab after method", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("leading space", " GET / HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("two spaces after method", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("two spaces before version", "GET /  HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("trailing space", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400),
                arguments("space in target", "GET /a b HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("high byte in target", "GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("asterisk with GET", "GET * HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("authority-form with GET", "GET example.com:80 HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
                arguments("absolute-form without authority", "GET http:///a HTTP/1.1\r\n" + H + "\r\n", 400),
                arguments("HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505),
                arguments("HTTP/3.0", "GET / HTTP/3.0\r\n" + H + "\r\n", 505),
                arguments("HTTP/1.1x", "GET / HTTP/1.1x\r\n" + H + "\r\n", 400),
                arguments("lower-case version", "GET / http/1.1\r\n" + H + "\r\n", 400),
                arguments("HTTP/1", "GET / HTTP/1\r\n" + H + "\r\n", 400),
                arguments("no version", "GET /\r\n" + H + "\r\n", 400),
                arguments("too many empty lines", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n", 400),
                // Expectations (RFC 9110 section 10.1.1)
                arguments("unknown Expect", "POST / HTTP/1.1\r\n" + H + "Expect: 200-ok\r\nContent-Length: 1\r\n\r\n", 417));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badHeads")
    void badHeadIsRefused(String name, String request, int status) {
        var h = new Harness();
        h.send(request);
        assertRefused(h, status);
        assertEquals(0, h.bridge.calls.size(), "a bad head never reaches the app");
    }

    static Stream<Arguments> badChunkedBodies() {
        return Stream.of(
                arguments("non-hex size", "zz\r\nhello\r\n0\r\n\r\n", 400),
                arguments("empty size", "\r\nhello\r\n0\r\n\r\n", 400),
                arguments("17 hex digits", "00000000000000005\r\nhello\r\n0\r\n\r\n", 400),
                arguments("size overflow", "ffffffffffffffff\r\nhello\r\n0\r\n\r\n", 400),
                arguments("space after size", "5 \r\nhello\r\n0\r\n\r\n", 400),
                arguments("missing CRLF after data", "5\r\nhelloXY5\r\nhello\r\n0\r\n\r\n", 400),
                arguments("LF only after data", "5\r\nhello\n0\r\n\r\n", 400),
                arguments("bare LF after size", "5\nhello\r\n0\r\n\r\n", 400),
                arguments("negative size", "-5\r\nhello\r\n0\r\n\r\n", 400),
                arguments("extension too long", "5;" + "a".repeat(ChunkedDecoder.MAX_CHUNK_LINE) + "\r\nhello\r\n0\r\n\r\n", 400),
                arguments("control in extension", "5;a=\u0001\r\nhello\r\n0\r\n\r\n", 400),
                arguments("trailer without colon", "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", 400),
                arguments("trailers too large", "0\r\nX: " + "t".repeat(2000) + "\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badChunkedBodies")
    void badChunkedBodyIsRefused(String name, String body, int status) {
        var h = new Harness(Harness.quiet().maxHeaderSize(1024).build());
        h.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        assertRefused(h, status);
        assertEquals(1, h.bridge.calls.size());
        assertEquals(1, h.bridge.last().disconnects, "the app learns its request is over");
    }

    static void assertRefused(Harness h, int status) {
        assertRefusedAnswer(h, status);
        assertFalse(h.open(), "the connection is closed");
    }

    /** The answer and the report of a refusal, whether or not the connection has closed yet. */
    static void assertRefusedAnswer(Harness h, int status) {
        String out = h.out();
        assertTrue(out.startsWith("HTTP/1.1 " + status + " "), out);
        assertTrue(out.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"), out);
        assertTrue(out.contains("\r\nConnection: close\r\n"), out);
        assertEquals(1, h.bridge.rejections.size());
        assertTrue(h.bridge.rejections.getFirst().startsWith(status + " "), h.bridge.rejections.toString());
        String reason = h.bridge.rejections.getFirst().substring(4);
        assertTrue(out.endsWith("\r\n\r\n" + reason + "\n"), "the body names the problem: " + out);
    }
}
