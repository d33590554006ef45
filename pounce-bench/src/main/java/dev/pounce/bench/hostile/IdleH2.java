package dev.pounce.bench.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * HTTP/2 over cleartext with prior knowledge (RFC 9113 section 3.3) for {@link IdleConnections}, written by hand
 * because it needs so little: the preface, an empty SETTINGS, one HEADERS frame per request ({@code GET /}, odd
 * stream ids 1, 3, ...), and answers to the server's SETTINGS and PING. The request's header block uses only the
 * HPACK static table and literals without indexing (RFC 7541 section 6.2.2), so no dynamic table state is kept; a
 * response counts as 200 when its header block starts with the static entry {@code :status: 200} (0x88), which is
 * how every HPACK encoder writes it.
 */
record IdleH2(String authority) implements IdleProtocol {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int FLAG_ACK = 0x1;
    private static final int FLAG_END_STREAM = 0x1;
    private static final int FLAG_END_HEADERS = 0x4;
    private static final int FLAG_PADDED = 0x8;
    private static final int FLAG_PRIORITY = 0x20;
    private static final int HEADER = 9;

    /** The stream of the request in flight and what its response has shown so far. */
    private static final class StreamState implements State {
        int stream = -1;
        boolean open;
        boolean ok;
    }

    @Override
    public State newState() {
        return new StreamState();
    }

    @Override
    public ByteBuffer opening(State state) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(PREFACE);
        out.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
        out.writeBytes(request(state).array());
        return ByteBuffer.wrap(out.toByteArray());
    }

    @Override
    public ByteBuffer request(State state) {
        var s = (StreamState) state;
        s.stream = s.stream < 0 ? 1 : s.stream + 2;
        s.ok = false;
        s.open = true;
        byte[] host = authority.getBytes(StandardCharsets.US_ASCII);
        var block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET (static index 2)
        block.write(0x86); // :scheme http (6)
        block.write(0x84); // :path / (4)
        block.write(0x01); // :authority (1), literal value without indexing
        block.write(host.length); // no Huffman; an authority is far shorter than 127
        block.writeBytes(host);
        return ByteBuffer.wrap(frame(HEADERS, FLAG_END_STREAM | FLAG_END_HEADERS, s.stream, block.toByteArray()));
    }

    @Override
    public Progress consume(State state, ByteBuffer in, Consumer<ByteBuffer> reply) {
        var s = (StreamState) state;
        while (in.remaining() >= HEADER) {
            int p = in.position();
            int length = (in.get(p) & 0xff) << 16 | (in.get(p + 1) & 0xff) << 8 | in.get(p + 2) & 0xff;
            if (in.remaining() < HEADER + length) {
                return Progress.MORE;
            }
            int type = in.get(p + 3) & 0xff;
            int flags = in.get(p + 4) & 0xff;
            int stream = in.getInt(p + 5) & 0x7fffffff;
            int payload = p + HEADER;
            in.position(payload + length);
            boolean ours = s.open && stream == s.stream;
            switch (type) {
                case HEADERS -> {
                    if (ours) {
                        int at = payload + ((flags & FLAG_PADDED) != 0 ? 1 : 0) + ((flags & FLAG_PRIORITY) != 0 ? 5 : 0);
                        s.ok |= at < payload + length && (in.get(at) & 0xff) == 0x88;
                        if ((flags & FLAG_END_STREAM) != 0) {
                            return finish(s);
                        }
                    }
                }
                case DATA -> {
                    if (ours && (flags & FLAG_END_STREAM) != 0) {
                        return finish(s);
                    }
                }
                case RST_STREAM -> {
                    if (ours) {
                        s.ok = false;
                        return finish(s);
                    }
                }
                case SETTINGS -> {
                    if ((flags & FLAG_ACK) == 0) {
                        reply.accept(ByteBuffer.wrap(frame(SETTINGS, FLAG_ACK, 0, new byte[0])));
                    }
                }
                case PING -> {
                    if ((flags & FLAG_ACK) == 0) {
                        byte[] opaque = new byte[length];
                        in.get(payload, opaque);
                        reply.accept(ByteBuffer.wrap(frame(PING, FLAG_ACK, 0, opaque)));
                    }
                }
                case GOAWAY -> {
                    return Progress.GOING_AWAY;
                }
                default -> {
                    // WINDOW_UPDATE, PRIORITY and unknown types need nothing from a client that sends no body
                }
            }
        }
        return Progress.MORE;
    }

    private static Progress finish(StreamState s) {
        boolean ok = s.ok;
        s.ok = false;
        s.open = false;
        return ok ? Progress.DONE_OK : Progress.DONE_BAD;
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        var f = ByteBuffer.allocate(HEADER + payload.length);
        f.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        f.put((byte) type).put((byte) flags).putInt(stream & 0x7fffffff).put(payload);
        return f.array();
    }
}
