package dev.pounce.h2;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static dev.pounce.h2.FrameClient.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Known HTTP/2 attacks as frame-level regression tests, each against the limit that defends from it, set low so
 * the tests are quick.
 */
class AttacksTest {

    private static final int MAX_RESETS = 20;
    private static final int MAX_STREAMS = 4;
    private static final int MAX_CONTROL = 200;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestApps.ROUTES, b -> b
                .set(Http2Section.MAX_CONCURRENT_STREAMS, MAX_STREAMS)
                .set(Http2Section.MAX_HEADER_LIST_SIZE, 16384)
                .set(Http2Section.MAX_RESETS_PER_WINDOW, MAX_RESETS)
                .set(Http2Section.MAX_QUEUED_CONTROL_FRAMES, MAX_CONTROL));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Reads until GOAWAY or the end; fails if neither comes. Returns the GOAWAY error code, or -1 on close. */
    private static int goAwayOrClose(FrameClient c) throws IOException {
        var f = c.readUntil(x -> x.type() == GOAWAY);
        return f.map(Frame::errorCode).orElse(-1);
    }

    /**
     * GOAWAY ENHANCE_YOUR_CALM, or a connection that just ends: frames the client still sends after the server
     * closed make the client's kernel see a reset, which can discard the GOAWAY before it is read.
     */
    private static void assertCalmedDown(FrameClient c) throws IOException {
        int code = goAwayOrClose(c);
        assertTrue(code == ENHANCE_YOUR_CALM || code == -1, "GOAWAY with error " + code);
    }

    /** CVE-2023-44487: open and at once reset streams, past the limit per window. */
    @Test
    void rapidReset() throws Exception {
        try (var c = FrameClient.connect(server.port())) {
            for (int i = 0; i < MAX_RESETS * 3; i++) {
                int stream = 1 + 2 * i;
                c.headers(stream, request("GET", "/"), true);
                c.write(frame(RST_STREAM, 0, stream, rst(CANCEL)));
            }
            assertCalmedDown(c);
        }
    }

    /** CVE-2024-27316: CONTINUATION frames without END_HEADERS, on and on. */
    @Test
    void continuationFloodBySize() throws Exception {
        try (var c = FrameClient.connect(server.port())) {
            c.write(frame(HEADERS, 0, 1, request("GET", "/")));
            byte[] filler = block("x-filler", "a".repeat(4000));
            try {
                for (int i = 0; i < 1000; i++) {
                    c.write(frame(CONTINUATION, 0, 1, filler));
                }
            } catch (IOException closed) {
                return; // the server hung up while we were still flooding: what we want
            }
            int code = goAwayOrClose(c);
            assertTrue(code != NO_ERROR, "GOAWAY " + code);
        }
    }

    /** The same flood with empty CONTINUATION frames, which never grow the header list. */
    @Test
    void continuationFloodOfEmptyFrames() throws Exception {
        try (var c = FrameClient.connect(server.port())) {
            c.write(frame(HEADERS, 0, 1, request("GET", "/")));
            try {
                for (int i = 0; i < 100_000; i++) {
                    c.write(frame(CONTINUATION, 0, 1, new byte[0]));
                }
            } catch (IOException closed) {
                return;
            }
            int code = goAwayOrClose(c);
            assertTrue(code != NO_ERROR, "GOAWAY " + code);
        }
    }

    /** CVE-2019-9515 and 9512: SETTINGS or PING floods from a client that never reads the acknowledgements. */
    @Test
    void settingsFloodFromAClientThatNeverReads() throws Exception {
        floodWithoutReading(frame(SETTINGS, 0, 0, new byte[0]));
    }

    @Test
    void pingFloodFromAClientThatNeverReads() throws Exception {
        floodWithoutReading(frame(PING, 0, 0, new byte[8]));
    }

    private static void floodWithoutReading(byte[] oneFrame) throws Exception {
        byte[] burst = new byte[oneFrame.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(oneFrame, 0, burst, i * oneFrame.length, oneFrame.length);
        }
        try (var c = FrameClient.connect(server.port(), 4096)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            try {
                // Far more acknowledgements than the kernel buffers and the queue limit together hold.
                for (int i = 0; i < 5000 && System.nanoTime() < deadline; i++) {
                    c.write(burst);
                }
            } catch (IOException closed) {
                return; // the server closed the connection instead of queueing forever
            }
            fail("the server took 5 million control frames from a client that never read");
        }
    }

    /** CVE-2019-9518: empty DATA frames without END_STREAM cost the server work and the client nothing. */
    @Test
    void emptyDataFrameFlood() throws Exception {
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("POST", "/"), false);
            for (int i = 0; i < 5; i++) {
                c.data(1, new byte[0], false);
            }
            assertCalmedDown(c);
        }
    }

    /** RFC 9113 section 5.1.2: beyond SETTINGS_MAX_CONCURRENT_STREAMS a stream is refused, the others go on. */
    @Test
    void tooManyConcurrentStreams() throws Exception {
        TestApps.gate = new CountDownLatch(1);
        try (var c = FrameClient.connect(server.port())) {
            for (int i = 0; i < MAX_STREAMS; i++) {
                c.headers(1 + 2 * i, request("GET", "/wait"), true);
            }
            int extra = 1 + 2 * MAX_STREAMS;
            c.headers(extra, request("GET", "/wait"), true);
            var refused = c.readUntil(x -> x.stream() == extra).orElseThrow();
            assertEquals(RST_STREAM, refused.type(), refused.toString());
            assertEquals(REFUSED_STREAM, refused.errorCode());
            TestApps.gate.countDown();
            var answered = new java.util.HashSet<Integer>();
            while (answered.size() < MAX_STREAMS) {
                var h = c.readUntil(x -> x.type() == HEADERS).orElseThrow();
                answered.add(h.stream());
            }
            assertEquals(java.util.Set.of(1, 3, 5, 7), answered);
        } finally {
            TestApps.gate.countDown();
        }
    }

    /**
     * A stream whose app never reads: its window is used up and stays shut (sending past it is a flow-control
     * error), and the connection serves other streams meanwhile.
     */
    @Test
    void streamThatNeverReads() throws Exception {
        TestApps.gate = new CountDownLatch(1);
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("POST", "/noread"), false);
            byte[] chunk = new byte[16384];
            for (int i = 0; i < 3; i++) {
                c.data(1, chunk, false);
            }
            c.data(1, new byte[65535 - 3 * 16384], false);
            c.headers(3, request("GET", "/"), true);
            var frames = c.drain(1000);
            assertTrue(frames.stream().anyMatch(f -> f.stream() == 3 && f.type() == DATA), frames.toString());
            assertTrue(frames.stream().noneMatch(f -> f.type() == WINDOW_UPDATE && f.stream() == 1),
                    "the window of a stream nobody reads opened: " + frames);
            c.data(1, new byte[1], false);
            var rst = c.readUntil(x -> x.stream() == 1 && x.type() == RST_STREAM).orElseThrow();
            assertEquals(FLOW_CONTROL_ERROR, rst.errorCode());
            c.headers(5, request("GET", "/"), true);
            assertTrue(c.readUntil(x -> x.stream() == 5 && x.type() == DATA).isPresent());
        } finally {
            TestApps.gate.countDown();
        }
    }

    /** A header list far past SETTINGS_MAX_HEADER_LIST_SIZE in one block: 431, or the connection goes. */
    @Test
    void oversizedHeaderList() throws Exception {
        try (var c = FrameClient.connect(server.port())) {
            c.headers(1, request("GET", "/", "x-big", "b".repeat(15000), "x-big2", "c".repeat(15000)), true);
            var f = c.readUntil(x -> x.stream() == 1 || x.type() == GOAWAY);
            assertTrue(f.isEmpty() || f.get().type() == GOAWAY || f.get().type() == HEADERS
                    || f.get().type() == RST_STREAM, f.toString());
        }
    }
}
