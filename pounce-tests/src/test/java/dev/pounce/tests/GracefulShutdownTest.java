package dev.pounce.tests;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown: answer late arrivals with the drain 503 at once, let in-flight requests finish up to the graceful-shutdown timeout, then
 * stop the stragglers. The slow request is held by a latch the test opens, so "still running" is a fact, not a
 * guess about timing.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {

    private final TestApp app = new TestApp();
    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private ServerHandle handle;

    private InetSocketAddress start(ServerConfig.Builder config) throws Exception {
        handle = Server.builder(app, config.host("127.0.0.1").port(0).build()).listener(events::add).start();
        return handle.tcpAddress().orElseThrow();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (handle != null) {
            handle.stopNow();
            handle.awaitTermination(Duration.ofSeconds(10));
        }
    }

    /** Sends one request on its own thread and reads its response there. */
    static CompletableFuture<RawResponse> inBackground(InetSocketAddress address, String target) {
        var result = new CompletableFuture<RawResponse>();
        Thread.ofVirtual().name("slow-client").start(() -> {
            try (var conn = RawConnection.open(address)) {
                result.complete(conn.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n").readResponse());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * Polls until a new connection gets Pounce's drain answer (503, {@code Retry-After: 1}, {@code Connection: close},
     * body {@code Server shutting down...}); fails if it never does within the bound.
     */
    static RawResponse awaitDrainAnswer(InetSocketAddress address, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        RawResponse last = null;
        while (System.nanoTime() < deadline) {
            try (var conn = RawConnection.open(address)) {
                last = conn.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                if (last.status() == 503) {
                    return last;
                }
            } catch (IOException e) {
                // The drain began between connect and answer: try again.
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no drain answer within " + bound.toSeconds() + " s after shutdown(); last: " + last);
    }

    /** Late arrivals get the drain answer whether workers have a socket each or share one (the accept distributor). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1 worker", "2 workers", "2 workers, one shared socket"})
    void inFlightRequestCompletesWhileLateArrivalsGetTheDrainAnswer(String layout) throws Exception {
        var address = start(ServerConfig.builder().workers(layout.startsWith("1") ? 1 : 2)
                .reusePort(!layout.contains("shared")));
        String id = UUID.randomUUID().toString();
        var slow = inBackground(address, "/block?id=" + id);
        assertTrue(app.latch(id + "-entered").await(10, TimeUnit.SECONDS), "the slow request never reached the app");

        handle.shutdown();
        RawResponse late = awaitDrainAnswer(address, Duration.ofSeconds(10));
        assertEquals("1", late.header("retry-after").orElse(""), late.toString());
        assertEquals("close", late.header("connection").orElse("").toLowerCase(), late.toString());
        assertEquals("Server shutting down...", late.text());
        assertFalse(slow.isDone(), "the in-flight request ended before the app answered it: " + describe(slow));
        assertEquals(-1, handle.exitCode(), "the server stopped with a request in flight");

        app.latch(id).countDown();
        RawResponse response = slow.get(20, TimeUnit.SECONDS);
        assertEquals(200, response.status());
        assertEquals("released", response.text());
        assertEquals("close", response.header("connection").orElse("").toLowerCase(),
                "a response finished while draining should tell the client the connection closes: " + response);

        assertTrue(handle.awaitTermination(Duration.ofSeconds(20)), "the server did not stop after draining");
        assertEquals(0, handle.exitCode());
        assertTrue(events.stream().anyMatch(e -> e instanceof LifecycleEvent.DrainStarted), "no DrainStarted event");
        assertTrue(events.contains(new LifecycleEvent.ServerStopped(true)), "not a graceful stop: " + events);
    }

    @Test
    void idleKeepAliveConnectionIsClosedAtOnceOnShutdown() throws Exception {
        var address = start(ServerConfig.builder().gracefulShutdownTimeout(Duration.ofSeconds(30)));
        try (var conn = RawConnection.open(address)) {
            assertEquals(200, conn.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status());
            handle.shutdown();
            assertEquals(0, conn.readToEnd().length);
            // Well before the 30 s graceful timeout, as nothing was in flight.
            assertTrue(handle.awaitTermination(Duration.ofSeconds(15)), "an idle connection held up the shutdown");
            assertEquals(0, handle.exitCode());
        }
    }

    /**
     * A request that outlives the graceful-shutdown timeout is cut; the runtime still exits with 0 (the stop was
     * asked for) and reports a stop that was not graceful.
     */
    @Test
    void requestOutlivingTheGracefulTimeoutIsCut() throws Exception {
        var address = start(ServerConfig.builder().workers(2).gracefulShutdownTimeout(Duration.ofSeconds(1)));
        String id = UUID.randomUUID().toString();
        var slow = inBackground(address, "/block?id=" + id);
        try {
            assertTrue(app.latch(id + "-entered").await(10, TimeUnit.SECONDS));
            handle.shutdown();
            var e = assertThrows(ExecutionException.class, () -> slow.get(20, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause(), "the client should see its connection cut");
            assertTrue(handle.awaitTermination(Duration.ofSeconds(20)), "the server did not stop");
            assertEquals(0, handle.exitCode());
            assertTrue(events.contains(new LifecycleEvent.ServerStopped(false)),
                    "the stop should be reported as not graceful: " + events);
        } finally {
            app.latch(id).countDown();
        }
    }

    @Test
    void stopNowExitsWithOne() throws Exception {
        start(ServerConfig.builder());
        handle.stopNow();
        assertTrue(handle.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(1, handle.exitCode());
    }

    @Test
    void lifespanShutdownRunsAfterTheDrain() throws Exception {
        var order = new CopyOnWriteArrayList<String>();
        dev.pounce.api.App app = (scope, receive, send) -> {
            switch (scope) {
                case dev.pounce.api.LifespanScope l -> {
                    receive.receive();
                    send.send(new dev.pounce.api.LifespanMessage.StartupComplete());
                    receive.receive();
                    order.add("lifespan shutdown");
                    send.send(new dev.pounce.api.LifespanMessage.ShutdownComplete());
                }
                case dev.pounce.api.HttpScope h -> {
                    order.add("request");
                    TestApp.text(send, 200, "ok");
                }
                default -> throw new IllegalStateException();
            }
        };
        handle = Server.builder(app, ServerConfig.builder().host("127.0.0.1").port(0).build()).start();
        try (var conn = RawConnection.open(handle.tcpAddress().orElseThrow())) {
            assertEquals(200, conn.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").readResponse()
                    .status());
            conn.readToEnd();
        }
        handle.shutdown();
        assertTrue(handle.awaitTermination(Duration.ofSeconds(20)));
        assertEquals(List.of("request", "lifespan shutdown"), order);
    }

    private static String describe(CompletableFuture<RawResponse> f) {
        try {
            return String.valueOf(f.getNow(null));
        } catch (Exception e) {
            return e.toString();
        }
    }
}
