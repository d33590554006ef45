package dev.pounce.ws;

import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate at the frame level (RFC 7692 sections 6 and 7.2): RSV1 marks a compressed message on its first
 * frame only, messages under {@code --ws-deflate-min-size} go out uncompressed, and bad compressed input closes the
 * session with the right code.
 */
class DeflateFramesTest {

    static final EchoApp APP = new EchoApp();

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, b -> b.workers(1).accessLog(false)
            .set("ws.ping-interval", "0").set("ws.deflate-min-size", "100"));

    private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
    private static final int RSV1 = 4;

    /** Compresses as a client would: raw DEFLATE, sync flush, the 4-byte tail removed. */
    static byte[] compress(byte[] data) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        byte[] out = new byte[data.length + 64];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(out, n - 4);
    }

    /** Decompresses one message with the session's decompressor, which keeps the server's context. */
    static byte[] inflate(Inflater inflater, byte[] payload) throws Exception {
        byte[] in = Arrays.copyOf(payload, payload.length + 4);
        in[payload.length + 2] = (byte) 0xFF;
        in[payload.length + 3] = (byte) 0xFF;
        inflater.setInput(in);
        var out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = inflater.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static RawWebSocket open() throws Exception {
        var ws = RawWebSocket.connect(SERVER.address(), "/", OFFER);
        assertEquals(101, ws.response.status());
        assertEquals("permessage-deflate", ws.response.headers().get("sec-websocket-extensions"));
        return ws;
    }

    private static void expectClose(RawWebSocket ws, int code) throws Exception {
        RawWebSocket.Frame close = ws.read();
        assertEquals(FrameReader.CLOSE, close.opcode());
        assertEquals(code, close.closeCode(), close.text());
        assertTrue(ws.awaitEnd());
        assertEquals(String.valueOf(code), APP.disconnect(ws.query).split(" ")[0]);
        ws.close();
    }

    @Test
    void compressedBothWaysAboveTheMinimumAndPlainBelowIt() throws Exception {
        var inflater = new Inflater(true);
        try (var ws = open()) {
            byte[] text = "compress me ".repeat(100).getBytes(StandardCharsets.UTF_8);
            ws.frame(true, RSV1, FrameReader.TEXT, compress(text), true);
            RawWebSocket.Frame echo = ws.read();
            assertEquals(RSV1, echo.rsv(), "an echo over the minimum size is compressed");
            assertTrue(echo.payload().length < text.length / 4);
            assertEquals(new String(text, StandardCharsets.UTF_8),
                    new String(inflate(inflater, echo.payload()), StandardCharsets.UTF_8));
            ws.text("small");
            RawWebSocket.Frame small = ws.read();
            assertEquals(0, small.rsv(), "under --ws-deflate-min-size it goes out plain");
            assertEquals("small", small.text());
            // A compressed message in three frames: RSV1 on the first only.
            byte[] whole = compress(text);
            int third = whole.length / 3;
            ws.frame(false, RSV1, FrameReader.TEXT, Arrays.copyOfRange(whole, 0, third), true)
                    .frame(FrameReader.PING, new byte[0])
                    .frame(false, 0, FrameReader.CONTINUATION, Arrays.copyOfRange(whole, third, 2 * third), true)
                    .frame(true, 0, FrameReader.CONTINUATION, Arrays.copyOfRange(whole, 2 * third, whole.length),
                            true);
            assertEquals(FrameReader.PONG, ws.read().opcode());
            assertEquals(new String(text, StandardCharsets.UTF_8),
                    new String(inflate(inflater, ws.read().payload()), StandardCharsets.UTF_8));
            ws.close(1000, "");
            assertEquals(1000, ws.read().closeCode());
        } finally {
            inflater.end();
        }
    }

    @Test
    void rsv1OnAContinuationFrameIs1002() throws Exception {
        byte[] whole = compress("abcdefgh".repeat(20).getBytes(StandardCharsets.UTF_8));
        var ws = open();
        ws.frame(false, RSV1, FrameReader.TEXT, Arrays.copyOfRange(whole, 0, 4), true)
                .frame(true, RSV1, FrameReader.CONTINUATION, Arrays.copyOfRange(whole, 4, whole.length), true);
        expectClose(ws, 1002);
    }

    @Test
    void undecodableDataIs1007AndSoIsTextThatInflatesToBadUtf8() throws Exception {
        var ws = open();
        ws.frame(true, RSV1, FrameReader.BINARY, new byte[]{(byte) 0xFF, (byte) 0xFF, 0x00}, true);
        expectClose(ws, 1007);
        var text = open();
        text.frame(true, RSV1, FrameReader.TEXT, compress(new byte[]{'o', 'k', (byte) 0xC0, (byte) 0xAF}), true);
        expectClose(text, 1007);
    }

    @Test
    void withoutAnOfferRsv1StaysForbidden() throws Exception {
        try (var ws = RawWebSocket.connect(SERVER.address(), "/")) {
            assertEquals(null, ws.response.headers().get("sec-websocket-extensions"));
            ws.frame(true, RSV1, FrameReader.TEXT, compress("x".getBytes()), true);
            RawWebSocket.Frame close = ws.read();
            assertEquals(1002, close.closeCode());
        }
    }
}
