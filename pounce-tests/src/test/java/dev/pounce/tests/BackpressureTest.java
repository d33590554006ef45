package dev.pounce.tests;

import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Send} blocks while the client does not read, so a streamed response is never buffered whole: the app's
 * counter stalls far below the total, and everything arrives once the client reads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackpressureTest {

    static final long TOTAL = 200L << 20;
    static final int CHUNK = 64 << 10;
    /** Socket buffers on both sides, Netty's outbound buffer and a chunk in hand stay well below this. */
    static final long STALL_CEILING = 32L << 20;

    static final TestApp APP = new TestApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, c -> c.writeTimeout(Duration.ofSeconds(60)));

    @Test
    void sendBlocksWhileTheClientDoesNotReadAndEverythingArrivesAfterwards() throws Exception {
        String id = UUID.randomUUID().toString();
        AtomicLong sent = APP.counter(id);
        try (var conn = RawConnection.open(SERVER.address(), 64 * 1024)) {
            conn.readTimeout(Duration.ofSeconds(30));
            conn.send("GET /big?id=" + id + "&bytes=" + TOTAL + "&chunk=" + CHUNK + " HTTP/1.1\r\nHost: t\r\n\r\n");
            long stalledAt = awaitStall(sent, Duration.ofSeconds(30));
            assertTrue(stalledAt < STALL_CEILING, "the app sent " + stalledAt + " bytes to a client that reads "
                    + "nothing: its sends are buffered instead of blocking");

            String status = conn.readLine();
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            long length = -1;
            for (String line = conn.readLine(); !line.isEmpty(); line = conn.readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Long.parseLong(line.substring("content-length:".length()).strip());
                }
            }
            assertEquals(TOTAL, length);
            conn.skip(TOTAL);
            // The app counts a chunk once its send returns, which may be after the client has read it.
            assertTrue(APP.latch(id + "-sent").await(30, TimeUnit.SECONDS), "the app's last send never returned");
            assertEquals(TOTAL, sent.get());
            // The connection is still good for another request.
            RawResponse next = conn.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertEquals("hello", next.text());
        }
    }

    /**
     * Polls the counter until it has started and then not moved for a second; returns where it stopped. Fails if it
     * never stalls within {@code bound} (the server is buffering) — or returns the total if the app finished first.
     */
    static long awaitStall(AtomicLong counter, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = counter.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(1)) {
                return now;
            }
            if (now >= TOTAL) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the app's sends neither stalled nor finished within " + bound.toSeconds()
                + " s; sent " + counter.get());
    }
}
