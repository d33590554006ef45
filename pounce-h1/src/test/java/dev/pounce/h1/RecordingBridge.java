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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A bridge that records what the protocol hands it, and lets a test answer by hand. */
final class RecordingBridge implements Bridge {

    final List<Call> calls = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();
    Consumer<Call> onServe = call -> { };

    @Override
    public RequestBodySink serve(HttpExchange exchange) {
        var call = new Call(exchange);
        calls.add(call);
        onServe.accept(call);
        return call;
    }

    @Override
    public WebSocketInbound serveWebSocket(WebSocketSession session) {
        throw new UnsupportedOperationException("HTTP/1.1 never calls it");
    }

    @Override
    public Headers rejected(ConnectionInfo connection, int status, String reason) {
        rejections.add(status + " " + reason);
        return Headers.of("x-request-id", "rejected-" + rejections.size());
    }

    Call last() {
        return calls.getLast();
    }

    /** One served request: its exchange and everything its sink received. */
    static final class Call implements RequestBodySink {
        final HttpExchange exchange;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final List<Boolean> lastFlags = new ArrayList<>();
        int disconnects;

        Call(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onData(ByteBuf chunk, boolean last) {
            try {
                byte[] bytes = new byte[chunk.readableBytes()];
                chunk.readBytes(bytes);
                body.writeBytes(bytes);
                lastFlags.add(last);
            } finally {
                chunk.release();
            }
        }

        @Override
        public void onDisconnect() {
            disconnects++;
        }

        String body() {
            return body.toString(StandardCharsets.ISO_8859_1);
        }

        boolean complete() {
            return !lastFlags.isEmpty() && lastFlags.getLast();
        }

        /** Answers in one go, as a small app would. */
        void respond(int status, String text, String... headers) {
            exchange.start(status, Headers.of(headers), buf(text), true);
        }

        static ByteBuf buf(String text) {
            return LeakCheck.track(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        }
    }
}
