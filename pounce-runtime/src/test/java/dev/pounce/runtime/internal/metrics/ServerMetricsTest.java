package dev.pounce.runtime.internal.metrics;

import dev.pounce.api.ServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters' arithmetic without sockets: what a worker's recording gives a scrape, the histogram's cumulative
 * buckets, the samples' text over the control channel, and the parent's gathering of its children, above all that a
 * child that dies and is replaced makes no counter go back while its gauges go.
 */
class ServerMetricsTest {

    private static final ServerConfig ON = ServerConfig.builder().metricsPath("/metrics").build();

    private static String render(Samples samples) {
        return new String(Exposition.render(samples), StandardCharsets.UTF_8);
    }

    @Test
    void aWorkersRecordingIsWhatAScrapeShows() {
        var server = ServerMetrics.forServer(ON, 2);
        WorkerMetrics w0 = server.worker(0);
        WorkerMetrics w1 = server.worker(1);
        int h1 = Labels.protocol("1.1");
        int h2 = Labels.protocol("2");
        w0.requestStarted(h1);
        w0.requestEnded(Labels.method("GET"), h1, 200, 500_000, false);
        w1.requestStarted(h2);
        w1.requestEnded(Labels.method("GET"), h2, 204, 3_000_000, false);
        w1.requestStarted(h2);
        w1.requestEnded(Labels.method("BREW"), h2, 0, 20_000_000_000L, true);
        w0.requestStarted(h1);
        w0.bytesSent(h1, 100);
        w0.bytesReceived(h1, 7);
        w0.rejected(413);
        w0.connectionOpened();
        w1.connectionOpened();
        w1.connectionClosed();

        Samples s = server.local();
        assertEquals(1, s.value("http_requests_total", "method=\"GET\",status_class=\"2xx\",protocol=\"HTTP/1.1\""));
        assertEquals(1, s.value("http_requests_total", "method=\"GET\",status_class=\"2xx\",protocol=\"HTTP/2\""));
        assertEquals(1, s.value("http_requests_total", "method=\"other\",status_class=\"none\",protocol=\"HTTP/2\""));
        assertEquals(1, s.value("pounce_http_requests_aborted_total", "protocol=\"HTTP/2\""));
        assertEquals(1, s.value("http_requests_in_flight", ""));
        assertEquals(100, s.value("http_bytes_sent_total", "protocol=\"HTTP/1.1\""));
        assertEquals(7, s.value("pounce_http_bytes_received_total", "protocol=\"HTTP/1.1\""));
        assertEquals(1, s.value("pounce_http_requests_rejected_total", "reason=\"content_too_large\""));
        assertEquals(1, s.value("http_connections_active", ""));
        assertEquals(2, s.value("pounce_http_connections_total", ""));
        assertEquals(0, s.value("http_streams_active", "protocol=\"HTTP/2\""));

        String text = render(s);
        assertTrue(text.contains("\nhttp_request_duration_seconds_bucket{le=\"0.001\"} 1\n"), text);
        assertTrue(text.contains("\nhttp_request_duration_seconds_bucket{le=\"0.0025\"} 1\n"), text);
        assertTrue(text.contains("\nhttp_request_duration_seconds_bucket{le=\"0.005\"} 2\n"), text);
        assertTrue(text.contains("\nhttp_request_duration_seconds_bucket{le=\"10\"} 2\n"), text);
        assertTrue(text.contains("\nhttp_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"), text);
        assertTrue(text.contains("\nhttp_request_duration_seconds_sum 20.0035\n"), text);
        assertTrue(text.contains("\nhttp_request_duration_seconds_count 3\n"), text);
        assertEquals(1, text.split("# TYPE http_requests_total counter\n", -1).length - 1, text);
        assertTrue(text.contains("# TYPE http_request_duration_seconds histogram\n"), text);
        assertTrue(text.contains("\npounce_worker_restarts_total 0\n"), text);
        assertTrue(text.contains("\nprocess_start_time_seconds "), text);
        assertTrue(text.contains("\nprocess_cpu_seconds_total "), text);
    }

    @Test
    void aStreamIsCountedWhileItsRequestOrSessionIsServed() {
        var w = ServerMetrics.forServer(ON, 1).worker(0);
        int h3 = Labels.protocol("3");
        w.requestStarted(h3);
        w.sessionOffered(h3);
        w.sessionAccepted(h3);
        Samples during = new Samples();
        w.collect(during);
        assertEquals(2, during.value("http_streams_active", "protocol=\"HTTP/3\""));
        assertEquals(1, during.value("pounce_websocket_sessions_active", ""));
        w.requestEnded(0, h3, 200, 1, false);
        w.sessionEnded(h3, true);
        Samples after = new Samples();
        w.collect(after);
        assertEquals(0, after.value("http_streams_active", "protocol=\"HTTP/3\""));
        assertEquals(0, after.value("pounce_websocket_sessions_active", ""));
        assertEquals(1, after.value("pounce_websocket_sessions_total", "protocol=\"HTTP/3\",result=\"accepted\""));
    }

    @Test
    void offRecordsNothingAndShowsNothing() {
        var server = ServerMetrics.forServer(ServerConfig.defaults(), 1);
        assertFalse(server.on());
        server.worker(0).requestStarted(1);
        server.worker(0).requestEnded(0, 1, 200, 1, false);
        assertEquals("", render(server.local()));
        assertFalse(WorkerMetrics.OFF.on());
    }

    @Test
    void samplesSurviveTheControlChannelsText() {
        var server = ServerMetrics.forServer(ON, 1);
        server.worker(0).requestStarted(1);
        server.worker(0).requestEnded(Labels.method("PATCH"), 1, 404, 42, false);
        Samples s = server.local();
        assertEquals(render(s), render(Samples.decode(s.encode())));
    }

    @Test
    void theParentAddsItsChildrenAndADeadChildsCountersStay() throws Exception {
        var parent = ServerMetrics.forServer(ON, 2);
        AtomicInteger asked = new AtomicInteger();
        ServerMetrics.Child a = parent.adopt(() -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        ServerMetrics.Child b = parent.adopt(() -> CompletableFuture.completedFuture(null));
        a.update(childSamples(5, 2));
        b.update(childSamples(3, 1));
        Samples whole = parent.whole().get();
        assertEquals(1, asked.get(), "a scrape asks each live child");
        String get = "method=\"GET\",status_class=\"2xx\",protocol=\"HTTP/1.1\"";
        assertEquals(8, whole.value("http_requests_total", get));
        assertEquals(3, whole.value("http_connections_active", ""));

        // Child a dies: its counters stay, its open connections go; its successor starts from zero.
        a.retire();
        a.update(childSamples(1000, 1000));
        ServerMetrics.Child a2 = parent.adopt(() -> CompletableFuture.completedFuture(null));
        a2.update(childSamples(1, 1));
        Samples after = parent.whole().get();
        assertEquals(9, after.value("http_requests_total", get));
        assertEquals(2, after.value("http_connections_active", ""));
        assertTrue(render(after).contains("\nhttp_request_duration_seconds_count 9\n"), render(after));
    }

    @Test
    void aChildThatDoesNotAnswerCountsWithItsLastSamples() throws Exception {
        var parent = ServerMetrics.forServer(ON, 1);
        ServerMetrics.Child silent = parent.adopt(CompletableFuture::new);
        silent.update(childSamples(4, 0));
        Samples whole = parent.whole().get();
        assertEquals(4, whole.value("http_requests_total", "method=\"GET\",status_class=\"2xx\",protocol=\"HTTP/1.1\""));
    }

    @Test
    void aChildAsksItsParent() throws Exception {
        Samples fromParent = childSamples(11, 0);
        var child = ServerMetrics.forChild(ON, 2, () -> CompletableFuture.completedFuture(fromParent));
        assertEquals(11, child.whole().get().value("http_requests_total",
                "method=\"GET\",status_class=\"2xx\",protocol=\"HTTP/1.1\""));
        assertFalse(render(child.local()).contains("process_start_time_seconds"),
                "a child's start is not the server's");
        assertFalse(render(child.local()).contains("pounce_worker_restarts_total"), "restarts are the parent's");
    }

    /** What a child with {@code requests} GETs served and {@code open} connections sends. */
    private static Samples childSamples(int requests, int open) {
        var child = ServerMetrics.forChild(ON, 1, CompletableFuture::new);
        WorkerMetrics w = child.worker(0);
        for (int i = 0; i < requests; i++) {
            w.requestStarted(1);
            w.requestEnded(0, 1, 200, 1_000, false);
        }
        for (int i = 0; i < open; i++) {
            w.connectionOpened();
        }
        return Samples.decode(child.local().encode());
    }
}
