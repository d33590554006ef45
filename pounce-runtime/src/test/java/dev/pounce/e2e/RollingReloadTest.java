package dev.pounce.e2e;

import dev.pounce.api.LifecycleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
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

    /**
     * Clients that open a new connection for every request, so every request goes through the kernel's accept queue
     * of some worker's socket: the queue a reload used to reset. No retry of any kind.
     */
    static final class Load implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger ok = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();

        Load(E2eServer server, int clients) {
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                    // Bounded: at most 200 000 requests per client whatever happens.
                    for (int i = 0; i < 200_000 && running.get(); i++) {
                        try {
                            var r = server.get("/worker");
                            if (r.status() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(r.status() + " " + r.body());
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
        }

        /** Waits until {@code more} requests have been answered since now, so load crosses what follows. */
        void awaitProgress(int more) throws InterruptedException {
            int target = ok.get() + more;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ok.get() < target && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "process"})
    void fiveReloadsUnderNewConnectionLoadLoseNoRequest(String strategy) throws Exception {
        try (var server = new E2eServer(strategy, 2)) {
            String codeBefore = server.get("/worker").body().replaceAll(".*code=", "");
            try (var load = new Load(server, 4)) {
                load.awaitProgress(50);
                for (int reload = 1; reload <= 5; reload++) {
                    server.handle.reload();
                    int n = reload;
                    server.await(LifecycleEvent.ReloadCompleted.class,
                            e -> e.workers().stream().allMatch(w -> w.generation() == n), Duration.ofSeconds(60));
                    // Load keeps flowing through the reload and into the next one.
                    load.awaitProgress(50);
                }
                load.close();
                System.out.println(strategy + ": " + load.ok.get() + " requests, each on a new connection, during "
                        + "five reloads; " + load.failures.size() + " failed, 0 retried");
                assertEquals(List.of(), List.copyOf(load.failures), "requests failed during the reloads");
                assertTrue(load.ok.get() > 250, "too little load: " + load.ok.get());
            }
            var after = server.get("/worker");
            assertEquals(5, after.generation(), after.body());
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
            // An old child still accepts on its copy of the socket until its drain order arrives: it may answer a
            // few more, and every answer is a 200; then the new generation answers.
            int generation = 0;
            for (int i = 0; i < 500 && generation != 1; i++) {
                var r = server.get("/worker");
                assertEquals(200, r.status());
                generation = r.generation();
            }
            assertEquals(1, generation, "the new generation never answered");
        }
    }
}
