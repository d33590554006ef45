package dev.pounce.h2;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.pounce.h2.FrameClient.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detection, backpressure towards a client that does not read, graceful shutdown and the idle timeout. */
class LifecycleTest {

    @Test
    void detectsThePrefaceInThreeWays() {
        var h2 = new Http2ProtocolHandler();
        assertEquals(dev.pounce.spi.Detection.NEED_MORE, h2.detect(Unpooled.EMPTY_BUFFER));
        assertEquals(dev.pounce.spi.Detection.NEED_MORE, h2.detect(ascii("PRI * HTTP/2.0\r\n")));
        assertEquals(dev.pounce.spi.Detection.RECOGNISED, h2.detect(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0")));
        assertEquals(dev.pounce.spi.Detection.NOT_RECOGNISED, h2.detect(ascii("GET / HTTP/1.1\r\n")));
        assertEquals(dev.pounce.spi.Detection.NOT_RECOGNISED, h2.detect(ascii("PRI * HTTP/1.1")));
    }

    private static io.netty.buffer.ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /**
     * A client that asks for 64 MiB and never reads nor opens its window: the app's send blocks, so what it has
     * sent stays within a few windows instead of growing with the response.
     */
    @Test
    void slowReaderBlocksTheAppAndMemoryStaysBounded() throws Exception {
        try (var server = TestServer.start(TestApps.ROUTES, b -> b.writeTimeout(Duration.ofSeconds(30)));
             var c = FrameClient.connect(server.port(), 4096)) {
            TestApps.streamed.set(0);
            c.headers(1, request("GET", "/stream?n=" + (64 << 20)), true);
            // The app sends until its send blocks: wait until the count stops moving (on a slow machine it may
            // pause early, which only makes the bound below easier to meet; a missing bound fails it either way).
            long sent = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long stillSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long now = TestApps.streamed.get();
                if (now != sent || now == 0) {
                    sent = now;
                    stillSince = System.nanoTime();
                } else if (System.nanoTime() - stillSince > Duration.ofSeconds(1).toNanos()) {
                    break;
                }
                Thread.onSpinWait();
            }
            assertTrue(sent > 0, "the app sent nothing");
            // Stream and connection windows of 64 KiB, one chunk in hand-over, one in the app's hands.
            assertTrue(sent <= 512 * 1024, "the app sent " + sent + " bytes to a client that reads nothing");
        }
    }

    /** On drain: GOAWAY naming the last stream taken, the in-flight stream completes, then the connection closes. */
    @Test
    void gracefulShutdownSendsGoAwayAndFinishesOpenStreams() throws Exception {
        TestApps.gate = new CountDownLatch(1);
        var server = TestServer.start(TestApps.ROUTES);
        try (var c = FrameClient.connect(server.port())) {
            TestApps.atGate.drainPermits();
            c.headers(1, request("GET", "/wait"), true);
            c.headers(3, request("GET", "/wait"), true);
            assertTrue(TestApps.atGate.tryAcquire(2, 20, TimeUnit.SECONDS), "both streams reach the app");
            Thread.ofVirtual().start(server::close);
            var goAway = c.readUntil(x -> x.type() == GOAWAY).orElseThrow();
            assertEquals(NO_ERROR, goAway.errorCode());
            int last = java.nio.ByteBuffer.wrap(goAway.payload()).getInt() & 0x7fffffff;
            assertEquals(3, last);
            TestApps.gate.countDown();
            var answered = new java.util.HashSet<Integer>();
            while (answered.size() < 2) {
                var f = c.readUntil(x -> x.type() == DATA && (x.flags() & END_STREAM) != 0).orElseThrow();
                answered.add(f.stream());
            }
            assertTrue(c.readUntil(x -> false).isEmpty(), "the connection stays open after its streams ended");
        } finally {
            TestApps.gate.countDown();
            server.close();
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        try (var server = TestServer.start(TestApps.ROUTES, b -> b.keepAliveTimeout(Duration.ofMillis(300)));
             var c = FrameClient.connect(server.port())) {
            c.headers(1, request("GET", "/"), true);
            assertTrue(c.readUntil(x -> x.type() == DATA).isPresent());
            long start = System.nanoTime();
            var goAway = c.readUntil(x -> x.type() == GOAWAY);
            assertTrue(goAway.isPresent());
            assertEquals(NO_ERROR, goAway.get().errorCode());
            assertTrue(c.readUntil(x -> false).isEmpty());
            // Closed by the timeout, long before the bound a busy machine could stretch it to.
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos());
        }
    }

    /**
     * The runtime leaves HTTP/2 out when it is switched off; should a connection reach the plugin all the same, it
     * gets a preface and GOAWAY HTTP_1_1_REQUIRED (RFC 9113 section 7), not HTTP/2.
     */
    @Test
    void http2SwitchedOffAnswersHttp11Required() {
        var channel = new EmbeddedChannel();
        var context = StubContext.of(Map.of("http2.enabled", "false"), List.of());
        new Http2ProtocolHandler().initialize(channel, context);
        io.netty.buffer.ByteBuf out = channel.readOutbound();
        assertEquals(SETTINGS, out.getByte(3));
        assertEquals(GOAWAY, out.getByte(9 + 3));
        assertEquals(0xd, out.getInt(9 + 9 + 4));
        out.release();
        channel.finishAndReleaseAll();
    }
}
