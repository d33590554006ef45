package dev.pounce.ws;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket over HTTP/2 (RFC 8441) end to end: a real server with the HTTP/2 and WebSocket plugins, and Netty's
 * HTTP/2 client codec ({@link H2WebSocketClient}) by prior knowledge and over TLS with ALPN {@code h2}. The server
 * says it takes extended CONNECT, a session is a stream (200, the subprotocol and permessage-deflate answered, no
 * key), masked frames in DATA are echoed, the close handshake ends the stream both ways, a denial keeps the app's
 * status, a client that returns no credit holds the app's sends, a reset stream is a 1006 for the app alone, and a
 * drain closes open sessions with 1001. Every wait is for a frame or an app event.
 */
class Http2Test {

    /** How the client reaches the server. */
    enum Transport { H2C, TLS }

    @TempDir
    static Path dir;
    private static TestTls tls;
    private static final EchoApp APP = new EchoApp();
    private static ServerHandle clear;
    private static ServerHandle secure;

    @BeforeAll
    static void start() throws Exception {
        tls = TestTls.create(dir);
        clear = start(APP, b -> b);
        secure = start(APP, b -> b.sslCertFile(tls.cert()).sslKeyFile(tls.key()));
    }

    @AfterAll
    static void stop() {
        clear.close();
        secure.close();
    }

    private static ServerHandle start(EchoApp app, UnaryOperator<ServerConfig.Builder> customiser) throws Exception {
        return Server.builder(app, customiser.apply(ServerConfig.builder().host("127.0.0.1").port(0).workers(1)
                .accessLog(false).gracefulShutdownTimeout(Duration.ofSeconds(10)).set("ws.ping-interval", "0"))
                .build()).start();
    }

    private static H2WebSocketClient connect(Transport transport) throws Exception {
        return switch (transport) {
            case H2C -> H2WebSocketClient.connect(clear.tcpAddress().orElseThrow(), Optional.empty());
            case TLS -> H2WebSocketClient.connect(secure.tcpAddress().orElseThrow(), Optional.of(tls));
        };
    }

    private static H2WebSocketClient.Session open(H2WebSocketClient client, String target, String... fields)
            throws Exception {
        var session = client.open(target, fields);
        Http2Headers response = session.response();
        assertEquals("200", response.status().toString(), response.toString());
        return session;
    }

    private static String field(Http2Headers headers, String name) {
        CharSequence value = headers.get(name);
        return value == null ? null : value.toString();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theServerSaysItTakesExtendedConnect(Transport transport) throws Exception {
        try (var client = connect(transport)) {
            assertEquals(transport == Transport.TLS ? Optional.of("h2") : Optional.empty(), client.alpn());
            assertEquals(Boolean.TRUE, client.settings().connectProtocolEnabled(),
                    "SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 section 3)");
        }
    }

    /**
     * The handshake's answers, echoes both ways (permessage-deflate too), the scope's version, and a close from the
     * client that the server answers with its code and END_STREAM before the client ends its side.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSessionOnAStreamEchoesAndItsCloseEndsTheStreamBothWays(Transport transport) throws Exception {
        String target = "/chat?h2-echo-" + transport;
        try (var client = connect(transport)) {
            var session = client.open(target, "sec-websocket-protocol", "superchat, chat",
                    "sec-websocket-extensions", "permessage-deflate; client_max_window_bits");
            Http2Headers response = session.response();
            assertEquals("200", response.status().toString());
            assertEquals("chat", field(response, "sec-websocket-protocol"));
            assertEquals("permessage-deflate", field(response, "sec-websocket-extensions"));
            assertEquals("chat", field(response, "x-app"));
            assertNull(field(response, "sec-websocket-accept"), "no key on HTTP/2, so no accept (RFC 8441 section 5)");

            session.text("héllo");
            RawWebSocket.Frame echo = session.read();
            assertEquals(FrameReader.TEXT, echo.opcode());
            assertEquals("héllo", echo.text());
            session.send(FrameReader.BINARY, new byte[]{0, 1, (byte) 0xFF});
            assertArrayEquals(new byte[]{0, 1, (byte) 0xFF}, session.read().payload());

            byte[] big = "compress me ".repeat(200).getBytes(StandardCharsets.UTF_8);
            session.sendFrame(RawWebSocket.encode(true, 4, FrameReader.TEXT, DeflateFramesTest.compress(big), true));
            RawWebSocket.Frame compressed = session.read();
            assertEquals(4, compressed.rsv(), "RSV1: the echo is compressed");
            var inflater = new Inflater(true);
            try {
                assertArrayEquals(big, DeflateFramesTest.inflate(inflater, compressed.payload()));
            } finally {
                inflater.end();
            }

            session.text("whoami");
            assertEquals((transport == Transport.TLS ? "wss" : "ws") + " 2", session.read().text(),
                    "the scope's scheme and httpVersion");

            session.close(1000, "done");
            RawWebSocket.Frame close = session.read();
            assertEquals(FrameReader.CLOSE, close.opcode());
            assertEquals(1000, close.closeCode());
            assertEquals(Optional.empty(), session.end(), "the server ends its side with END_STREAM, no reset");
            session.endStream();
            assertEquals("1000 done", APP.disconnect(target.substring(target.indexOf('?') + 1)));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAppsCloseIsAnsweredAndTheStreamEnds(Transport transport) throws Exception {
        try (var client = connect(transport)) {
            var session = open(client, "/close?h2-app-close-" + transport);
            answerTheServersClose(session, 4000, "bye", APP, "h2-app-close-" + transport);
        }
    }

    /**
     * Reads the server's close frame and answers it with its code and END_STREAM: the server's END_STREAM follows,
     * with no reset, and the app hears the code.
     */
    private static void answerTheServersClose(H2WebSocketClient.Session session, int code, String reason,
                                              EchoApp app, String query) throws Exception {
        RawWebSocket.Frame close = session.read();
        assertEquals(FrameReader.CLOSE, close.opcode());
        assertEquals(code, close.closeCode());
        assertEquals(reason, close.text().substring(2));
        session.close(code, "");
        session.endStream();
        assertEquals(Optional.empty(), session.end());
        assertEquals(code + " ", app.disconnect(query));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDenialGetsTheAppsStatusFieldsAndBody(Transport transport) throws Exception {
        try (var client = connect(transport)) {
            var denied = client.open("/deny");
            Http2Headers response = denied.response();
            assertEquals("401", response.status().toString());
            assertEquals("Bearer", field(response, "www-authenticate"));
            assertEquals("log in first", new String(denied.rest(), StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), denied.end(), "the denial ends the stream");

            var refused = client.open("/refuse");
            assertEquals("403", refused.response().status().toString(), "closed before accepting");
        }
    }

    /**
     * A client that returns no credit: the app's sends fill the stream's window and then block, so the server holds
     * a bounded amount; credit lets them all through.
     */
    @Test
    void aClientThatReturnsNoCreditBlocksTheAppsSends() throws Exception {
        var app = new EchoApp();
        try (var server = start(app, b -> b);
             var client = H2WebSocketClient.connect(server.tcpAddress().orElseThrow(), Optional.empty())) {
            var session = client.openHoldingCredit("/flood");
            assertEquals("200", session.response().status().toString());
            int window = 65_535;
            int read = 0;
            while (read < window) {
                byte[] chunk = session.readData();
                read += chunk.length;
            }
            assertEquals(window, read, "the server sent past the stream's window");
            // What the window took, the message that overran it, and what may wait on the way to the loop.
            int bound = window / EchoApp.FLOOD_SIZE + 1 + Session.QUEUED_LIMIT / EchoApp.FLOOD_SIZE + 1;
            int through = app.flooded.get();
            assertTrue(through <= bound, "the app sent " + through + " of " + EchoApp.FLOOD_MESSAGES
                    + " messages of 16 KiB to a client that gave no credit; at most " + bound + " may pass");

            session.holdCredit = false;
            session.credit(read);
            // Each message is a frame with a 4-byte header; DATA frames cut across them.
            long expected = (long) EchoApp.FLOOD_MESSAGES * (EchoApp.FLOOD_SIZE + 4);
            long total = read;
            while (total < expected) {
                total += session.readData().length;
            }
            assertEquals(expected, total);
            app.floodDone.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(EchoApp.FLOOD_MESSAGES, app.flooded.get());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientResetIsA1006ForThatSessionAndTheConnectionsOtherStreamsGoOn(Transport transport) throws Exception {
        try (var client = connect(transport)) {
            var gone = open(client, "/?h2-reset-" + transport);
            var stays = open(client, "/?h2-stays-" + transport);
            gone.text("first");
            assertEquals("first", gone.read().text());
            gone.reset();
            assertEquals("1006 ", APP.disconnect("h2-reset-" + transport));
            stays.text("still here");
            assertEquals("still here", stays.read().text());
            var later = open(client, "/?h2-later-" + transport);
            later.text("and a new one");
            assertEquals("and a new one", later.read().text());
        }
    }

    @Test
    void aDrainClosesOpenSessionsWith1001AndTheStreamEnds() throws Exception {
        var app = new EchoApp();
        ServerHandle server = start(app, b -> b);
        try (var client = H2WebSocketClient.connect(server.tcpAddress().orElseThrow(), Optional.empty())) {
            var session = open(client, "/?h2-drain");
            session.text("before");
            assertEquals("before", session.read().text());
            server.shutdown();
            client.goAway();
            answerTheServersClose(session, 1001, "server shutting down", app, "h2-drain");
            assertTrue(server.awaitTermination(Duration.ofSeconds(10)), "the server stopped once the session ended");
        } finally {
            server.stopNow();
        }
    }

    /** {@code --no-ws}: the runtime leaves the plugin out, so HTTP/2 does not offer extended CONNECT at all. */
    @Test
    void noWsLeavesExtendedConnectOff() throws Exception {
        try (var server = start(new EchoApp(), b -> b.set("ws.enabled", "false"));
             var client = H2WebSocketClient.connect(server.tcpAddress().orElseThrow(), Optional.empty())) {
            assertFalse(Boolean.TRUE.equals(client.settings().connectProtocolEnabled()),
                    "SETTINGS_ENABLE_CONNECT_PROTOCOL sent with the only upgrade provider switched off");
            var session = client.open("/");
            assertEquals(Optional.of(Http2Error.PROTOCOL_ERROR.code()), session.end(),
                    ":protocol without the setting is malformed (RFC 8441 section 4)");
        }
    }
}
