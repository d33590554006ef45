package dev.pounce.tests;

import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed and hostile HTTP/1.1 input, one JUnit case per request: each gets the protocol's own status and a closed
 * connection (RFC 9112: when framing is in doubt, the connection cannot be reused). The limits are set small here
 * and tested at their edge: exactly at the limit is served, one byte (or field) over is refused.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputTest {

    static final int REQUEST_LINE_LIMIT = 512;
    static final int HEADER_BLOCK_LIMIT = 2048;
    static final int HEADER_COUNT_LIMIT = 20;
    static final int BODY_LIMIT = 1000;

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(new TestApp(), c -> c
            .maxRequestLineSize(REQUEST_LINE_LIMIT)
            .maxHeaderSize(HEADER_BLOCK_LIMIT)
            .maxHeaders(HEADER_COUNT_LIMIT)
            .maxRequestBodySize(BODY_LIMIT));

    static final String H = "Host: t\r\n";

    /** The table: name, raw request, the statuses RFC 9110/9112 allow for it. */
    static Stream<Arguments> badRequests() {
        return Stream.of(
                // Request smuggling: two parties must never frame one request differently.
                bad("Content-Length and Transfer-Encoding",
                        "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                bad("Transfer-Encoding then Content-Length",
                        "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400),
                bad("two equal Content-Length fields",
                        "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n", 400),
                bad("two different Content-Length fields",
                        "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
                bad("Content-Length list 5, 5", "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 5, 5\r\n\r\n", 400),
                bad("Content-Length +5", "POST /echo HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\n", 400),
                bad("Content-Length -1", "POST /echo HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400),
                bad("Content-Length 0x5", "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 0x5\r\n\r\n", 400),
                bad("Content-Length 5 5", "POST /echo HTTP/1.1\r\n" + H + "Content-Length:  5 5\r\n\r\n", 400),
                bad("Content-Length empty", "POST /echo HTTP/1.1\r\n" + H + "Content-Length:\r\n\r\n", 400),
                bad("Content-Length overflowing a long",
                        "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999\r\n\r\n", 400),
                bad("Transfer-Encoding gzip, chunked",
                        "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501, 400),
                bad("Transfer-Encoding chunked, gzip",
                        "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, 501),
                bad("Transfer-Encoding xchunked",
                        "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: xchunked\r\n\r\n", 501),
                bad("Transfer-Encoding in HTTP/1.0",
                        "POST /echo HTTP/1.0\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n", 400),
                bad("two Transfer-Encoding fields", "POST /echo HTTP/1.1\r\n" + H
                        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                // The head itself.
                bad("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400),
                bad("two Host fields", "GET / HTTP/1.1\r\n" + H + "Host: u\r\n\r\n", 400),
                bad("obs-fold", "GET / HTTP/1.1\r\n" + H + "X-A: a\r\n b\r\n\r\n", 400),
                bad("space before colon", "GET / HTTP/1.1\r\n" + H + "X-A : a\r\n\r\n", 400),
                bad("header line without colon", "GET / HTTP/1.1\r\n" + H + "X-A a\r\n\r\n", 400),
                bad("empty header name", "GET / HTTP/1.1\r\n" + H + ": a\r\n\r\n", 400),
                bad("non-token byte in header name", "GET / HTTP/1.1\r\n" + H + "X@A: a\r\n\r\n", 400),
                bad("bare CR in a header value", "GET / HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n", 400),
                bad("bare LF line endings", "GET / HTTP/1.1\n" + "Host: t\n\n", 400),
                bad("NUL in a header value", "GET / HTTP/1.1\r\n" + H + "X-A: a\0b\r\n\r\n", 400),
                bad("control byte in the target", "GET /a\u0001b HTTP/1.1\r\n" + H + "\r\n", 400),
                bad("invalid method GE(T", "GE(T / HTTP/1.1\r\n" + H + "\r\n", 400),
                bad("two spaces in the request line", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400),
                bad("lower-case version", "GET / http/1.1\r\n" + H + "\r\n", 400),
                bad("version HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505),
                bad("version HTTP/1.1x", "GET / HTTP/1.1x\r\n" + H + "\r\n", 400),
                bad("unsupported Expect", "POST /echo HTTP/1.1\r\n" + H + "Expect: 200-ok\r\nContent-Length: 1\r\n\r\n",
                        417),
                // Chunked framing.
                bad("chunk size not hex", "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
                bad("negative chunk size", "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
                bad("chunk size overflowing a long", "POST /echo HTTP/1.1\r\n" + H
                        + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n", 400, 413),
                bad("chunk data longer than its size", "POST /echo HTTP/1.1\r\n" + H
                        + "Transfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n", 400),
                bad("bare LF after a chunk size", "POST /echo HTTP/1.1\r\n" + H
                        + "Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badRequests")
    void badRequestIsRefusedAndTheConnectionClosed(String name, String request, Set<Integer> expected)
            throws IOException {
        assertRefused(request, expected);
    }

    /** Each limit at its edge: the first request of a pair is served, the second (one over) is refused. */
    static Stream<Arguments> limits() {
        String close = "Connection: close\r\n";
        // The request line is counted without its CRLF: "GET /?" + query + " HTTP/1.1".
        String lineAtLimit = "GET /?" + "a".repeat(REQUEST_LINE_LIMIT - 15) + " HTTP/1.1";
        String lineOver = "GET /?" + "a".repeat(REQUEST_LINE_LIMIT - 14) + " HTTP/1.1";
        // The header block is the field lines with their CRLFs: Host (9) + Connection (19) + "X-Pad: " and CRLF (9).
        String padAtLimit = "X-Pad: " + "p".repeat(HEADER_BLOCK_LIMIT - 37) + "\r\n";
        String padOver = "X-Pad: " + "p".repeat(HEADER_BLOCK_LIMIT - 36) + "\r\n";
        String fieldsAtLimit = fields(HEADER_COUNT_LIMIT - 2);
        String fieldsOver = fields(HEADER_COUNT_LIMIT - 1);
        String body = "b".repeat(BODY_LIMIT);
        String chunked = "Transfer-Encoding: chunked\r\n";
        return Stream.of(
                edge("request line at the limit", lineAtLimit + "\r\n" + H + close + "\r\n", 200),
                edge("request line one over", lineOver + "\r\n" + H + close + "\r\n", 414),
                edge("header block at the limit", "GET / HTTP/1.1\r\n" + H + close + padAtLimit + "\r\n", 200),
                edge("header block one over", "GET / HTTP/1.1\r\n" + H + close + padOver + "\r\n", 431),
                edge("header count at the limit", "GET / HTTP/1.1\r\n" + H + close + fieldsAtLimit + "\r\n", 200),
                edge("header count one over", "GET / HTTP/1.1\r\n" + H + close + fieldsOver + "\r\n", 431),
                edge("Content-Length body at the limit", "POST /echo HTTP/1.1\r\n" + H + close + "Content-Length: "
                        + BODY_LIMIT + "\r\n\r\n" + body, 200),
                edge("Content-Length body one over", "POST /echo HTTP/1.1\r\n" + H + close + "Content-Length: "
                        + (BODY_LIMIT + 1) + "\r\n\r\n", 413),
                edge("chunked body at the limit", "POST /echo HTTP/1.1\r\n" + H + close + chunked + "\r\n"
                        + chunk(600) + chunk(BODY_LIMIT - 600) + "0\r\n\r\n", 200),
                edge("chunked body one over", "POST /echo HTTP/1.1\r\n" + H + close + chunked + "\r\n"
                        + chunk(600) + chunk(BODY_LIMIT - 599) + "0\r\n\r\n", 413),
                edge("one chunk declared over the limit", "POST /echo HTTP/1.1\r\n" + H + close + chunked + "\r\n"
                        + Integer.toHexString(BODY_LIMIT + 1) + "\r\n", 413));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("limits")
    void limitIsEnforcedAtItsEdge(String name, String request, Set<Integer> expected) throws IOException {
        assertRefused(request, expected);
    }

    /** A limit is not a wedge: after a refused request a new connection is served as usual. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void serverStillServesAfterBadInput(String name, String request, Set<Integer> expected) throws IOException {
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send(request);
            conn.readToEnd();
        }
        try (var conn = RawConnection.open(SERVER.address())) {
            assertEquals(200, conn.send("GET / HTTP/1.1\r\n" + H + "\r\n").readResponse().status());
        }
    }

    static void assertRefused(String request, Set<Integer> expected) throws IOException {
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send(request);
            RawResponse response = conn.readResponse();
            assertTrue(expected.contains(response.status()),
                    "expected " + expected + " but got " + response.status() + "\n" + response);
            if (response.status() == 200) {
                assertEquals(Integer.toString(expected(request)), response.header("content-length").orElse("?"),
                        "the body served at the limit");
            }
            // The connection must end: read to EOF within the read timeout (a timeout throws and fails the test).
            byte[] more = conn.readToEnd();
            assertEquals(0, more.length, "bytes after the response: " + new String(more,
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    /** The body length the echo or hello route answers a served edge request with. */
    private static int expected(String request) {
        if (!request.startsWith("POST")) {
            return "hello".length();
        }
        return BODY_LIMIT;
    }

    static String fields(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "X-H" + i + ": v\r\n").collect(Collectors.joining());
    }

    static String chunk(int size) {
        return Integer.toHexString(size) + "\r\n" + "c".repeat(size) + "\r\n";
    }

    static Arguments bad(String name, String request, Integer... statuses) {
        return Arguments.of(name, request, Set.copyOf(Arrays.asList(statuses)));
    }

    static Arguments edge(String name, String request, int status) {
        return Arguments.of(name, request, Set.of(status));
    }
}
