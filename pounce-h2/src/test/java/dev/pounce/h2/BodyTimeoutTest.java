package dev.pounce.h2;

import dev.pounce.api.App;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.Message;
import dev.pounce.api.Receive;
import dev.pounce.api.Send;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.pounce.h2.FrameClient.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-stream request-body timeout: it cuts a client that stops sending while its window is open, and no one
 * else: not a client whose window the app has let shut, not one waiting for {@code 100 Continue}, not a slow but
 * steady uploader.
 */
class BodyTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final int WAIT_MILLIS = (int) TIMEOUT.toMillis() * 2 + 500;

    /** How each {@code /read} and {@code /echo} request's body ended for the app: "end" or "disconnect". */
    private static final BlockingQueue<String> endings = new LinkedBlockingQueue<>();

    /** Opened by a test to let {@code /noread} answer, and {@code /late} start reading. */
    private static volatile CountDownLatch gate = new CountDownLatch(0);

    private static TestServer server;

    /**
     * {@code /read} reads the whole body, then says hello; {@code /echo} starts its response, then reads;
     * {@code /noread} never reads and answers once the gate opens; {@code /late} reads once the gate opens.
     */
    private static final App APP = (scope, receive, send) -> {
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        switch (http.path()) {
            case "/noread" -> {
                gate.await();
                hello(send);
            }
            case "/echo" -> {
                send.send(new HttpMessage.ResponseStart(200, TestApps.TEXT));
                send.send(new HttpMessage.ResponseBody(TestApps.HELLO, true));
                if (readBody(receive)) {
                    send.send(new HttpMessage.ResponseBody(new byte[0], false));
                }
            }
            case "/late" -> {
                gate.await();
                if (readBody(receive)) {
                    hello(send);
                }
            }
            default -> {
                if (readBody(receive)) {
                    hello(send);
                }
            }
        }
    };

    /** Reads to the end of the body, and notes how it ended; true if it did end, false on a disconnect. */
    private static boolean readBody(Receive receive) throws Exception {
        Message m;
        do {
            m = receive.receive();
        } while (m instanceof HttpMessage.Request r && r.more());
        boolean ended = m instanceof HttpMessage.Request;
        endings.add(ended ? "end" : "disconnect");
        return ended;
    }

    private static void hello(Send send) throws Exception {
        send.send(new HttpMessage.ResponseStart(200, TestApps.TEXT));
        send.send(new HttpMessage.ResponseBody(TestApps.HELLO, false));
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(APP, b -> b.requestBodyTimeout(TIMEOUT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertServed(FrameClient c, int stream) throws Exception {
        c.headers(stream, request("GET", "/read"), true);
        var h = c.readUntil(x -> x.stream() == stream || x.type() == GOAWAY).orElseThrow();
        assertEquals("200", h.status(), h.toString());
        var d = c.readUntil(x -> x.stream() == stream && x.type() == DATA).orElseThrow();
        assertEquals("Hello from Pounce!\n", new String(d.payload(), StandardCharsets.US_ASCII));
        assertEquals("end", endings.poll(5, TimeUnit.SECONDS));
    }

    /** Frames on {@code stream} until {@code millis} pass without any frame on the connection. */
    private static List<Frame> quietOn(FrameClient c, int stream, int millis) throws Exception {
        return c.drain(millis).stream().filter(f -> f.stream() == stream).toList();
    }

    @Test
    void stalledUploadGets408ThenResetWhileOtherStreamsAreServed() throws Exception {
        endings.clear();
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("POST", "/read"), false);
            c.data(1, new byte[10], false);
            long stalled = System.nanoTime();
            // Another stream on the same connection is served while stream 1 waits.
            assertServed(c, 3);

            var h = c.readUntil(x -> x.stream() == 1).orElseThrow();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled);
            assertEquals(HEADERS, h.type(), h.toString());
            assertEquals("408", h.status(), h.toString());
            assertTrue(waited >= TIMEOUT.toMillis() - 100, "408 after " + waited + " ms");
            var d = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals(DATA, d.type(), d.toString());
            assertEquals("request body timeout\n", new String(d.payload(), StandardCharsets.US_ASCII));
            assertTrue((d.flags() & END_STREAM) != 0, d.toString());
            var rst = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals(RST_STREAM, rst.type(), rst.toString());
            assertEquals(NO_ERROR, rst.errorCode(), rst.toString());
            assertEquals("disconnect", endings.poll(5, TimeUnit.SECONDS));

            // The connection goes on, and the app was told once.
            assertServed(c, 5);
            assertTrue(endings.isEmpty(), endings.toString());
        }
    }

    @Test
    void stalledUploadAfterTheResponseStartedIsCancelled() throws Exception {
        endings.clear();
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("POST", "/echo"), false);
            c.data(1, new byte[10], false);
            var h = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals("200", h.status(), h.toString());
            var d = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals(DATA, d.type(), d.toString());
            assertEquals(0, d.flags() & END_STREAM, d.toString());
            long stalled = System.nanoTime();
            var rst = c.readUntil(x -> x.stream() == 1).orElseThrow();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled);
            assertTrue(waited >= TIMEOUT.toMillis() - 200, "reset after " + waited + " ms");
            assertEquals(RST_STREAM, rst.type(), rst.toString());
            assertEquals(CANCEL, rst.errorCode(), rst.toString());
            assertEquals("disconnect", endings.poll(5, TimeUnit.SECONDS));
            assertServed(c, 3);
        }
    }

    @Test
    void clientHeldBackByAShutWindowIsNotTimedOut() throws Exception {
        gate = new CountDownLatch(1);
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("POST", "/noread"), false);
            // Fill the stream's 65,535-byte window (the default); the app takes none of it.
            for (int left = 65_535; left > 0; left -= 16_384) {
                c.data(1, new byte[Math.min(16_384, left)], false);
            }
            List<Frame> early = quietOn(c, 1, WAIT_MILLIS);
            assertTrue(early.isEmpty(), "frames on stream 1 while its window was shut: " + early);

            // The stream is still open: the app's answer arrives, then the unread body is declined.
            gate.countDown();
            var h = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals("200", h.status(), h.toString());
            var d = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals("Hello from Pounce!\n", new String(d.payload(), StandardCharsets.US_ASCII));
            var rst = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals(RST_STREAM, rst.type(), rst.toString());
            assertEquals(NO_ERROR, rst.errorCode(), rst.toString());
        } finally {
            gate.countDown();
        }
    }

    @Test
    void slowSteadyUploadIsNotCut() throws Exception {
        endings.clear();
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("POST", "/read"), false);
            // A frame every fifth of the timeout for two timeouts: a slow client, on purpose, with room for a busy
            // machine to be late.
            for (int i = 0; i < 10; i++) {
                c.data(1, "slow ".getBytes(StandardCharsets.US_ASCII), false);
                Thread.sleep(TIMEOUT.toMillis() / 5);
            }
            c.data(1, new byte[0], true);
            var h = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals("200", h.status(), h.toString());
            var d = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals("Hello from Pounce!\n", new String(d.payload(), StandardCharsets.US_ASCII));
            assertEquals("end", endings.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void clientWaitingFor100ContinueIsNotTimedOut() throws Exception {
        endings.clear();
        gate = new CountDownLatch(1);
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("POST", "/late", "expect", "100-continue", "content-length", "5"), false);
            List<Frame> early = quietOn(c, 1, WAIT_MILLIS);
            assertTrue(early.isEmpty(), "frames on stream 1 before the app read: " + early);

            // The app reads: 100 Continue, and only now does the client owe the body.
            gate.countDown();
            var cont = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals("100", cont.status(), cont.toString());
            assertEquals(0, cont.flags() & END_STREAM, cont.toString());
            c.data(1, "hello".getBytes(StandardCharsets.US_ASCII), true);
            var h = c.readUntil(x -> x.stream() == 1).orElseThrow();
            assertEquals("200", h.status(), h.toString());
            assertEquals("end", endings.poll(5, TimeUnit.SECONDS));
        } finally {
            gate.countDown();
        }
    }
}
