package dev.pounce.e2e;

import dev.pounce.api.LifecycleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rolling reloads under load, for each strategy, and a reload of broken code. */
class RollingReloadTest {

    @AfterEach
    void removeMarkers() throws IOException {
        Files.deleteIfExists(E2eApp.BROKEN);
    }

    /** Keep-alive clients, as browsers and proxies are; a GET on a connection closed while idle is retried. */
    private static final class Load implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Load(E2eServer server, int clients) {
            var uri = URI.create("http://127.0.0.1:" + server.address.getPort() + "/worker");
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                    // Bounded: at most 200 000 requests per client whatever happens.
                    for (int i = 0; i < 200_000 && running.get(); i++) {
                        try {
                            HttpResponse<String> r;
                            try {
                                r = client.send(HttpRequest.newBuilder(uri).build(),
                                        HttpResponse.BodyHandlers.ofString());
                            } catch (IOException e) {
                                if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                                    throw e;
                                }
                                // A keep-alive connection the draining server closed as the request crossed it:
                                // no byte of a response came, so a GET is retried once (RFC 9112 §9.3.1), as
                                // browsers do; java.net.http does not do it for this case.
                                retried.incrementAndGet();
                                r = client.send(HttpRequest.newBuilder(uri).build(),
                                        HttpResponse.BodyHandlers.ofString());
                            }
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
            client.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "process"})
    void twoReloadsUnderLoadDropNoRequest(String strategy) throws Exception {
        try (var server = new E2eServer(strategy, 2)) {
            String codeBefore = server.get("/worker").body().replaceAll(".*code=", "");
            try (var load = new Load(server, 4)) {
                for (int reload = 1; reload <= 2; reload++) {
                    int before = load.ok.get();
                    server.handle.reload();
                    int n = reload;
                    server.await(LifecycleEvent.ReloadCompleted.class,
                            e -> e.workers().stream().allMatch(w -> w.generation() == n), Duration.ofSeconds(60));
                    // Load kept flowing through the reload.
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (load.ok.get() < before + 100 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
                load.close();
                assertEquals(List.of(), List.copyOf(load.failures), "requests failed during the reloads ("
                        + load.retried.get() + " retried after an idle keep-alive close)");
                System.out.println(strategy + ": " + load.ok.get() + " requests during two reloads, "
                        + load.retried.get() + " retried once after an idle keep-alive close");
                assertTrue(load.ok.get() > 200, "too little load: " + load.ok.get());
            }
            var after = server.get("/worker");
            assertEquals(2, after.generation(), after.body());
            if (strategy.equals("thread")) {
                assertNotEquals(codeBefore, after.body().replaceAll(".*code=", ""),
                        "the reload did not load the code again");
            }
            assertEquals(0, server.count(LifecycleEvent.ReloadFailed.class));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "process"})
    void brokenNewCodeKeepsTheOldGenerationServing(String strategy) throws Exception {
        try (var server = new E2eServer(strategy, 2)) {
            Files.createFile(E2eApp.BROKEN);
            server.handle.reload();
            var failed = server.await(LifecycleEvent.ReloadFailed.class, e -> true, Duration.ofSeconds(60));
            assertTrue(failed.error().contains("broken on purpose"), failed.error());
            for (int i = 0; i < 20; i++) {
                var r = server.get("/worker");
                assertEquals(200, r.status());
                assertEquals(0, r.generation(), r.body());
            }
            Files.delete(E2eApp.BROKEN);
            server.handle.reload();
            server.await(LifecycleEvent.ReloadCompleted.class, e -> true, Duration.ofSeconds(60));
            assertEquals(1, server.get("/worker").generation());
        }
    }
}
