package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.Exposition;
import dev.pounce.runtime.internal.metrics.Samples;
import dev.pounce.runtime.internal.metrics.ServerMetrics;
import dev.pounce.spi.HttpExchange;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The built-in Prometheus endpoint ({@code --metrics-path}), answered by the bridge before any app runs, so every
 * protocol has it, the same way as the health path ({@link HealthCheck}). A scrape is read and written on a virtual
 * thread of its own ({@code pounce-metrics}), not on the event loop: merging the workers' counters and reading the
 * process's values (a few hundred sums and a {@code /proc} read) would hold up the loop's connections, and with
 * process workers the answer waits for the other children anyway.
 *
 * <p>{@code GET} and {@code HEAD} get {@code 200} with the text format 0.0.4 and {@code Cache-Control: no-store}; a
 * child whose parent does not answer in time gets {@code 503}, never a partial answer whose counters would seem to
 * go back. Other methods get the health path's {@code 405}. Scrapes are not in the access log and are not counted as
 * requests, in the metrics or towards {@code --limit-max-requests}.
 */
final class MetricsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.CONNECTIONS);
    private static final byte[] UNAVAILABLE = "metrics unavailable: the supervisor did not answer in time\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final String path;
    private final ServerMetrics metrics;

    private MetricsEndpoint(String path, ServerMetrics metrics) {
        this.path = path;
        this.metrics = metrics;
    }

    /**
     * @param config  the configuration
     * @param metrics the server's metrics, which a scrape merges
     * @return the endpoint, or empty when {@code --metrics-path} is not given
     */
    static Optional<MetricsEndpoint> of(ServerConfig config, ServerMetrics metrics) {
        return config.metricsPath().map(p -> new MetricsEndpoint(p, metrics));
    }

    /**
     * @param target the request target as sent
     * @return whether it asks for the metrics path, with or without a query
     */
    boolean matches(String target) {
        return matches(path, target);
    }

    /** @return whether the target asks for the path, with or without a query */
    static boolean matches(String path, String target) {
        return target.startsWith(path) && (target.length() == path.length() || target.charAt(path.length()) == '?');
    }

    /**
     * Answers a scrape, later, from its own thread.
     *
     * @param exchange  the request
     * @param requestId its id, for {@code x-request-id}
     */
    void answer(HttpExchange exchange, String requestId) {
        Thread.ofVirtual().name("pounce-metrics").start(() -> {
            Samples samples;
            try {
                samples = metrics.whole().get();
            } catch (ExecutionException | InterruptedException e) {
                LOG.warn("metrics scrape [{}] failed: {}", requestId,
                        e instanceof ExecutionException ? e.getCause().toString() : e.toString());
                exchange.start(503, Headers.of("content-type", "text/plain; charset=utf-8", "cache-control",
                        "no-store", "retry-after", "1", "content-length", Integer.toString(UNAVAILABLE.length),
                        RequestIds.HEADER, requestId), Unpooled.wrappedBuffer(UNAVAILABLE), true);
                return;
            }
            // A HEAD gets the same fields; the protocol drops the body, as for the health answer.
            byte[] body = Exposition.render(samples);
            exchange.start(200, Headers.of("content-type", Exposition.CONTENT_TYPE, "cache-control", "no-store",
                    "content-length", Integer.toString(body.length), RequestIds.HEADER, requestId),
                    Unpooled.wrappedBuffer(body), true);
        });
    }
}
