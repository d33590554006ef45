package dev.pounce.h3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two thread workers, each with its own UDP socket on the port: the kernel spreads new connections over both, and
 * the connection ids route every later packet of a connection to the worker that owns it, also after the client's
 * address changes.
 */
class WorkersTest {

    @TempDir
    static Path dir;
    static SelfSignedPem pem;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        pem = SelfSignedPem.create(dir);
        server = TestServer.start(TestApps.ROUTES, pem, b -> b.workers(2).workerStrategy("thread"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** New connections (each from a new client port) land on both workers, and each is served by its own. */
    @Test
    void twoWorkersEachServeConnections() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 64 && seen.size() < 2; i++) {
            try (var client = H3Client.connect(server.address(), pem)) {
                String first = client.get("/worker").text();
                // Every request of a connection is served by the worker that accepted it.
                for (int j = 0; j < 3; j++) {
                    assertEquals(first, client.get("/worker").text());
                }
                seen.add(first.strip());
            }
        }
        assertEquals(Set.of("worker 0", "worker 1"), seen);
    }

    /**
     * The client's port changes six times under one connection (a NAT rebinding each time). Each new port hashes to
     * either worker's socket; a packet that lands on the other one is passed to the owner by its connection id, so
     * every request is served, by the same worker. (Each new path uses up one of the client's connection ids the
     * server holds, 8 at most, so the seventh change is the last a connection follows.)
     */
    @Test
    void aConnectionKeepsItsWorkerWhenTheClientsPortChanges() throws Exception {
        try (var relay = new NatRelay(server.address());
             var client = H3Client.connect(relay.address(), pem)) {
            String owner = client.get("/worker").text();
            for (int i = 0; i < 6; i++) {
                relay.rebind();
                assertEquals(owner, client.get("/worker").text(), "after rebinding " + (i + 1));
            }
        }
    }
}
