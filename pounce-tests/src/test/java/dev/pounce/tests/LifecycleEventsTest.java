package dev.pounce.tests;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-connection and per-request events reach listeners, in order, with the counts a listener needs. */
class LifecycleEventsTest {

    @RegisterExtension
    static PounceServer server = PounceServer.of(new TestApp());

    @Test
    void aKeptAliveConnectionReportsItsRequests() throws Exception {
        int clientPort;
        try (var conn = RawConnection.open(server.address())) {
            clientPort = conn.localPort();
            assertEquals(200, conn.send("GET /?a HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status());
            assertEquals(404, conn.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status());
        }
        var opened = await(LifecycleEvent.ConnectionOpened.class, e -> e.client().orElseThrow().port() == clientPort);
        long id = opened.connectionId();
        var closed = await(LifecycleEvent.ConnectionClosed.class, e -> e.connectionId() == id
                && e.worker().equals(opened.worker()));
        assertEquals(2, closed.requestsServed());
        assertTrue(closed.durationNanos() > 0);

        List<LifecycleEvent.RequestStarted> started = server.events().stream()
                .filter(LifecycleEvent.RequestStarted.class::isInstance).map(LifecycleEvent.RequestStarted.class::cast)
                .filter(e -> e.connectionId() == id && e.worker().equals(opened.worker())).toList();
        assertEquals(List.of("/", "/b"), started.stream().map(LifecycleEvent.RequestStarted::path).toList());
        assertEquals("GET", started.getFirst().method());
        assertEquals("1.1", started.getFirst().httpVersion());
        assertTrue(server.events().indexOf(opened) < server.events().indexOf(started.getFirst()));
        assertTrue(server.events().indexOf(started.getLast()) < server.events().indexOf(closed));
    }

    private static <T extends LifecycleEvent> T await(Class<T> type, java.util.function.Predicate<T> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (LifecycleEvent e : List.copyOf(server.events())) {
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " in " + server.events());
    }
}
