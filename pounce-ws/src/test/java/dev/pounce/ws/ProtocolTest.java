package dev.pounce.ws;

import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6455 at the frame level against a real server over HTTP/1.1: the handshake's answers, fragmentation, control
 * frames, every kind of protocol error with its close code, the limits, and the close handshake. Each error case
 * checks that the server sends exactly one close frame and then closes the TCP connection itself.
 */
class ProtocolTest {

    static final EchoApp APP = new EchoApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, b -> b.workers(1).accessLog(false)
            .set("ws.ping-interval", "0").set("ws.max-message-size", "1000").set("ws.max-frame-size", "600")
            .set("ws.close-timeout", "0.5"));

    private static RawWebSocket open(String path, String... lines) throws IOException {
        var ws = RawWebSocket.connect(SERVER.address(), path, lines);
        assertEquals(101, ws.response.status(), ws.response.toString());
        return ws;
    }

    /** The server sends one close frame with this code, then closes the connection, and the app hears the code. */
    private static void expectFailure(RawWebSocket ws, int code) throws Exception {
        RawWebSocket.Frame close = ws.read();
        assertEquals(FrameReader.CLOSE, close.opcode(), "a close frame, got opcode " + close.opcode());
        assertEquals(code, close.closeCode(), close.text());
        assertTrue(ws.awaitEnd(), "the server closes the TCP connection after its close frame, and sends no second");
        assertEquals(String.valueOf(code), APP.disconnect(ws.query).split(" ")[0]);
        ws.close();
    }

    @Test
    void theHandshakeAnswersWithTheAcceptKeyAndNoExtensionUnoffered() throws Exception {
        try (var ws = RawWebSocket.connect(SERVER.address(), "/", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")) {
            assertEquals(101, ws.response.status());
            // The example of RFC 6455 section 1.3.
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ws.response.headers().get("sec-websocket-accept"));
            assertFalse(ws.response.headers().containsKey("sec-websocket-extensions"));
            assertFalse(ws.response.headers().containsKey("sec-websocket-protocol"));
            ws.close(1000, "");
            assertEquals(1000, ws.read().closeCode());
            assertEquals("1000 ", APP.disconnect(ws.query));
        }
    }

    @Test
    void anotherVersionGets426WithTheVersionSpokenAndABadKey400() throws Exception {
        try (var ws = RawWebSocket.connect(SERVER.address(), "/", "Sec-WebSocket-Version: 8")) {
            assertEquals(426, ws.response.status());
            assertEquals("13", ws.response.headers().get("sec-websocket-version"));
        }
        try (var ws = RawWebSocket.connect(SERVER.address(), "/", "Sec-WebSocket-Key: short")) {
            assertEquals(400, ws.response.status());
        }
    }

    @Test
    void theAppChoosesTheSubprotocolDeniesOrRefuses() throws Exception {
        try (var ws = open("/chat", "Sec-WebSocket-Protocol: superchat, chat")) {
            assertEquals("chat", ws.response.headers().get("sec-websocket-protocol"));
            assertEquals("chat", ws.response.headers().get("x-app"));
            ws.close(1000, "");
            ws.read();
            assertEquals("1000 ", APP.disconnect(ws.query));
        }
        try (var ws = RawWebSocket.connect(SERVER.address(), "/deny")) {
            assertEquals(401, ws.response.status());
            assertEquals("Bearer", ws.response.headers().get("www-authenticate"));
            assertEquals("log in first", ws.response.body());
        }
        try (var ws = RawWebSocket.connect(SERVER.address(), "/refuse")) {
            assertEquals(403, ws.response.status());
        }
    }

    @Test
    void fragmentsAreReassembledWithPingsAnsweredBetweenThem() throws Exception {
        try (var ws = open("/")) {
            ws.frame(false, 0, FrameReader.TEXT, "Hel".getBytes(StandardCharsets.UTF_8), true)
                    .frame(FrameReader.PING, "p1".getBytes(StandardCharsets.UTF_8))
                    .frame(false, 0, FrameReader.CONTINUATION, "lo, ".getBytes(StandardCharsets.UTF_8), true)
                    .frame(true, 0, FrameReader.CONTINUATION, "wörld".getBytes(StandardCharsets.UTF_8), true);
            RawWebSocket.Frame pong = ws.read();
            assertEquals(FrameReader.PONG, pong.opcode());
            assertEquals("p1", pong.text());
            RawWebSocket.Frame echo = ws.read();
            assertEquals(FrameReader.TEXT, echo.opcode());
            assertTrue(echo.fin());
            assertEquals("Hello, wörld", echo.text());
            byte[] binary = HexFormat.of().parseHex("00ff10");
            ws.frame(FrameReader.BINARY, binary);
            assertArrayEquals(binary, ws.read().payload());
            ws.close(1001, "going");
            RawWebSocket.Frame close = ws.read();
            assertEquals(1001, close.closeCode(), "the client's code is echoed");
            assertTrue(ws.awaitEnd(), "the server closes TCP after the close handshake");
            assertEquals("1001 going", APP.disconnect(ws.query));
        }
    }

    @Test
    void anUnmaskedFrameIs1002() throws Exception {
        expectFailure(open("/").frame(true, 0, FrameReader.TEXT, "hi".getBytes(), false), 1002);
    }

    @Test
    void reservedBitsAndOpcodesAre1002() throws Exception {
        expectFailure(open("/").frame(true, 2, FrameReader.TEXT, "hi".getBytes(), true), 1002); // RSV2
        expectFailure(open("/").frame(true, 1, FrameReader.TEXT, "hi".getBytes(), true), 1002); // RSV3
        // RSV1 means compression, which was not negotiated here.
        expectFailure(open("/").frame(true, 4, FrameReader.TEXT, "hi".getBytes(), true), 1002);
        expectFailure(open("/").frame(3, new byte[0]), 1002);
        expectFailure(open("/").frame(0xB, new byte[0]), 1002);
    }

    @Test
    void badControlFramesAre1002() throws Exception {
        expectFailure(open("/").frame(FrameReader.PING, new byte[126]), 1002);
        expectFailure(open("/").frame(false, 0, FrameReader.PING, new byte[1], true), 1002);
        expectFailure(open("/").frame(FrameReader.CLOSE, new byte[]{3}), 1002);
    }

    @Test
    void brokenFragmentationIs1002() throws Exception {
        expectFailure(open("/").frame(true, 0, FrameReader.CONTINUATION, "x".getBytes(), true), 1002);
        expectFailure(open("/").frame(false, 0, FrameReader.TEXT, "a".getBytes(), true)
                .frame(true, 0, FrameReader.TEXT, "b".getBytes(), true), 1002);
    }

    @Test
    void invalidCloseCodesAre1002AndAnInvalidReason1007() throws Exception {
        for (int code : new int[]{0, 999, 1004, 1005, 1006, 1015, 2000, 5000}) {
            expectFailure(open("/").close(code, ""), 1002);
        }
        byte[] bad = {0x03, (byte) 0xE8, (byte) 0xC0, (byte) 0xAF};
        expectFailure(open("/").frame(FrameReader.CLOSE, bad), 1007);
    }

    /** RFC 6455 section 8.1: invalid UTF-8 fails at the fragment that shows it, before the message ends. */
    @Test
    void invalidUtf8Is1007AndFailsFastAcrossFragments() throws Exception {
        var ws = open("/");
        ws.frame(false, 0, FrameReader.TEXT, HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5"), true)
                .frame(false, 0, FrameReader.CONTINUATION, HexFormat.of().parseHex("f4908080"), true);
        expectFailure(ws, 1007); // no last fragment was sent
    }

    @Test
    void overTheFrameOrMessageLimitIs1009() throws Exception {
        expectFailure(open("/").frame(FrameReader.BINARY, new byte[601]), 1009);
        var ws = open("/");
        ws.frame(false, 0, FrameReader.BINARY, new byte[500], true)
                .frame(false, 0, FrameReader.CONTINUATION, new byte[500], true)
                .frame(true, 0, FrameReader.CONTINUATION, new byte[1], true);
        expectFailure(ws, 1009);
    }

    @Test
    void afterAFailureNothingMoreIsReadNorAnswered() throws Exception {
        var ws = open("/");
        ws.text("first");
        assertEquals("first", ws.read().text());
        ws.frame(true, 2, FrameReader.TEXT, "x".getBytes(), true)
                .frame(FrameReader.PING, new byte[0])
                .close(1000, "");
        expectFailure(ws, 1002);
    }

    @Test
    void theAppsCloseCodeReachesTheClientAndTheClientsAnswerTheApp() throws Exception {
        try (var ws = open("/close")) {
            RawWebSocket.Frame close = ws.read();
            assertEquals(4000, close.closeCode());
            assertEquals("bye", new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8));
            ws.close(4000, "");
            assertTrue(ws.awaitEnd(), "the server closes TCP once the client answered");
            assertEquals("4000 ", APP.disconnect(ws.query));
        }
    }

    @Test
    void aClientThatNeverAnswersTheCloseIsCutAtTheCloseTimeout() throws Exception {
        try (var ws = open("/close")) {
            assertEquals(4000, ws.read().closeCode());
            assertTrue(ws.awaitEnd(), "cut after --ws-close-timeout");
            assertEquals("1006 close handshake timed out", APP.disconnect(ws.query));
        }
    }

    @Test
    void aClientThatDropsTheConnectionIs1006() throws Exception {
        var ws = open("/");
        ws.close();
        assertEquals("1006 ", APP.disconnect(ws.query));
    }

    @Test
    void anEmptyCloseIsAnsweredEmptyAndHeardAs1005() throws Exception {
        try (var ws = open("/")) {
            ws.frame(FrameReader.CLOSE, new byte[0]);
            RawWebSocket.Frame close = ws.read();
            assertEquals(0, close.payload().length);
            assertTrue(ws.awaitEnd());
            assertEquals("1005 ", APP.disconnect(ws.query));
        }
    }

    @Test
    void withTheWebSocketSwitchOffAHandshakeIsPlainHttp() throws Exception {
        var config = dev.pounce.api.ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .set("ws.enabled", "false").build();
        try (var server = dev.pounce.runtime.Server.builder(APP, config).start();
             var ws = RawWebSocket.connect(server.tcpAddress().orElseThrow(), "/")) {
            assertEquals(200, ws.response.status(), "--no-ws: the app gets an ordinary request");
        }
    }

    @Test
    void plainHttpIsStillServedBesideWebSocket() throws Exception {
        try (var raw = dev.pounce.testing.RawConnection.open(SERVER.address())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n");
            assertEquals(200, raw.readResponse().status(), "Upgrade without Connection: upgrade is plain HTTP");
        }
    }
}
