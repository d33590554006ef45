package dev.pounce.tests;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --workers 2}: both workers serve. Each fresh connection comes from a new source port; the kernel spreads
 * them over the {@code SO_REUSEPORT} listeners by a hash of the addresses, or the shared acceptor deals them in turn.
 * A bounded loop of fresh connections sees both worker ids with overwhelming probability.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkersTest {

    static final int MAX_CONNECTIONS = 200;

    static Set<Integer> workersSeen(InetSocketAddress address) throws IOException {
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < MAX_CONNECTIONS && seen.size() < 2; i++) {
            try (var conn = RawConnection.open(address)) {
                RawResponse r = conn.send("GET /worker HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                        .readResponse();
                assertEquals(200, r.status(), r.toString());
                int id = Integer.parseInt(r.header("x-pounce-worker").orElseThrow());
                assertEquals("worker=" + id + " generation=0", r.text());
                seen.add(id);
            }
        }
        return seen;
    }

    static void assertStartedWith(PounceServer server, int workers, String strategy) {
        var started = server.events().stream().filter(e -> e instanceof LifecycleEvent.ServerStarted)
                .map(e -> (LifecycleEvent.ServerStarted) e).findFirst()
                .orElseThrow(() -> new AssertionError("no ServerStarted event"));
        assertEquals(workers, started.workers());
        assertEquals(strategy, started.strategy());
        long workerStarts = server.events().stream().filter(e -> e instanceof LifecycleEvent.WorkerStarted).count();
        assertEquals(workers, workerStarts, "one WorkerStarted per worker");
    }

    @Nested
    class ReusePort {
        @RegisterExtension
        final PounceServer server = PounceServer.of(new TestApp(), c -> c.workers(2));

        @Test
        void bothWorkersServeConnections() throws Exception {
            assertEquals(Set.of(0, 1), workersSeen(server.address()));
            assertStartedWith(server, 2, "thread");
        }
    }

    @Nested
    class SharedAcceptor {
        @RegisterExtension
        final PounceServer server = PounceServer.of(new TestApp(), c -> c.workers(2).reusePort(false));

        @Test
        void bothWorkersServeConnections() throws Exception {
            assertEquals(Set.of(0, 1), workersSeen(server.address()));
            assertStartedWith(server, 2, "thread");
        }
    }

    @Nested
    class OneWorker {
        @RegisterExtension
        final PounceServer server = PounceServer.of(new TestApp());

        @Test
        void oneWorkerRunsWithoutAStrategy() throws Exception {
            assertEquals(Set.of(0), workersSeen(server.address()));
            assertStartedWith(server, 1, "single");
        }
    }

    @Nested
    class ProcessorCount {
        @RegisterExtension
        final PounceServer server = PounceServer.of(new TestApp(), c -> c.workers(0));

        @Test
        void workersZeroMeansOnePerProcessor() {
            int cpus = Runtime.getRuntime().availableProcessors();
            assertStartedWith(server, cpus, cpus == 1 ? "single" : "thread");
            assertTrue(server.handle().addresses().getFirst().startsWith("http://127.0.0.1:"));
        }
    }
}
