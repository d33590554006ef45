package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.HttpExchange;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The built-in health endpoint ({@code --health-path}), answered by the bridge on the event loop before any app runs,
 * so every protocol has it and a busy or stuck app does not make it lie.
 *
 * <p>{@code GET} and {@code HEAD} (a probe) get {@code 200} with
 * {@code {"status":"ok","uptime_seconds":12.3,"worker_id":0,"generation":1,"active_connections":3}} (the Python
 * Pounce's keys, and the generation), or {@code 503} with {@code {"status":"draining"}} from the moment the server's
 * graceful shutdown begins ({@link Readiness}), so that a load balancer stops sending before connections close. Both
 * carry {@code Cache-Control: no-cache, no-store}; a {@code HEAD} gets the same fields and no body. Probes are not in
 * the access log, nor counted as requests ({@code --limit-max-requests}, lifecycle events). Other methods get
 * {@code 405} with {@code Allow: GET, HEAD}, and are logged, since no probe sends them. A WebSocket handshake on the
 * path is refused with the same {@code 405}: the path is the server's, never the app's.
 *
 * <p>A worker that drains for a rolling reload or at {@code --limit-max-requests} still answers {@code 200}: the
 * server goes on serving through its successor or the other workers. Only the shutdown makes the server unready.
 */
final class HealthCheck {

    /** The {@code Allow} field of the {@code 405}. */
    static final String ALLOW = "GET, HEAD";

    private static final byte[] DRAINING = "{\"status\":\"draining\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_ALLOWED = "Method Not Allowed\n".getBytes(StandardCharsets.US_ASCII);
    /** Uptime counts from the start of the process, as the Python Pounce's counts from its import. */
    private static final long STARTED_MILLIS = ProcessHandle.current().info().startInstant()
            .map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);

    private final String path;
    private final WorkerIdentity worker;

    private HealthCheck(String path, WorkerIdentity worker) {
        this.path = path;
        this.worker = worker;
    }

    /**
     * @param config the configuration
     * @param worker the worker answering, or {@link DrainBridge#SERVER}
     * @return the endpoint, or empty when {@code --health-path} is not given
     */
    static Optional<HealthCheck> of(ServerConfig config, WorkerIdentity worker) {
        return config.healthPath().map(p -> new HealthCheck(p, worker));
    }

    /**
     * @param target the request target as sent
     * @return whether it asks for the health path, with or without a query
     */
    boolean matches(String target) {
        return target.startsWith(path) && (target.length() == path.length() || target.charAt(path.length()) == '?');
    }

    /** @return whether the method is a probe's: {@code GET} or {@code HEAD} */
    static boolean probes(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    /**
     * Answers a probe.
     *
     * @param exchange    the request
     * @param requestId   its id, for {@code x-request-id}
     * @param draining    whether the server shuts down
     * @param connections the worker's open connections
     */
    void answer(HttpExchange exchange, String requestId, boolean draining, int connections) {
        byte[] body = draining ? DRAINING : body(connections);
        exchange.start(draining ? 503 : 200, Headers.of("content-type", "application/json",
                "cache-control", "no-cache, no-store", "content-length", Integer.toString(body.length),
                RequestIds.HEADER, requestId), Unpooled.wrappedBuffer(body), true);
    }

    /**
     * Answers another method with {@code 405}.
     *
     * @return the bytes of the body sent, for the access log
     */
    static int refuse(HttpExchange exchange, String requestId) {
        exchange.start(405, refusal(requestId), Unpooled.wrappedBuffer(NOT_ALLOWED), true);
        return NOT_ALLOWED.length;
    }

    /** @return the fields of the {@code 405}; with a WebSocket denial, the body is {@link #refusalBody()} */
    static Headers refusal(String requestId) {
        return Headers.of("content-type", "text/plain; charset=utf-8", "allow", ALLOW,
                "content-length", Integer.toString(NOT_ALLOWED.length), RequestIds.HEADER, requestId);
    }

    /** @return the body of the {@code 405} */
    static byte[] refusalBody() {
        return NOT_ALLOWED.clone();
    }

    /** @return the body of a {@code 200} */
    byte[] body(int connections) {
        long tenths = Math.max(0, System.currentTimeMillis() - STARTED_MILLIS) / 100;
        return ("{\"status\":\"ok\",\"uptime_seconds\":" + tenths / 10 + '.' + tenths % 10 + ",\"worker_id\":"
                + worker.id() + ",\"generation\":" + worker.generation() + ",\"active_connections\":" + connections
                + '}').getBytes(StandardCharsets.US_ASCII);
    }
}
