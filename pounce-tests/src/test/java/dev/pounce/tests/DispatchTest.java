package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --dispatch}: where the app's virtual thread is carried, and that a parked app does not stall its worker. */
class DispatchTest {

    private static final CountDownLatch ENTERED = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    /** What a holding app is doing: it started, and the test has let it go. */
    private static volatile CountDownLatch holding = new CountDownLatch(1);
    private static volatile boolean letGo;
    private static final Object MONITOR = new Object();
    private static volatile Path fifo;

    /** Answers with its own thread's description; {@code /park} waits for the test first. */
    private static final App APP = (scope, receive, send) -> {
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        switch (http.path()) {
            case "/park" -> {
                ENTERED.countDown();
                RELEASE.await(30, TimeUnit.SECONDS);
            }
            case "/spin" -> {
                // Computes without ever waiting: nothing lets a virtual thread unmount here.
                holding.countDown();
                long spins = 0;
                while (!letGo) {
                    spins++;
                    Thread.onSpinWait();
                }
                assertTrue(spins > 0);
            }
            case "/fifo" -> {
                // A blocking read of a named pipe: file I/O, which holds the carrier until the writer writes.
                holding.countDown();
                try (var in = Files.newInputStream(fifo)) {
                    in.read();
                }
            }
            case "/sleep-in-synchronized" -> {
                synchronized (MONITOR) {
                    holding.countDown();
                    while (!letGo) {
                        Thread.sleep(1);
                    }
                }
            }
            default -> {
            }
        }
        byte[] body = Thread.currentThread().toString().getBytes(StandardCharsets.UTF_8);
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
        send.send(new HttpMessage.ResponseBody(body, false));
    };

    @RegisterExtension
    static PounceServer loop = PounceServer.of(APP, c -> c.dispatch("loop"));

    /** The default dispatch, one worker: every connection shares one loop. */
    @RegisterExtension
    static PounceServer defaults = PounceServer.of(APP, c -> c.workers(1));

    @RegisterExtension
    static PounceServer virtual = PounceServer.of(APP, c -> c.dispatch("virtual"));

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String get(PounceServer server, String path) throws Exception {
        var r = CLIENT.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void loopDispatchCarriesTheAppOnTheWorkersEventLoop() throws Exception {
        String thread = get(loop, "/");
        assertTrue(thread.startsWith("VirtualThread[") && thread.contains("pounce-app-0"), thread);
        assertTrue(thread.contains("@pounce-worker-0"), "not carried by the worker's loop: " + thread);
    }

    @Test
    void virtualDispatchUsesTheJdkScheduler() throws Exception {
        String thread = get(virtual, "/");
        assertTrue(thread.startsWith("VirtualThread[") && thread.contains("ForkJoinPool"), thread);
    }

    @Test
    void aParkedAppDoesNotStallItsWorkerUnderLoopDispatch() throws Exception {
        var parked = CompletableFuture.supplyAsync(() -> {
            try {
                return get(loop, "/park");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(ENTERED.await(10, TimeUnit.SECONDS), "the parking request never reached the app");
            // One worker, one loop: this answer needs the loop the parked app was carried by.
            assertTrue(get(loop, "/").contains("@pounce-worker-0"));
            assertFalse(parked.isDone());
        } finally {
            RELEASE.countDown();
        }
        assertTrue(parked.get(10, TimeUnit.SECONDS).contains("pounce-app-0"));
    }

    @Test
    void theDefaultIsTheCarriedLoop() throws Exception {
        String thread = get(defaults, "/");
        assertTrue(thread.contains("pounce-app-0") && thread.contains("@pounce-worker-0"), thread);
    }

    @Test
    void anAppThatComputesDoesNotHoldUpAnotherConnection() throws Exception {
        heldAppLetsOthersThrough("/spin", () -> letGo = true);
    }

    @Test
    void anAppBlockedInFileIoDoesNotHoldUpAnotherConnection(@TempDir Path dir) throws Exception {
        fifo = dir.resolve("pipe");
        var mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        heldAppLetsOthersThrough("/fifo", () -> {
            try (var out = Files.newOutputStream(fifo)) {
                out.write('x');
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void anAppSleepingInSynchronizedDoesNotHoldUpAnotherConnection() throws Exception {
        heldAppLetsOthersThrough("/sleep-in-synchronized", () -> letGo = true);
    }

    /**
     * With one worker, a request whose app holds its thread (the path), and then a second connection's request: the
     * second is answered while the first still holds, which it does until the test lets it go. Without the
     * watchdog's second carrier the second request would wait forever, and the test would fail on its timeout.
     */
    private static void heldAppLetsOthersThrough(String path, Runnable release) throws Exception {
        synchronized (DispatchTest.class) {
            letGo = false;
            holding = new CountDownLatch(1);
            var held = CompletableFuture.supplyAsync(() -> {
                try {
                    return get(defaults, path);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertTrue(holding.await(30, TimeUnit.SECONDS), "the holding request never reached the app");
                var other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                var r = other.send(HttpRequest.newBuilder(defaults.uri("/")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertFalse(held.isDone(), "the holding app finished before the other request was answered");
            } finally {
                release.run();
            }
            assertTrue(held.get(30, TimeUnit.SECONDS).contains("pounce-app-0"));
        }
    }
}
