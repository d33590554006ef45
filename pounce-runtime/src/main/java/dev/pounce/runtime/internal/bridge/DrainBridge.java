package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
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

    /** @param config the configuration: the access log's switch and format, and the health path */
    public DrainBridge(ServerConfig config) {
        this.accessLog = new AccessLog(config.accessLog(), config.accessLogFormat(), SERVER);
        this.health = HealthCheck.of(config, SERVER);
        this.proxies = new ProxyHeaders(config.forwardedAllowIps());
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
        accessLog.log(origin.client(), head.method(), head.target(), head.version(), 503, BODY.length,
                System.nanoTime() - started, id);
        return DISCARD;
    }

    @Override
    public WebSocketInbound serveWebSocket(WebSocketSession session) {
        String id = RequestIds.of(session.head().headers(),
                proxies.resolve(session.head().headers(), session.connection()).trustedPeer());
        session.deny(503, HEADERS.with(RequestIds.HEADER, id), Unpooled.wrappedBuffer(BODY));
        return IGNORED;
    }

    @Override
    public Headers rejected(ConnectionInfo connection, int status, String reason) {
        String id = RequestIds.generate();
        accessLog.rejected(connection, status, reason, id);
        return Headers.of(RequestIds.HEADER, id);
    }

    @Override
    public void connectionOpened(ConnectionInfo info) {
    }

    @Override
    public void connectionClosed(ConnectionInfo info) {
    }
}
