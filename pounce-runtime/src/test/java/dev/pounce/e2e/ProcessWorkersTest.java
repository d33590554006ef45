package dev.pounce.e2e;

import dev.pounce.api.LifecycleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --workers 2 --worker-strategy process}: crash isolation, restarts and the restart budget. */
class ProcessWorkersTest {

    @AfterEach
    void removeMarkers() throws IOException {
        Files.deleteIfExists(E2eApp.DIE_AT_START);
        Files.deleteIfExists(E2eApp.BROKEN);
    }

    @Test
    void aCrashedWorkerCostsOnlyItsInFlightRequestAndIsRestarted() throws Exception {
        try (var server = new E2eServer("process", 2)) {
            int failedAfterExit = 0;
            int failedInCrashWindow = 0;
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
                boolean exitSeen = server.count(LifecycleEvent.WorkerExited.class) > 0;
                try {
                    var r = server.get("/worker");
                    assertEquals(200, r.status(), r.head());
                    served++;
                    if (halted && server.count(LifecycleEvent.WorkerRestarted.class) > 0) {
                        seenAfterRestart.add(r.worker() + ":" + r.generation());
                    }
                } catch (IOException e) {
                    // Until the supervisor has seen the child gone, a connection may still land in the dead
                    // child's listen queue: the kernel resets it, and it was in flight on the crashed worker too.
                    if (exitSeen) {
                        failedAfterExit++;
                    } else {
                        failedInCrashWindow++;
                    }
                }
            }
            assertEquals(0, failedAfterExit, "a request failed after the crash was handled");
            assertTrue(failedInCrashWindow <= 2, "more than the crashed worker's queue failed: " + failedInCrashWindow);
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
}
