package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * The bridge of connections that arrive while the server shuts down: it answers every request with Pounce's drain
 * response ({@code 503}, {@code Retry-After: 1}, the body {@code Server shutting down...}, the same as the Python
 * Pounce's) without running the app, and refuses every WebSocket handshake the same way. The protocol encodes the
 * answer as it encodes any response, so it reaches a client over TLS, HTTP/2 and through the shared socket alike,
 * and the connection is draining from its start, so it closes after the answer ({@code Connection: close}, GOAWAY).
 */
public final class DrainBridge implements WorkerBridge {

    /** The worker identity late arrivals are logged under: the server's own loop answers them, not a worker. */
    public static final WorkerIdentity SERVER = new WorkerIdentity(-1, 0);

    static final byte[] BODY = "Server shutting down...".getBytes(StandardCharsets.US_ASCII);
    private static final Headers HEADERS = Headers.of("content-type", "text/plain; charset=utf-8",
            "retry-after", "1", "content-length", Integer.toString(BODY.length));

    private final AccessLog accessLog;

    /** @param accessLog whether each answer is logged on {@code pounce.access} */
    public DrainBridge(boolean accessLog) {
        this.accessLog = new AccessLog(accessLog, SERVER);
    }

    @Override
    public RequestBodySink serve(HttpExchange exchange) {
        long started = System.nanoTime();
        exchange.start(503, HEADERS, Unpooled.wrappedBuffer(BODY), true);
        accessLog.log(exchange.connection(), exchange.head().method(), exchange.head().target(),
                exchange.head().version(), 503, BODY.length, System.nanoTime() - started);
        return new RequestBodySink() {
            @Override
            public void onData(ByteBuf chunk, boolean last) {
                chunk.release();
            }

            @Override
            public void onDisconnect() {
            }
        };
    }

    @Override
    public WebSocketInbound serveWebSocket(WebSocketSession session) {
        session.deny(503, HEADERS, Unpooled.wrappedBuffer(BODY));
        return new WebSocketInbound() {
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
    }

    @Override
    public void rejected(ConnectionInfo connection, int status, String reason) {
        accessLog.rejected(connection, status, reason);
    }

    @Override
    public void connectionOpened(ConnectionInfo info) {
    }

    @Override
    public void connectionClosed(ConnectionInfo info) {
    }
}
