package dev.pounce.h3;

import io.netty.handler.codec.http3.Http3ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many streams on one connection, and the flow of a response: streamed as the app sends, held back while the client
 * does not read, cut when the client resets. Every wait is for an event the app or the client reports.
 */
class StreamsTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static H3Client client;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        server = TestServer.start(TestApps.ROUTES, pem, b -> b.set("http3.max-concurrent-streams", "128"));
        client = H3Client.connect(server.address(), pem);
    }

    @AfterAll
    static void stop() {
        TestApps.gate.countDown();
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

    /** A hundred requests are in the app at once on one connection, then all are answered. */
    @Test
    void aHundredConcurrentStreamsOnOneConnection() throws Exception {
        TestApps.gate = new CountDownLatch(1);
        List<H3Client.Call> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(client.call("GET", "/wait", null));
        }
        assertTrue(TestApps.arrived.tryAcquire(100, 30, TimeUnit.SECONDS),
                "all hundred requests reach the app together; " + TestApps.arrived.availablePermits() + " did");
        TestApps.gate.countDown();
        for (H3Client.Call c : calls) {
            H3Client.Response r = c.response.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.status());
            assertEquals("waited\n", r.text());
        }
    }

    /** Each chunk the app sends reaches the client before the app sends the next. */
    @Test
    void aSlowlyStreamedResponseArrivesChunkByChunk() throws Exception {
        H3Client.Call call = client.call("GET", "/drip?n=5", null);
        // The bridge holds the response's head until the first chunk, and sends them together.
        for (int i = 0; i < 5; i++) {
            TestApps.drips.release();
            byte[] chunk = call.chunks.poll(30, TimeUnit.SECONDS);
            assertEquals("line " + i + "\n", new String(chunk, StandardCharsets.US_ASCII));
            assertFalse(call.response.isDone() && i < 4, "the response ended early");
        }
        assertEquals(200, call.response.get(30, TimeUnit.SECONDS).status());
    }

    /** A client's reset reaches the app as a disconnect, and the connection serves on. */
    @Test
    void aStreamResetByTheClientIsADisconnectForTheApp() throws Exception {
        H3Client.Call call = client.open("POST", "/hold", h -> { }, true);
        assertTrue(TestApps.arrived.tryAcquire(30, TimeUnit.SECONDS), "the request reaches the app");
        assertEquals("200", call.head.get(30, TimeUnit.SECONDS).status().toString());
        call.reset(Http3ErrorCode.H3_REQUEST_CANCELLED.code());
        assertTrue(TestApps.disconnected.tryAcquire(30, TimeUnit.SECONDS), "the app hears the client went");
        assertEquals(200, client.get("/").status());
    }

    /**
     * A client that reads nothing: the app's send blocks once the client's stream window (1 MiB) and the server's
     * hand-over are full, so what it sent stays bounded instead of growing with the 64 MiB response. Then the client
     * reads, and the rest flows.
     */
    @Test
    void aClientThatStopsReadingBlocksTheAppsSend() throws Exception {
        long size = 64L << 20;
        H3Client.Call call = client.open("GET", "/stream?n=" + size, h -> { }, false);
        call.end();
        // The event: the app's thread parked inside send.
        Thread app = waitForBlockedSend();
        long sent = TestApps.streamed.get();
        assertTrue(sent > 0, "the app sent something first");
        assertTrue(sent <= H3Client.STREAM_WINDOW + 512 * 1024,
                "the app sent " + sent + " bytes to a client that reads nothing");
        assertEquals(TestApps.sending.get(), app, "still blocked in the same send");
        // The client resets instead of reading the rest: the blocked send is released with an error.
        call.reset(Http3ErrorCode.H3_REQUEST_CANCELLED.code());
        assertEquals(200, client.get("/").status());
    }

    /** Waits until the {@code /stream} app is parked inside {@code send}: it waits for the client's window. */
    private static Thread waitForBlockedSend() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread t = TestApps.sending.get();
            if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
                    && t == TestApps.sending.get()) {
                return t;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the app never blocked in send; it sent " + TestApps.streamed.get() + " bytes");
    }
}
