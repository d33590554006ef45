package dev.pounce.h3;

import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * WebSocket over HTTP/3 (RFC 9220) at frame level, with Netty's HTTP/3 codec as the client: the server's SETTINGS
 * offer extended CONNECT while the WebSocket plugin is on, a CONNECT with {@code :protocol websocket} is answered
 * {@code 200}, and RFC 6455 frames then travel in DATA frames on that request stream, both ways, until the close
 * handshake ends each direction with a FIN.
 */
class WebSocketOverHttp3Test {

    /** SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 section 3, for HTTP/3 by RFC 9220 section 3). */
    private static final long ENABLE_CONNECT_PROTOCOL = 0x08;

    @TempDir
    static Path dir;
    static TestServer server;
    static H3Client client;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        server = TestServer.start(TestApps.ROUTES, pem);
        client = H3Client.connect(server.address(), pem);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Consumer<Http3Headers> extendedConnect(String protocol) {
        return h -> {
            h.set(":protocol", protocol);
            h.set("sec-websocket-version", "13");
        };
    }

    @Test
    void theServerOffersExtendedConnect() throws Exception {
        assertEquals(1L, client.settings.get(30, TimeUnit.SECONDS).settings().get(ENABLE_CONNECT_PROTOCOL));
    }

    @Test
    void aWebSocketSessionRunsOnARequestStream() throws Exception {
        H3Client.Call call = client.open("CONNECT", "/ws", extendedConnect("websocket"), true);
        Http3Headers head = call.head.get(30, TimeUnit.SECONDS);
        assertEquals("200", head.status().toString());
        assertEquals(null, head.get("content-length"), "a 2xx answer to CONNECT has no length");

        call.data(masked(0x1, "hello".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(frame(0x1, "3 hello".getBytes(StandardCharsets.UTF_8)), read(call, 9),
                "the app's echo, with the scope's HTTP version");

        // The close handshake: the server answers our close with its own and ends its direction.
        call.data(masked(0x8, new byte[]{0x03, (byte) 0xe8}));
        assertArrayEquals(frame(0x8, new byte[]{0x03, (byte) 0xe8}), read(call, 4));
        call.end();
        H3Client.Response r = call.response.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        call.closed.get(30, TimeUnit.SECONDS);
        // The connection serves on.
        assertEquals(200, client.get("/").status());
    }

    @Test
    void aProtocolNoPluginTakesGets501() throws Exception {
        H3Client.Call call = client.open("CONNECT", "/", extendedConnect("no-such-protocol"), true);
        call.end();
        assertEquals(501, call.response.get(30, TimeUnit.SECONDS).status());
    }

    @Test
    void protocolOnAnotherMethodIsMalformed() throws Exception {
        H3Client.Call call = client.open("GET", "/", h -> h.set(":protocol", "websocket"), true);
        assertEquals(Http3ErrorCode.H3_MESSAGE_ERROR.code(), call.resetCode());
    }

    /** Reads {@code n} bytes of the session as they come, across DATA frames. */
    private static byte[] read(H3Client.Call call, int n) throws InterruptedException {
        var out = new ByteArrayOutputStream();
        while (out.size() < n) {
            byte[] chunk = call.chunks.poll(30, TimeUnit.SECONDS);
            if (chunk == null) {
                throw new AssertionError("only " + out.size() + " of " + n + " bytes came");
            }
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    /** A final, unmasked frame as a server sends it (payloads under 126 bytes). */
    private static byte[] frame(int opcode, byte[] payload) {
        var out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        out.write(payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A final frame masked as a client must send it (RFC 6455 section 5.3). */
    private static byte[] masked(int opcode, byte[] payload) {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        var out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        out.write(0x80 | payload.length);
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }
}
