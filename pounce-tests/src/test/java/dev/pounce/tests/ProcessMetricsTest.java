package dev.pounce.tests;

import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --metrics-path} with {@code --workers 2 --worker-strategy process}, through the {@code pounce} command on the
 * module path: one scrape, whichever child it reaches, counts the requests both children served; a child killed with
 * SIGKILL and restarted makes no counter go back, and its successor's requests add to the same totals.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProcessMetricsTest {

    private static final Pattern SERVING = Pattern.compile("serving on http://\\S+?:(\\d+) ");
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String SERVED = "http_requests_total{method=\"GET\",status_class=\"2xx\",protocol=\"HTTP/1.1\"}";

    /** One request on a connection of its own, so that the kernel spreads them over both children's sockets. */
    private static String worker(InetSocketAddress address) throws Exception {
        try (var conn = RawConnection.open(address)) {
            conn.send("GET /worker HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            RawResponse r = conn.readResponse();
            assertEquals(200, r.status(), r.toString());
            return r.text().strip();
        }
    }

    private static Exposed scrape(InetSocketAddress address) throws Exception {
        try (var conn = RawConnection.open(address)) {
            conn.send("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            RawResponse r = conn.readResponse();
            assertEquals(200, r.status(), r.toString());
            return Exposed.parse(r.text());
        }
    }

    @Test
    void oneScrapeCountsBothChildrenAndAKilledChildTakesNothingBack() throws Exception {
        var args = List.of("--host", "127.0.0.1", "--port", "0", "--workers", "2", "--worker-strategy", "process",
                "--metrics-path", "/metrics");
        try (var server = ChildJvm.start(ChildJvm.modulePathCommand(ChildJvm.productJars(), args), Map.of())) {
            int port = Integer.parseInt(server.awaitStderr(SERVING, BOUND).group(1));
            var address = new InetSocketAddress("127.0.0.1", port);

            // Requests on new connections until both children have answered some.
            Set<String> workers = new HashSet<>();
            int served = 0;
            while (workers.size() < 2 || served < 20) {
                workers.add(worker(address).replaceAll(" generation=.*", ""));
                served++;
                assertTrue(served < 2000, "one child answered every request: " + workers);
            }
            Exposed first = scrape(address);
            assertEquals(served, first.get(SERVED), "one scrape counts both children:\n" + first.text());
            assertEquals(served, first.get("http_request_duration_seconds_count"));
            assertEquals(served + 1, first.get("pounce_http_connections_total"), "the requests' and this scrape's");
            assertEquals(0, first.get("pounce_worker_restarts_total"));
            assertTrue(first.get("process_resident_memory_bytes") > 0, first.text());
            first.checkWithPromtool();

            // SIGKILL one child; the supervisor restarts its slot.
            List<ProcessHandle> children = server.handle().children()
                    .filter(c -> c.info().commandLine().orElse("").contains("ChildMain")).toList();
            assertEquals(2, children.size(), "two child processes: " + children);
            ProcessHandle victim = children.getFirst();
            assertTrue(victim.destroyForcibly());
            victim.onExit().get(30, TimeUnit.SECONDS);
            server.awaitStderr(Pattern.compile("worker \\d restarted \\(generation 1\\)"), BOUND);

            Exposed second = scrape(address);
            List<String> backwards = new ArrayList<>();
            for (var e : first.values().entrySet()) {
                if (first.cumulative(e.getKey()) && second.get(e.getKey()) < e.getValue()) {
                    backwards.add(e.getKey() + ": " + e.getValue() + " then " + second.get(e.getKey()));
                }
            }
            assertEquals(List.of(), backwards, "counters went back after the restart");
            assertEquals(served, second.get(SERVED), "the killed child's requests are still counted");
            assertEquals(1, second.get("pounce_worker_restarts_total"));

            // The restarted child's requests add to the totals.
            Set<String> generations = new HashSet<>();
            int more = 0;
            while (!generations.contains("generation=1")) {
                generations.add(worker(address).replaceAll(".* generation=", "generation="));
                more++;
                assertTrue(more < 2000, "the restarted child never answered: " + generations);
            }
            Exposed third = scrape(address);
            assertEquals(served + more, third.get(SERVED), third.text());
            assertFalse(server.stderr().contains("/metrics"), "a scrape is in the access log:\n" + server.stderr());
            server.terminate();
            assertEquals(0, server.awaitExit(BOUND), server.describe());
        }
    }
}
