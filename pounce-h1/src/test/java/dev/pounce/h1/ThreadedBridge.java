package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * A bridge for tests on real event loops: answers every request from a new virtual thread, as the runtime's bridge
 * does, in three sends: {@code a<path>}, {@code b}, {@code c}, chunked.
 */
final class ThreadedBridge implements Bridge {

    @Override
    public RequestBodySink serve(HttpExchange exchange) {
        Thread.ofVirtual().start(() -> {
            String path = exchange.head().target();
            exchange.start(200, Headers.of("x-path", path), text("a" + path), false);
            exchange.body(text("b"), false);
            exchange.body(text("c"), true);
        });
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
        throw new UnsupportedOperationException("HTTP/1.1 never calls it");
    }

    @Override
    public Headers rejected(ConnectionInfo connection, int status, String reason) {
        return Headers.empty();
    }

    /**
     * @param path a request target
     * @return what this bridge answers to it on the wire
     */
    static String response(String path) {
        return "HTTP/1.1 200 OK\r\nx-path: " + path + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(path.length() + 1) + "\r\na" + path + "\r\n1\r\nb\r\n1\r\nc\r\n0\r\n\r\n";
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
