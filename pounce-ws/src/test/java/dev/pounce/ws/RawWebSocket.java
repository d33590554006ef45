package dev.pounce.ws;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client at the frame level, for tests that send what no real client would: unmasked frames, reserved
 * bits, bad close codes, fragments with control frames between them. Blocking, one thread.
 */
final class RawWebSocket implements AutoCloseable {

    /** A frame as received. */
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? CloseHandshake.NO_CODE : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }
    }

    /** The handshake response: status line and fields (names lower-cased), and the body if it was not 101. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final Response response;
    /** The query string the session was opened with, which names it in {@link EchoApp#disconnect}. */
    final String query;
    private static final java.util.concurrent.atomic.AtomicLong SESSIONS = new java.util.concurrent.atomic.AtomicLong();

    private RawWebSocket(Socket socket, Response response, String query) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.response = response;
        this.query = query;
    }

    /**
     * Opens a connection and sends a handshake for {@code path} with a query naming the session, and these extra
     * lines (each "Name: value").
     */
    static RawWebSocket connect(InetSocketAddress address, String path, String... extraLines) throws IOException {
        String query = "session=" + SESSIONS.incrementAndGet();
        var socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        var request = new StringBuilder("GET " + path + "?" + query + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\n");
        boolean customKey = false;
        boolean customVersion = false;
        for (String line : extraLines) {
            String lower = line.toLowerCase(Locale.ROOT);
            customKey |= lower.startsWith("sec-websocket-key");
            customVersion |= lower.startsWith("sec-websocket-version");
            request.append(line).append("\r\n");
        }
        if (!customKey) {
            request.append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
        }
        if (!customVersion) {
            request.append("Sec-WebSocket-Version: 13\r\n");
        }
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
        return new RawWebSocket(socket, readResponse(socket.getInputStream()), query);
    }

    private static Response readResponse(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        String body = "";
        if (code != 101 && headers.containsKey("content-length")) {
            body = new String(new DataInputStream(in).readNBytes(Integer.parseInt(headers.get("content-length"))),
                    StandardCharsets.UTF_8);
        }
        return new Response(code, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        var b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed in the response head");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends one frame: first byte flags and opcode as given, masked unless {@code masked} is false. */
    RawWebSocket frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) throws IOException {
        out.write(encode(fin, rsv, opcode, payload, masked));
        out.flush();
        return this;
    }

    /** Sends a masked, final frame. */
    RawWebSocket frame(int opcode, byte[] payload) throws IOException {
        return frame(true, 0, opcode, payload, true);
    }

    RawWebSocket text(String text) throws IOException {
        return frame(FrameReader.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame with this code and reason. */
    RawWebSocket close(int code, String reason) throws IOException {
        return frame(FrameReader.CLOSE, closePayload(code, reason));
    }

    /** @return a close frame's body: the code, then the reason in UTF-8 */
    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** Sends raw bytes. */
    RawWebSocket raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        var b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            b.write(mask | payload.length);
        } else if (payload.length <= 0xFFFF) {
            b.write(mask | 126);
            b.write(payload.length >> 8);
            b.write(payload.length);
        } else {
            b.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] key = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(key);
            b.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ key[i & 3]);
        }
        return b.toByteArray();
    }

    /** @return the next frame from the server; fails on end of stream or after the read timeout */
    Frame read() throws IOException {
        return read(in);
    }

    /** @return the next frame in {@code in}, which a server must not have masked */
    static Frame read(InputStream in) throws IOException {
        var data = new DataInputStream(in);
        int b0 = data.readUnsignedByte();
        int b1 = data.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server masked a frame");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = data.readUnsignedShort();
        } else if (length == 127) {
            length = data.readLong();
        }
        byte[] payload = data.readNBytes((int) length);
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, payload);
    }

    /** @return true once the server closed the connection (end of stream), false if it sent more bytes first */
    boolean awaitEnd() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // a reset is an end too
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
