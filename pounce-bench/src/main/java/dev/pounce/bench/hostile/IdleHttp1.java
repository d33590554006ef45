package dev.pounce.bench.hostile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/** HTTP/1.1 for {@link IdleConnections}: {@code GET /} on a keep-alive connection, framed by content-length. */
record IdleHttp1(String authority) implements IdleProtocol {

    private static final class NoState implements State {
    }

    private static final State STATE = new NoState();
    private static final int MAX_HEAD = 16 * 1024;

    @Override
    public State newState() {
        return STATE;
    }

    @Override
    public ByteBuffer opening(State state) {
        return request(state);
    }

    @Override
    public ByteBuffer request(State state) {
        return ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Progress consume(State state, ByteBuffer in, Consumer<ByteBuffer> reply) {
        int start = in.position();
        int headEnd = headEnd(in);
        if (headEnd < 0) {
            if (in.remaining() > MAX_HEAD) {
                in.position(in.limit());
                return Progress.DONE_BAD;
            }
            return Progress.MORE;
        }
        String head = new String(in.array(), in.arrayOffset() + start, headEnd - start, StandardCharsets.ISO_8859_1);
        int status = head.length() >= 12 && head.startsWith("HTTP/1.") ? parse(head.substring(9, 12)) : -1;
        long length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = parse(line.substring(15).trim());
            }
        }
        if (length < 0 || in.limit() - headEnd < length) {
            return length < 0 ? Progress.DONE_BAD : Progress.MORE;
        }
        in.position(headEnd + (int) length);
        return status == 200 ? Progress.DONE_OK : Progress.DONE_BAD;
    }

    // The index just past the blank line that ends the head, or -1.
    private static int headEnd(ByteBuffer in) {
        for (int i = in.position(); i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static int parse(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
