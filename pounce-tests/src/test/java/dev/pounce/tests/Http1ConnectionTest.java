package dev.pounce.tests;

import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 connection behaviour seen from a raw socket: keep-alive, pipelining, HTTP/1.0, 100-continue, headers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http1ConnectionTest {

    static final TestApp APP = new TestApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP);

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            for (int i = 0; i < 3; i++) {
                RawResponse r = conn.send("GET /client HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                assertEquals(200, r.status());
                assertEquals(Integer.toString(conn.localPort()), r.text());
                assertFalse(r.header("connection").map(v -> v.equalsIgnoreCase("close")).orElse(false), r.toString());
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String id = UUID.randomUUID().toString();
        var requests = new StringBuilder();
        for (int n = 1; n <= 3; n++) {
            requests.append("GET /order?id=").append(id).append("&n=").append(n).append("&last=3 HTTP/1.1\r\n")
                    .append("Host: t\r\n\r\n");
        }
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send(requests.toString());
            for (int n = 1; n <= 3; n++) {
                RawResponse r = conn.readResponse();
                assertEquals(200, r.status());
                assertEquals("response " + n, r.text());
            }
        }
    }

    @Test
    void pipelinedHeadAndGetKeepTheirFraming() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send("HEAD /json HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse head = conn.readResponse(true);
            assertEquals(200, head.status());
            assertEquals(Integer.toString("{\"message\":\"hello\"}".length()), head.header("content-length").orElse("none"), head.toString());
            RawResponse get = conn.readResponse();
            assertEquals("hello", get.text(), "the HEAD response leaked a body into the next response");
        }
    }

    @Test
    void http10RequestGetsItsResponseAndTheConnectionCloses() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            RawResponse r = conn.send("GET / HTTP/1.0\r\n\r\n").readResponse();
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
            assertEquals(0, conn.readToEnd().length);
        }
    }

    @Test
    void http10KeepAliveIsHonouredOrClosedCleanly() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            RawResponse r = conn.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
            assertEquals(200, r.status());
            assertTrue(r.header("content-length").isPresent(), "a kept-alive 1.0 response needs a length: " + r);
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            RawResponse r = conn.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").readResponse();
            assertEquals(200, r.status());
            assertEquals("close", r.header("connection").orElse("").toLowerCase());
            assertEquals(0, conn.readToEnd().length);
        }
    }

    @Test
    void responsesCarryDateAndServer() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            RawResponse r = conn.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertEquals("pounce", r.header("server").orElse("none"));
            String date = r.header("date").orElseThrow(() -> new AssertionError("no Date header: " + r));
            // IMF-fixdate (RFC 9110 section 5.6.7); parsing fails the test if it is anything else.
            ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
            assertTrue(date.endsWith(" GMT"), date);
        }
    }

    @Test
    void chunkedResponseWhenTheAppGivesNoLength() throws Exception {
        String id = UUID.randomUUID().toString();
        APP.latch(id).countDown();
        try (var conn = RawConnection.open(SERVER.address())) {
            RawResponse r = conn.send("GET /sse?id=" + id + " HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertEquals("chunked", r.header("transfer-encoding").orElse("none"), r.toString());
            assertEquals("data: 1\n\ndata: 2\n\n", r.text());
        }
    }

    /**
     * {@code 100 Continue} goes out when the app starts reading the body, not before: the app here holds off reading
     * until the test says so.
     */
    @Test
    void expectContinueGets100OnlyOnceTheAppReads() throws Exception {
        String id = UUID.randomUUID().toString();
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send("POST /read-late?id=" + id + " HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5\r\n\r\n");
            assertTrue(APP.latch(id + "-entered").await(10, TimeUnit.SECONDS), "the app was not called");
            assertFalse(conn.anythingWithin(Duration.ofMillis(300)),
                    "the server answered before the app read the body");
            APP.latch(id).countDown();
            RawResponse interim = conn.readResponse();
            assertEquals(100, interim.status(), interim.toString());
            conn.send("hello");
            RawResponse r = conn.readResponse();
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
        }
    }

    @Test
    void expectContinueIsNotSentToHttp10() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send("POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
            RawResponse r = conn.readResponse();
            assertEquals(200, r.status(), r.toString());
            assertEquals("hello", r.text());
        }
    }
}
