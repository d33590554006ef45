package dev.pounce.ws;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.Message;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's own WebSocket client ({@link java.net.http.WebSocket}) against a real server over HTTP/1.1, in the clear
 * and over TLS: echo, subprotocols, the close code each way, the drain's 1001, pings that keep a live client and
 * cut a dead one, and a send that waits for a client that does not read.
 */
class JdkClientTest {

    static final EchoApp APP = new EchoApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, b -> b.workers(1).accessLog(false)
            .set("ws.ping-interval", "0.2").set("ws.ping-timeout", "5"));

    /** Collects what the client hears; asks for one message at a time only when told to. */
    static final class Listener implements WebSocket.Listener {
        final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicInteger pings = new AtomicInteger();
        final boolean reads;
        private StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        Listener(boolean reads) {
            this.reads = reads;
        }

        @Override
        public void onOpen(WebSocket ws) {
            if (reads) {
                ws.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                heard.add(text.toString());
                text = new StringBuilder();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining()).put(binary).put(data)
                    .flip();
            binary = joined;
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                heard.add(bytes);
                binary = ByteBuffer.allocate(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            pings.incrementAndGet();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object m = heard.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no message within 10 s");
            }
            return m;
        }
    }

    private static WebSocket open(HttpClient client, URI uri, Listener listener, String... subprotocols)
            throws Exception {
        var builder = client.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
    }

    private static URI ws(PounceServer server, String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    @Test
    void textAndBinaryOfEverySizeAreEchoedAndTheClientsCloseCodeReachesTheApp() throws Exception {
        var listener = new Listener(true);
        WebSocket ws = open(HttpClient.newHttpClient(), ws(SERVER, "/?jdk-echo"), listener);
        var random = new Random(6455);
        for (int size : new int[]{0, 1, 125, 126, 65535, 65536, 1 << 20}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            ws.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
            assertArrayEquals(bytes, (byte[]) listener.next(), "binary of " + size);
            String text = "ж".repeat(size / 2);
            ws.sendText(text, true).get(10, TimeUnit.SECONDS);
            assertEquals(text, listener.next(), "text of " + size);
        }
        ws.sendText("whoami", true).get(10, TimeUnit.SECONDS);
        assertEquals("ws 1.1", listener.next());
        ws.sendClose(4321, "done here").get(10, TimeUnit.SECONDS);
        assertEquals("4321 ", listener.closed.get(10, TimeUnit.SECONDS));
        assertEquals("4321 done here", APP.disconnect("jdk-echo"));
    }

    @Test
    void theAppPicksASubprotocolAndItsCloseCodeReachesTheClient() throws Exception {
        var listener = new Listener(true);
        WebSocket ws = open(HttpClient.newHttpClient(), ws(SERVER, "/chat"), listener, "superchat", "chat");
        assertEquals("chat", ws.getSubprotocol());
        var closing = new Listener(true);
        open(HttpClient.newHttpClient(), ws(SERVER, "/close?jdk-close"), closing);
        assertEquals("4000 bye", closing.closed.get(10, TimeUnit.SECONDS));
        assertEquals("4000 ", APP.disconnect("jdk-close"), "the JDK client answers with the code it received");
        ws.abort();
    }

    @Test
    void aLiveClientAnswersPingsAndStaysOpen() throws Exception {
        var listener = new Listener(true);
        WebSocket ws = open(HttpClient.newHttpClient(), ws(SERVER, "/"), listener);
        while (listener.pings.get() < 3) {
            listener.heard.poll(100, TimeUnit.MILLISECONDS);
        }
        ws.sendText("still here", true).get(10, TimeUnit.SECONDS);
        assertEquals("still here", listener.next());
        ws.abort();
    }

    @Test
    void aClientThatAnswersNothingIsCutAfterThePingTimeout() throws Exception {
        var app = new EchoApp();
        var config = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .set("ws.ping-interval", "0.1").set("ws.ping-timeout", "0.3").build();
        try (ServerHandle server = Server.builder(app, config).start();
             var raw = RawWebSocket.connect(server.tcpAddress().orElseThrow(), "/")) {
            assertEquals(FrameReader.PING, raw.read().opcode(), "the server pings");
            // The raw client never answers: the server gives up on it.
            assertTrue(raw.awaitEnd(), "cut after the ping timeout");
            assertEquals("1006 ping timeout", app.disconnect(raw.query));
        }
    }

    @Test
    void wssOverTlsCarriesTheSessionWithSchemeWss(@TempDir Path dir) throws Exception {
        TestTls tls = TestTls.create(dir);
        var config = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .sslCertFile(tls.cert()).sslKeyFile(tls.key()).set("ws.ping-interval", "0").build();
        var app = new EchoApp();
        try (ServerHandle server = Server.builder(app, config).start()) {
            var client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
            var listener = new Listener(true);
            WebSocket ws = open(client, URI.create("wss://localhost:" + server.tcpAddress().orElseThrow().getPort()
                    + "/?tls"), listener);
            ws.sendText("whoami", true).get(10, TimeUnit.SECONDS);
            assertEquals("wss 1.1", listener.next());
            byte[] big = new byte[3 << 20];
            new Random(1).nextBytes(big);
            ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
            assertArrayEquals(big, (byte[]) listener.next());
            ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
            assertEquals("1000 ", listener.closed.get(10, TimeUnit.SECONDS));
            assertEquals("1000 ", app.disconnect("tls"));
        }
    }

    @Test
    void aDrainClosesOpenSessionsWith1001() throws Exception {
        var app = new EchoApp();
        var config = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .gracefulShutdownTimeout(Duration.ofSeconds(10)).set("ws.ping-interval", "0").build();
        ServerHandle server = Server.builder(app, config).start();
        try {
            var listener = new Listener(true);
            WebSocket ws = open(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:"
                    + server.tcpAddress().orElseThrow().getPort() + "/?drain"), listener);
            ws.sendText("before", true).get(10, TimeUnit.SECONDS);
            assertEquals("before", listener.next());
            server.shutdown();
            assertEquals("1001 server shutting down", listener.closed.get(10, TimeUnit.SECONDS));
            assertEquals("1001 ", app.disconnect("drain"));
            assertTrue(server.awaitTermination(Duration.ofSeconds(10)), "the server stopped once the session ended");
        } finally {
            server.stopNow();
        }
    }

    /** The app floods a client that reads nothing: its sends block, so the server holds a bounded amount. */
    @Test
    void aSendBlocksWhileTheClientDoesNotRead() throws Exception {
        var sent = new AtomicInteger();
        var done = new CompletableFuture<Void>();
        int chunk = 64 * 1024;
        int total = 400; // 25 MiB
        App flood = (scope, receive, send) -> {
            receive.receive();
            send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
            for (int i = 0; i < total; i++) {
                send.send(new WebSocketMessage.Send(Optional.empty(), Optional.of(new byte[chunk])));
                sent.incrementAndGet();
            }
            done.complete(null);
            Message m;
            do {
                m = receive.receive();
            } while (!(m instanceof WebSocketMessage.Disconnect));
        };
        var config = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .set("ws.ping-interval", "0").build();
        try (ServerHandle server = Server.builder(flood, config).start()) {
            var listener = new Listener(false);
            WebSocket ws = open(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:"
                    + server.tcpAddress().orElseThrow().getPort() + "/"), listener);
            // Wait until the app stops making progress, then check it stopped far short of the end.
            int last = -1;
            while (sent.get() != last) {
                last = sent.get();
                listener.heard.poll(500, TimeUnit.MILLISECONDS);
            }
            assertTrue(sent.get() < total / 2, "the app sent " + sent.get() + " of " + total
                    + " messages of 64 KiB to a client that read none");
            ws.request(Long.MAX_VALUE);
            for (int i = 0; i < total; i++) {
                assertEquals(chunk, ((byte[]) listener.next()).length);
            }
            done.get(10, TimeUnit.SECONDS);
            assertEquals(total, sent.get());
            ws.abort();
        }
    }
}
