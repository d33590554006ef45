package dev.pounce.demo;

import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's WebSocket routes on a real server with the WebSocket plugin, driven by the JDK client. */
class DemoWebSocketTest {

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(new DemoApp(), b -> b.workers(1).accessLog(false));

    @Test
    void wsEchoesTextAndBinary() throws Exception {
        BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + SERVER.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        heard.add(data.toString());
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        heard.add(data.remaining());
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("hello, pounce", true).get(10, TimeUnit.SECONDS);
        assertEquals("hello, pounce", heard.poll(10, TimeUnit.SECONDS));
        ws.sendBinary(ByteBuffer.wrap(new byte[]{0, 1, 127, (byte) 255}), true).get(10, TimeUnit.SECONDS);
        assertEquals(4, heard.poll(10, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWebSocketElsewhereIsRefusedWith403() {
        var e = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + SERVER.port() + "/nope"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS));
        var refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(403, refused.getResponse().statusCode());
    }

    @Test
    void wsDemoServesThePage() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + SERVER.port() + "/ws-demo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Pounce WebSocket echo"));
    }
}
