package dev.pounce.h2;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A raw HTTP/2 client for frame-level tests: builds frames by hand (HPACK literals without indexing or Huffman,
 * RFC 7541 section 6.2.2), writes them, and reads frames back. Of the server's header blocks it decodes only the
 * {@code :status}, with Netty's HPACK decoder fed every block in order, as the dynamic table needs.
 */
final class FrameClient implements AutoCloseable {

    static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8,
            CONTINUATION = 9;
    static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;
    static final int NO_ERROR = 0, PROTOCOL_ERROR = 1, FLOW_CONTROL_ERROR = 3, STREAM_CLOSED = 5, REFUSED_STREAM = 7,
            CANCEL = 8, ENHANCE_YOUR_CALM = 11;

    /** One frame; {@code status} is the {@code :status} of a HEADERS frame, empty for other frames. */
    record Frame(int type, int flags, int stream, byte[] payload, String status) {
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return (payload[at] & 0xff) << 24 | (payload[at + 1] & 0xff) << 16 | (payload[at + 2] & 0xff) << 8
                    | payload[at + 3] & 0xff;
        }

        /** For HEADERS frames we sent literal-only blocks for; the server's use indexing, so only :status 200 etc. */
        @Override
        public String toString() {
            return "Frame[type=" + type + ", flags=" + flags + ", stream=" + stream + ", length=" + payload.length
                    + (type == GOAWAY || type == RST_STREAM ? ", error=" + errorCode() : "")
                    + (status.isEmpty() ? "" : ", status=" + status) + "]";
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);

    private FrameClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and sends the preface and an empty SETTINGS frame. */
    static FrameClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Connects with a small receive buffer when {@code receiveBuffer} is above 0, for clients that never read. */
    static FrameClient connect(int port, int receiveBuffer) throws IOException {
        var socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        var client = new FrameClient(socket);
        client.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        client.write(frame(SETTINGS, 0, 0, new byte[0]));
        return client;
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24 & 0x7f);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    /** A header block of literal fields: name, value, name, value... */
    static byte[] block(String... fields) {
        var b = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            b.write(0);
            string(b, fields[i]);
            string(b, fields[i + 1]);
        }
        return b.toByteArray();
    }

    static byte[] request(String method, String path, String... more) {
        List<String> all = new ArrayList<>(List.of(":method", method, ":scheme", "http", ":path", path,
                ":authority", "localhost"));
        all.addAll(List.of(more));
        return block(all.toArray(String[]::new));
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(b, bytes.length, 7, 0);
        b.writeBytes(bytes);
    }

    // RFC 7541 section 5.1.
    private static void integer(ByteArrayOutputStream b, int value, int prefixBits, int flags) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            b.write(flags | value);
            return;
        }
        b.write(flags | max);
        value -= max;
        while (value >= 128) {
            b.write(value % 128 + 128);
            value /= 128;
        }
        b.write(value);
    }

    static byte[] rst(int code) {
        return new byte[]{(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void headers(int stream, byte[] block, boolean endStream) throws IOException {
        write(frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block));
    }

    void data(int stream, byte[] payload, boolean endStream) throws IOException {
        write(frame(DATA, endStream ? END_STREAM : 0, stream, payload));
    }

    /** Reads one frame; empty at end of stream or on a reset connection. */
    Optional<Frame> read() throws IOException {
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (type == SETTINGS && (flags & ACK) == 0) {
                write(frame(SETTINGS, ACK, 0, new byte[0]));
            }
            return Optional.of(new Frame(type, flags, stream, payload, type == HEADERS ? status(stream, payload) : ""));
        } catch (EOFException | java.net.SocketException e) {
            return Optional.empty();
        }
    }

    /** Reads until a frame matches, the connection ends (empty), or the read times out (an exception). */
    Optional<Frame> readUntil(Predicate<Frame> wanted) throws IOException {
        while (true) {
            Optional<Frame> f = read();
            if (f.isEmpty() || wanted.test(f.get())) {
                return f;
            }
        }
    }

    /** Every frame until {@code millis} pass without one, or the connection ends. */
    List<Frame> drain(int millis) throws IOException {
        List<Frame> frames = new ArrayList<>();
        socket.setSoTimeout(millis);
        try {
            while (true) {
                Optional<Frame> f = read();
                if (f.isEmpty()) {
                    return frames;
                }
                frames.add(f.get());
            }
        } catch (SocketTimeoutException e) {
            return frames;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    // The server sends its header blocks unpadded, without priority, and small enough for one frame.
    private String status(int stream, byte[] block) throws IOException {
        try {
            CharSequence status = hpack.decodeHeaders(stream, Unpooled.wrappedBuffer(block)).status();
            return status == null ? "" : status.toString();
        } catch (Http2Exception e) {
            throw new IOException("undecodable header block on stream " + stream, e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
