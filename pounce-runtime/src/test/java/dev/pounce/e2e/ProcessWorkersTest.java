package dev.pounce.e2e;

import dev.pounce.api.LifecycleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --workers 2 --worker-strategy process}: crash isolation, restarts, the restart budget and hung children.
 */
class ProcessWorkersTest {

    /** The silence bound after which a hung child is killed, shortened here; read when the server starts. */
    private static final String SILENCE = "pounce.internal.heartbeatSilenceMillis";
    private static final String ONE_CARRIER = "pounce.internal.loopCarriers";

    @AfterEach
    void removeMarkers() throws IOException {
        Files.deleteIfExists(E2eApp.DIE_AT_START);
        Files.deleteIfExists(E2eApp.BROKEN);
    }

    @Test
    void aCrashedWorkerCostsOnlyItsInFlightRequestAndIsRestarted() throws Exception {
        try (var server = new E2eServer("process", 2)) {
            int failed = 0;
            int served = 0;
            boolean halted = false;
            Set<String> seenAfterRestart = new HashSet<>();
            for (int i = 0; i < 5000 && seenAfterRestart.size() < 2; i++) {
                if (i == 50) {
                    // The request in flight on the crashed worker: it must fail.
                    assertThrows(IOException.class, () -> server.get("/halt"));
                    halted = true;
                    continue;
                }
                try {
                    var r = server.get("/worker");
                    assertEquals(200, r.status(), r.head());
                    served++;
                    if (halted && server.count(LifecycleEvent.WorkerRestarted.class) > 0) {
                        seenAfterRestart.add(r.worker() + ":" + r.generation());
                    }
                } catch (IOException e) {
                    failed++;
                }
            }
            // A connection that lands in the dead child's queue waits there: the parent keeps the socket open, and
            // the restarted child accepts it.
            assertEquals(0, failed, "a request other than the one in flight on the crashed worker failed");
            var restarted = server.await(LifecycleEvent.WorkerRestarted.class, e -> true, Duration.ofSeconds(30));
            assertEquals(1, restarted.worker().generation());
            assertTrue(server.count(LifecycleEvent.WorkerExited.class) == 1, "one WorkerExited: " + server.events);
            assertTrue(seenAfterRestart.contains(restarted.worker().id() + ":1"),
                    "the restarted worker never answered: " + seenAfterRestart + " after " + served + " requests");
        }
    }

    @Test
    void aWorkerThatDiesAtStartUpIsGivenUpAfterFiveRestarts() throws Exception {
        // Fast backoff for this test only; the window stays 60 s. Read when the server starts.
        System.setProperty("pounce.internal.restartBackoffMillis", "20");
        try (var server = new E2eServer("process", 2)) {
            Files.createFile(E2eApp.DIE_AT_START);
            assertThrows(IOException.class, () -> server.get("/halt"));
            var spent = server.await(LifecycleEvent.RestartBudgetSpent.class, e -> true, Duration.ofSeconds(60));
            assertEquals(5, spent.restarts());
            assertEquals(6, server.count(LifecycleEvent.WorkerExited.class), "the first death and five failed restarts");
            assertEquals(0, server.count(LifecycleEvent.WorkerRestarted.class));
            // The other worker still serves.
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.get("/worker").status());
            }
        } finally {
            System.clearProperty("pounce.internal.restartBackoffMillis");
        }
    }

    @Test
    void aHungWorkerFallsSilentAndIsKilledAndRestarted() throws Exception {
        // SIGSTOP stops every thread of the child at once.
        System.setProperty(SILENCE, "2000");
        Optional<ProcessHandle> stopped = Optional.empty();
        try (var server = new E2eServer("process", 2)) {
            try {
                Map<Integer, Long> pids = pidsOfBothWorkers(server);
                int slot = 0;
                int other = 1;
                long pid = pids.get(slot);
                ProcessHandle child = ProcessHandle.current().children().filter(c -> c.pid() == pid).findFirst()
                        .orElseThrow(() -> new AssertionError("worker " + slot + "'s process " + pid
                                + " is not a child of the server"));
                assertTrue(child.info().commandLine().orElse("").contains("ChildMain"), child.info().toString());

                stopped = Optional.of(child);
                var kill = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).inheritIO().start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -STOP " + pid);
                // kill returns once the signal is sent; each thread stops when it next runs, which on a busy machine
                // can be after the child's loop has accepted and read one more request, which then dies with the
                // child as any in-flight request does. So the requests below start when every thread is stopped.
                awaitStopped(pid);

                // A connection the kernel queues on the stopped child's socket waits until the child is killed and
                // its successor accepts it from the same socket, which the parent kept open. Every request is
                // answered.
                Set<String> answeredBy = new HashSet<>();
                List<String> failed = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!(answeredBy.contains(slot + ":1") && answeredBy.contains(other + ":0"))
                        && System.nanoTime() < deadline) {
                    try {
                        var r = server.get("/worker");
                        assertEquals(200, r.status(), r.head());
                        answeredBy.add(r.worker() + ":" + r.generation());
                    } catch (IOException e) {
                        failed.add(e + " after " + answeredBy + " and " + server.events.stream()
                                .map(x -> x.getClass().getSimpleName()).toList());
                    }
                }

                var exited = server.await(LifecycleEvent.WorkerExited.class, e -> e.worker().id() == slot,
                        Duration.ofSeconds(1));
                assertEquals(0, exited.worker().generation());
                assertTrue(exited.cause().contains("no heartbeat for"), exited.cause());
                assertTrue(exited.cause().contains(Long.toString(pid)), exited.cause());
                var restarted = server.await(LifecycleEvent.WorkerRestarted.class, e -> e.worker().id() == slot,
                        Duration.ofSeconds(1));
                assertEquals(1, restarted.worker().generation());
                assertTrue(child.onExit().get(10, TimeUnit.SECONDS) != null && !child.isAlive(),
                        "the stopped process " + pid + " is gone");
                assertFalse(child.isAlive());
                assertEquals(1, server.count(LifecycleEvent.WorkerExited.class), "one WorkerExited: "
                        + server.events);
                assertTrue(answeredBy.contains(other + ":0"), "the other worker kept answering: " + answeredBy);
                assertTrue(answeredBy.contains(slot + ":1"), "the restarted worker answered: " + answeredBy);
                assertEquals(List.of(), failed, "a request failed");
            } finally {
                stopped.ifPresent(ProcessHandle::destroyForcibly);
            }
        } finally {
            System.clearProperty(SILENCE);
        }
    }

    @Test
    void aWorkerWhoseEventLoopIsWedgedFallsSilentThoughItsJvmRuns() throws Exception {
        // With --dispatch loop the app shares the event loop's thread, and /spin never yields it. With one carrier
        // at most (a test-only setting the children inherit) the watchdog cannot move the loop to another thread, so
        // the loop is wedged. Every other thread of the child, the heartbeat's sender included, keeps running: only
        // the probe on the loop stops.
        System.setProperty(SILENCE, "2000");
        System.setProperty(ONE_CARRIER, "1");
        Map<Integer, Long> pids = Map.of();
        try (var server = new E2eServer("process", 2, "loop")) {
            pids = pidsOfBothWorkers(server);
            Thread.ofVirtual().name("spin-client").start(() -> {
                try {
                    server.get("/spin");
                } catch (IOException expected) {
                    // The wedged child is killed with this request in flight.
                }
            });
            var exited = server.await(LifecycleEvent.WorkerExited.class, e -> true, Duration.ofSeconds(30));
            assertTrue(exited.cause().contains("no heartbeat for"), exited.cause());
            int slot = exited.worker().id();
            long pid = pids.get(slot);
            assertTrue(exited.cause().contains(Long.toString(pid)), exited.cause());
            var child = ProcessHandle.of(pid);
            if (child.isPresent()) {
                child.get().onExit().get(10, TimeUnit.SECONDS);
                assertFalse(child.get().isAlive(), "the wedged process " + pid + " is gone");
            }
            var restarted = server.await(LifecycleEvent.WorkerRestarted.class, e -> e.worker().id() == slot,
                    Duration.ofSeconds(30));
            assertEquals(1, restarted.worker().generation());
            Set<String> answeredBy = new HashSet<>();
            for (int i = 0; i < 500 && !answeredBy.contains(slot + ":1"); i++) {
                var r = server.get("/worker");
                assertEquals(200, r.status(), r.head());
                answeredBy.add(r.worker() + ":" + r.generation());
            }
            assertTrue(answeredBy.contains(slot + ":1"), "the restarted worker answered: " + answeredBy);
            assertEquals(1, server.count(LifecycleEvent.WorkerExited.class), "one WorkerExited: " + server.events);
        } finally {
            System.clearProperty(SILENCE);
            System.clearProperty(ONE_CARRIER);
            pids.values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void connectionsQueuedOnAKilledWorkersSocketAreAllServed() throws Exception {
        try (var server = new E2eServer("process", 2)) {
            Map<Integer, Long> pids = pidsOfBothWorkers(server);
            long pid = pids.get(0);
            // Stopped, the child accepts nothing: the kernel queues on its socket every connection it hashes there.
            signal("STOP", pid);
            try {
                // Not before the stop has taken effect: a child still running could accept a connection and then
                // die with it, which is the in-flight loss another test counts, not a queued connection.
                awaitStopped(pid);
                List<CompletableFuture<E2eServer.Response>> requests = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    requests.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return server.get("/worker");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, Executors.newVirtualThreadPerTaskExecutor()));
                }
                // Those the other worker answers complete; the rest wait in the stopped child's queue. (The count is
                // for the report; what the test asserts is that every one is answered.)
                try {
                    CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException expected) {
                    // Some are queued on worker 0's socket.
                }
                long queued = requests.stream().filter(r -> !r.isDone()).count();
                assertTrue(queued > 0, "the kernel sent no connection to the stopped worker's socket");
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                Set<String> answeredBy = new HashSet<>();
                for (var r : requests) {
                    var response = r.get(60, TimeUnit.SECONDS);
                    assertEquals(200, response.status(), response.head());
                    answeredBy.add(response.worker() + ":" + response.generation());
                }
                System.out.println("process: " + queued + " connections queued on a stopped worker's socket, then "
                        + "the worker killed: all " + requests.size() + " answered, " + answeredBy);
                assertTrue(answeredBy.contains("0:1"), "the restarted worker took the queue: " + answeredBy);
            } finally {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aWorkerKilledUnderNewConnectionLoadCostsAtMostItsInFlightRequests() throws Exception {
        try (var server = new E2eServer("process", 2)) {
            Map<Integer, Long> pids = pidsOfBothWorkers(server);
            try (var load = new RollingReloadTest.Load(server, 4)) {
                load.awaitProgress(100);
                int before = load.ok.get();
                signal("KILL", pids.get(0));
                server.await(LifecycleEvent.WorkerRestarted.class, e -> e.worker().id() == 0, Duration.ofSeconds(60));
                load.awaitProgress(200);
                load.close();
                int failed = load.failures.size();
                System.out.println("process: " + load.ok.get() + " requests on new connections, a worker killed with "
                        + "SIGKILL after " + before + ": " + failed + " failed (in flight on the killed worker), "
                        + "0 retried");
                // Each of the 4 clients has one request at a time, so at most 4 were in flight on the killed
                // worker; a connection queued on its socket is not lost.
                assertTrue(failed <= 4, "more than the killed worker's in-flight requests failed: " + load.failures);
            }
        }
    }

    /** Issue 9: with the parent holding the sockets, process workers share one where each cannot have its own. */
    @Test
    void processWorkersShareOneSocketWithoutReusePort() throws Exception {
        try (var server = new E2eServer("process", 2, b -> b.reusePort(false))) {
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 500 && pids.size() < 2; i++) {
                var r = server.get("/worker");
                assertEquals(200, r.status(), r.head());
                pids.add(r.pid());
            }
            assertEquals(2, pids.size(), "both children accepted on the shared socket: " + pids);
        }
    }

    @Test
    void processWorkersServeAUnixSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var socket = dir.resolve("pounce.sock");
        try (var server = new E2eServer("process", 2, b -> b.uds(socket))) {
            assertEquals(List.of("unix:" + socket), server.handle.addresses());
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 500 && pids.size() < 2; i++) {
                var r = E2eServer.get(socket, "/worker");
                assertEquals(200, r.status(), r.head());
                pids.add(r.pid());
            }
            assertEquals(2, pids.size(), "both children accepted on the Unix socket: " + pids);
        }
    }

    private static void signal(String name, long pid) throws Exception {
        var kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid);
    }

    /** @return the pid of each worker's process, by slot, from {@code /worker} answers */
    private static Map<Integer, Long> pidsOfBothWorkers(E2eServer server) throws IOException {
        Map<Integer, Long> pids = new HashMap<>();
        for (int i = 0; i < 500 && pids.size() < 2; i++) {
            var r = server.get("/worker");
            pids.put(r.worker(), r.pid());
        }
        assertEquals(2, pids.size(), "both workers answered: " + pids);
        return pids;
    }

    /**
     * Waits until every thread of a process is in the stopped state ({@code T} in {@code /proc/PID/task/TID/stat}),
     * that is until SIGSTOP has taken effect, not merely been sent (a thread already exiting counts as stopped).
     */
    private static void awaitStopped(long pid) throws IOException, InterruptedException {
        var tasks = java.nio.file.Path.of("/proc", Long.toString(pid), "task");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> running = List.of();
        while (System.nanoTime() < deadline) {
            running = new ArrayList<>();
            try (var each = Files.list(tasks)) {
                for (var task : each.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue;
                    }
                    // "TID (name) STATE ...": the name may hold spaces and parentheses, the state follows the last ')'.
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if ("TtZX".indexOf(state) < 0) {
                        running.add(task.getFileName() + ":" + state);
                    }
                }
            }
            if (running.isEmpty()) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("process " + pid + " still has threads not stopped after 30 s: " + running);
    }
}
