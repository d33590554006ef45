package dev.pounce.tests;

import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every time bound, set to one second here so the tests are quick. The assertions are about what happens (408,
 * closed connection, failed send), never about how long it took: reads are bounded by a generous read timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutsTest {

    static final TestApp APP = new TestApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, c -> c
            .headerTimeout(Duration.ofSeconds(1))
            .keepAliveTimeout(Duration.ofSeconds(1))
            .requestBodyTimeout(Duration.ofSeconds(1))
            .writeTimeout(Duration.ofSeconds(1)));

    /** Slowloris: half a head, then nothing. */
    @Test
    void halfAHeadGets408AndIsClosed() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ");
            RawResponse r = conn.readResponse();
            assertEquals(408, r.status(), r.toString());
            assertEquals(0, conn.readToEnd().length);
        }
    }

    @Test
    void halfABodyGets408AndIsClosed() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n12345");
            RawResponse r = conn.readResponse();
            assertEquals(408, r.status(), r.toString());
            assertEquals(0, conn.readToEnd().length);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            RawResponse r = conn.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertEquals(200, r.status());
            byte[] after = conn.readToEnd();
            assertEquals(0, after.length, "an idle connection is closed without a response: "
                    + new String(after, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void connectionThatNeverSpeaksIsClosed() throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            byte[] bytes = conn.readToEnd();
            // RFC 9110 allows a 408 here; most servers close silently. Anything else is wrong.
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertTrue(bytes.length == 0 || text.startsWith("HTTP/1.1 408 "), text);
        }
    }

    /** A client that never reads a streamed response: the app's send fails after the write timeout, the socket closes. */
    @Test
    void writeTimeoutClosesAConnectionThatNeverReads() throws Exception {
        String id = UUID.randomUUID().toString();
        try (var conn = RawConnection.open(SERVER.address(), 16 * 1024)) {
            conn.send("GET /forever?id=" + id + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertTrue(APP.latch(id).await(30, TimeUnit.SECONDS), "the app's send never failed");
            assertInstanceOf(IOException.class, APP.failure(id).get());
            // Whatever was in flight can still be read; then the connection ends.
            conn.readToEnd();
        }
    }
}
