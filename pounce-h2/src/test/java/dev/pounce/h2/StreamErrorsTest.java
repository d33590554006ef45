package dev.pounce.h2;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.pounce.h2.FrameClient.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed requests are stream errors that leave the connection serving (RFC 9113 sections 8.1.1 and 5.4.2). */
class StreamErrorsTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestApps.ROUTES, b -> b.maxRequestBodySize(1000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertReset(FrameClient c, int stream, int code) throws Exception {
        var f = c.readUntil(x -> x.stream() == stream || x.type() == GOAWAY).orElseThrow();
        assertEquals(RST_STREAM, f.type(), f.toString());
        assertEquals(code, f.errorCode(), f.toString());
    }

    private static void assertServed(FrameClient c, int stream) throws Exception {
        c.headers(stream, request("GET", "/"), true);
        var f = c.readUntil(x -> x.stream() == stream || x.type() == GOAWAY).orElseThrow();
        assertEquals(HEADERS, f.type(), f.toString());
        var d = c.readUntil(x -> x.stream() == stream && x.type() == DATA).orElseThrow();
        assertEquals("Hello from Pounce!\n", new String(d.payload()));
    }

    @Test
    void malformedRequestsAreResetAndTheConnectionGoesOn() throws Exception {
        String[][] bad = {
                {"x-Upper", "a"},                       // upper-case name
                {"connection", "keep-alive"},           // connection-specific
                {"transfer-encoding", "chunked"},
                {"upgrade", "websocket"},
                {"keep-alive", "5"},
                {"te", "gzip"},
                {"x-a", " padded"},                     // edge whitespace
                {":method", "GET"},                     // duplicate pseudo-header
                {":protocol", "websocket"},             // extended CONNECT is off
                {"host", "other.example"},              // host differs from :authority
        };
        try (var c = FrameClient.connect(server.port())) {
            int stream = 1;
            for (String[] field : bad) {
                c.headers(stream, request("GET", "/", field), true);
                assertReset(c, stream, PROTOCOL_ERROR);
                stream += 2;
                assertServed(c, stream);
                stream += 2;
            }
            // A pseudo-header after a regular field, and one missing.
            c.headers(stream, block(":method", "GET", ":scheme", "http", "x-a", "b", ":path", "/"), true);
            assertReset(c, stream, PROTOCOL_ERROR);
            stream += 2;
            c.headers(stream, block(":method", "GET", ":scheme", "http"), true);
            assertReset(c, stream, PROTOCOL_ERROR);
            stream += 2;
            // content-length that the DATA does not match.
            c.headers(stream, request("POST", "/", "content-length", "10"), false);
            c.data(stream, new byte[3], true);
            assertReset(c, stream, PROTOCOL_ERROR);
            stream += 2;
            assertServed(c, stream);
        }
    }

    @Test
    void tooLargeBodyGets413ThenReset() throws Exception {
        try (var c = FrameClient.connect(server.port())) {
            // Declared too large: answered at once.
            c.headers(1, request("POST", "/", "content-length", "5000"), false);
            var h = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals(HEADERS, h.type(), h.toString());
            var rst = c.readUntil(x -> x.stream() == 1 && x.type() == RST_STREAM).orElseThrow();
            assertEquals(NO_ERROR, rst.errorCode());
            // Found too large while streaming, before the app answered.
            c.headers(3, request("POST", "/wait"), false);
            TestApps.gate = new java.util.concurrent.CountDownLatch(1);
            c.data(3, new byte[800], false);
            c.data(3, new byte[800], false);
            var h3 = c.readUntil(x -> x.stream() == 3).orElseThrow();
            assertEquals(HEADERS, h3.type(), h3.toString());
            assertTrue(c.readUntil(x -> x.stream() == 3 && x.type() == RST_STREAM).isPresent());
            TestApps.gate.countDown();
            assertServed(c, 5);
        }
    }
}
