package dev.pounce.h3;

import io.netty.handler.codec.http3.Http3ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests over HTTP/3 with Netty's client on real UDP: what the app sees and what the client gets back. */
class RequestsTest {

    @TempDir
    static Path dir;
    static SelfSignedPem pem;
    static TestServer server;
    static H3Client client;

    @BeforeAll
    static void start() throws Exception {
        pem = SelfSignedPem.create(dir);
        server = TestServer.start(TestApps.ROUTES, pem, b -> b.maxRequestBodySize(16 << 20));
        client = H3Client.connect(server.address(), pem);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clean() {
        TestApps.reset();
    }

    @Test
    void getIsAnExchangeWithVersion3() throws Exception {
        H3Client.Response r = client.get("/version");
        assertEquals(200, r.status());
        assertEquals("3 GET localhost https\n", r.text());
        assertTrue(r.headers().contains("date"), "date: " + r.headers());
        assertEquals("pounce", r.headers().get("server").toString());
        assertEquals(String.valueOf(r.body().length), r.headers().get("content-length").toString());
        // HTTP/3 does not advertise itself on its own responses.
        assertEquals(null, r.headers().get("alt-svc"));
    }

    @Test
    void aTenMebibyteBodyStreamsBothWays() throws Exception {
        byte[] body = new byte[10 << 20];
        ThreadLocalRandom.current().nextBytes(body);
        H3Client.Call call = client.open("POST", "/echo", h -> h.setInt("content-length", body.length), true);
        // Sent in pieces, as a client streaming an upload does; the server reads only as the app takes them.
        for (int off = 0; off < body.length; off += 256 * 1024) {
            call.data(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 256 * 1024)));
        }
        call.end();
        H3Client.Response r = call.response.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals(body.length, r.body().length);
        assertEquals(sha256(body), sha256(r.body()));
    }

    @Test
    void earlyHintsComeBeforeTheResponse() throws Exception {
        H3Client.Call call = client.call("GET", "/hints", null);
        H3Client.Response r = call.response.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals(1, call.interim.size());
        assertEquals("103", call.interim.getFirst().status().toString());
        assertEquals("</style.css>; rel=preload", call.interim.getFirst().get("link").toString());
    }

    @Test
    void trailersEndTheResponse() throws Exception {
        H3Client.Response r = client.get("/trailers");
        assertEquals(200, r.status());
        assertArrayEquals(TestApps.HELLO, r.body());
        assertEquals("42", r.trailers().get("x-checksum").toString());
    }

    /**
     * The response's end carries nothing (no fields in the trailers), while most of its body still waits for the
     * client's stream window: the FIN must come after that body, not cut it off.
     */
    @Test
    void anEmptyEndWaitsForTheBodyQueuedBehindFlowControl() throws Exception {
        int size = 3 * H3Client.STREAM_WINDOW;
        H3Client.Response r = client.get("/bare-trailers?n=" + size);
        assertEquals(200, r.status());
        assertEquals(size, r.body().length);
    }

    @Test
    void aBodyOverTheLimitGets413() throws Exception {
        // No length declared: the limit (16 MiB here) is found while the body streams.
        H3Client.Call call = client.open("POST", "/", h -> { }, true);
        byte[] piece = new byte[256 * 1024];
        for (int i = 0; i < 80; i++) {
            call.queue(piece);
        }
        assertEquals(413, call.response.get(30, TimeUnit.SECONDS).status());
        // Declared: answered from the head.
        H3Client.Call declared = client.open("POST", "/", h -> h.setLong("content-length", 17L << 20), true);
        assertEquals(413, declared.response.get(30, TimeUnit.SECONDS).status());
        // The connection serves on.
        assertEquals(200, client.get("/").status());
    }

    @Test
    void malformedHeadersResetTheStreamWithMessageError() throws Exception {
        for (String[] bad : new String[][]{
                {"X-Upper", "1"},                  // upper-case name (RFC 9114 section 4.2)
                {"transfer-encoding", "chunked"},  // connection-specific field
                {"x-bad", " edge"}}) {             // whitespace at the edge of a value
            // The request is left open: a stream both of whose sides are over is gone before its reset can be read.
            H3Client.Call call = client.open("GET", "/", h -> h.add(bad[0], bad[1]), true);
            assertEquals(Http3ErrorCode.H3_MESSAGE_ERROR.code(), call.resetCode(),
                    String.join(": ", bad) + " " + call.errors);
        }
        assertEquals(200, client.get("/").status(), "the connection serves on");
    }

    @Test
    void connectIsRefused() throws Exception {
        H3Client.Call call = client.open("CONNECT", "/", h -> {
            h.remove(":path");
            h.remove(":scheme");
        }, true);
        call.end();
        assertEquals(501, call.response.get(30, TimeUnit.SECONDS).status());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
