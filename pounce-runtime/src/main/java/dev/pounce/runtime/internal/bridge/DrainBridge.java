package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.metrics.Labels;
import dev.pounce.runtime.internal.metrics.WorkerMetrics;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The bridge of connections that arrive while the server shuts down: it answers every request with Pounce's drain
 * response ({@code 503}, {@code Retry-After: 1}, the body {@code Server shutting down...}, the same as the Python
 * Pounce's) without running the app, and refuses every WebSocket handshake the same way. A health probe gets the
 * health endpoint's own {@code 503 {"status":"draining"}}. The protocol encodes the answer as it encodes any response,
 * so it reaches a client over TLS, HTTP/2 and through the shared socket alike, and the connection is draining from its
 * start, so it closes after the answer ({@code Connection: close}, GOAWAY). Each answer carries its request id.
 * The answers are counted in the metrics as any response (a scrape's is not, as a scrape never is).
 */
public final class DrainBridge implements WorkerBridge {

    /** The worker identity late arrivals are logged under: the server's own loop answers them, not a worker. */
    public static final WorkerIdentity SERVER = new WorkerIdentity(-1, 0);

    static final byte[] BODY = "Server shutting down...".getBytes(StandardCharsets.US_ASCII);
    private static final Headers HEADERS = Headers.of("content-type", "text/plain; charset=utf-8",
            "retry-after", "1", "content-length", Integer.toString(BODY.length));

    /** A sink for the body of a request answered without the app: every chunk is dropped. */
    static final RequestBodySink DISCARD = new RequestBodySink() {
        @Override
        public void onData(ByteBuf chunk, boolean last) {
            chunk.release();
        }

        @Override
        public void onDisconnect() {
        }
    };

    /** The inbound side of a WebSocket session refused without the app: every message is dropped. */
    static final WebSocketInbound IGNORED = new WebSocketInbound() {
        @Override
        public void onText(String text, int bytes) {
        }

        @Override
        public void onBinary(ByteBuf bytes) {
            bytes.release();
        }

        @Override
        public void onDisconnect(int code, String reason) {
        }
    };

    private final AccessLog accessLog;
    private final Optional<HealthCheck> health;
    private final ProxyHeaders proxies;
    private final WorkerMetrics metrics;
    private final Optional<String> metricsPath;

    /** @param config the configuration: the access log's switch and format, and the health path */
    public DrainBridge(ServerConfig config) {
        this(config, WorkerMetrics.OFF);
    }

    /**
     * @param config  the configuration
     * @param metrics where the late arrivals are counted
     */
    public DrainBridge(ServerConfig config, WorkerMetrics metrics) {
        this.accessLog = new AccessLog(config.accessLog(), config.accessLogFormat(), SERVER);
        this.health = HealthCheck.of(config, SERVER);
        this.proxies = new ProxyHeaders(config.forwardedAllowIps());
        this.metrics = metrics;
        this.metricsPath = config.metricsPath();
    }

    @Override
    public RequestBodySink serve(HttpExchange exchange) {
        long started = System.nanoTime();
        RequestHead head = exchange.head();
        RequestOrigin origin = proxies.resolve(head.headers(), exchange.connection());
        String id = RequestIds.of(head.headers(), origin.trustedPeer());
        if (health.isPresent() && health.get().matches(head.target()) && HealthCheck.probes(head.method())) {
            health.get().answer(exchange, id, true, 0);
            return DISCARD;
        }
        exchange.start(503, HEADERS.with(RequestIds.HEADER, id), Unpooled.wrappedBuffer(BODY), true);
        long nanos = System.nanoTime() - started;
        accessLog.log(origin.client(), head.method(), head.target(), head.version(), 503, BODY.length, nanos, id);
        if (metricsPath.isEmpty() || !MetricsEndpoint.matches(metricsPath.get(), head.target())) {
            int protocol = Labels.protocol(head.version());
            metrics.requestStarted(protocol);
            metrics.bytesSent(protocol, BODY.length);
            metrics.requestEnded(Labels.method(head.method()), protocol, 503, nanos, false);
        }
        return DISCARD;
    }

    @Override
    public WebSocketInbound serveWebSocket(WebSocketSession session) {
        String id = RequestIds.of(session.head().headers(),
                proxies.resolve(session.head().headers(), session.connection()).trustedPeer());
        session.deny(503, HEADERS.with(RequestIds.HEADER, id), Unpooled.wrappedBuffer(BODY));
        int protocol = Labels.protocol(session.head().version());
        metrics.sessionOffered(protocol);
        metrics.sessionEnded(protocol, false);
        return IGNORED;
    }

    @Override
    public Headers rejected(ConnectionInfo connection, int status, String reason) {
        String id = RequestIds.generate();
        accessLog.rejected(connection, status, reason, id);
        metrics.rejected(status);
        return Headers.of(RequestIds.HEADER, id);
    }

    @Override
    public void connectionOpened(ConnectionInfo info) {
        metrics.connectionOpened();
    }

    @Override
    public void connectionClosed(ConnectionInfo info) {
        metrics.connectionClosed();
    }
}
