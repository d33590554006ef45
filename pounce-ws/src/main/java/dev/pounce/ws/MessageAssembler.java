package dev.pounce.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns data frames into whole messages (RFC 6455 section 5.4): fragments in order, control frames passed on
 * between them, text checked as UTF-8 as it arrives, compressed messages inflated as they arrive
 * (RFC 7692 section 7.2.2), and the message size limit applied to what the app would get, so a small compressed
 * frame cannot inflate past it. One per session, on its event loop.
 */
final class MessageAssembler implements FrameReader.Handler {

    /** Where whole messages go. Each method returns false to stop reading. */
    interface Sink {
        /** A whole text message and its size in UTF-8 bytes. */
        boolean text(String text, int bytes);

        /** A whole binary message; ownership passes. */
        boolean binary(ByteBuf bytes);

        /** A whole control frame; see {@link FrameReader.Handler#control}. */
        boolean control(int opcode, ByteBuf payload);

        /** The client broke the protocol. */
        void violation(int code, String reason);
    }

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int INFLATE_CHUNK = 64 * 1024;

    private final Sink sink;
    private final long maxMessage;
    private final boolean deflateAgreed;
    private final boolean inflaterKept;
    private final Utf8Validator utf8 = new Utf8Validator();

    // The message in progress: opcode 0 when there is none.
    private int opcode;
    private boolean compressed;
    private long size;
    private ByteBuf body;
    private boolean frameFin;
    private long frameLength;
    private Inflater inflater;

    /**
     * @param sink          where messages go
     * @param maxMessage    the largest message, in bytes after inflation
     * @param deflateAgreed whether permessage-deflate was negotiated, which gives RSV1 its meaning
     * @param inflaterKept  whether the client keeps its compression context, so the decompressor lives as long as
     *                      the session; otherwise one is borrowed per message
     */
    MessageAssembler(Sink sink, long maxMessage, boolean deflateAgreed, boolean inflaterKept) {
        this.sink = sink;
        this.maxMessage = maxMessage;
        this.deflateAgreed = deflateAgreed;
        this.inflaterKept = inflaterKept;
    }

    @Override
    public boolean dataFrame(int op, boolean fin, boolean rsv1, long length) {
        if (op == FrameReader.CONTINUATION) {
            if (opcode == 0) {
                return fail(1002, "continuation frame with no message to continue");
            }
            if (rsv1) {
                return fail(1002, "RSV1 set on a continuation frame"); // RFC 7692 section 6.1
            }
        } else {
            if (opcode != 0) {
                return fail(1002, "a new message began before the fragmented one ended");
            }
            if (rsv1 && !deflateAgreed) {
                return fail(1002, "RSV1 set without permessage-deflate");
            }
            opcode = op;
            compressed = rsv1;
            size = 0;
            utf8.reset();
            if (compressed && inflater == null) {
                inflater = inflaterKept ? new Inflater(true) : ZlibPool.inflater();
            }
        }
        if (!compressed && size + length > maxMessage) {
            return tooBig();
        }
        frameFin = fin;
        frameLength = length;
        return true;
    }

    @Override
    public boolean payload(ByteBuf buf, int index, int length) {
        if (compressed) {
            return inflate(buf.alloc(), buf.nioBuffer(index, length));
        }
        if (opcode == FrameReader.TEXT && !utf8.update(buf, index, index + length)) {
            return invalidText();
        }
        if (body == null && frameFin && length == frameLength && !(buf instanceof CompositeByteBuf)) {
            // A whole message in one piece: no copy. Not from a composite, whose read components the session
            // discards after reading, under any slice of them.
            body = buf.retainedSlice(index, length);
        } else {
            if (body == null) {
                body = buf.alloc().buffer((int) Math.min(maxMessage, Math.max(256, frameLength)));
            }
            body.writeBytes(buf, index, length);
        }
        size += length;
        return true;
    }

    @Override
    public boolean frameEnd(boolean fin) {
        if (!fin) {
            return true;
        }
        if (compressed) {
            if (!inflate(body == null ? ByteBufAllocator.DEFAULT : body.alloc(), ByteBuffer.wrap(TAIL))) {
                return false;
            }
            if (!inflaterKept || inflater.finished()) {
                // A final block (BFINAL) ends the stream, and with it any context.
                releaseInflater();
            }
        }
        if (opcode == FrameReader.TEXT && !utf8.complete()) {
            return invalidText();
        }
        ByteBuf message = body == null ? Unpooled.EMPTY_BUFFER : body;
        body = null;
        int kind = opcode;
        opcode = 0;
        if (kind == FrameReader.TEXT) {
            String text = message.toString(StandardCharsets.UTF_8);
            int bytes = message.readableBytes();
            message.release();
            return sink.text(text, bytes);
        }
        return sink.binary(message);
    }

    @Override
    public boolean control(int op, ByteBuf payload) {
        return sink.control(op, payload);
    }

    @Override
    public void violation(int code, String reason) {
        sink.violation(code, reason);
    }

    private boolean inflate(ByteBufAllocator alloc, ByteBuffer input) {
        inflater.setInput(input);
        while (true) {
            if (body == null) {
                body = alloc.buffer((int) Math.min(maxMessage + 1, 4 * input.remaining() + 256));
            }
            // One byte past the limit is enough to know the message is too big.
            int room = (int) Math.min(maxMessage - size + 1, INFLATE_CHUNK);
            body.ensureWritable(room);
            int at = body.writerIndex();
            int n;
            try {
                n = inflater.inflate(body.nioBuffer(at, room));
            } catch (DataFormatException e) {
                return fail(1007, "invalid compressed data: " + e.getMessage());
            }
            if (n > 0) {
                body.writerIndex(at + n);
                size += n;
                if (size > maxMessage) {
                    return tooBig();
                }
                if (opcode == FrameReader.TEXT && !utf8.update(body, at, at + n)) {
                    return invalidText();
                }
            }
            if (inflater.finished() || inflater.needsDictionary() || n < room && inflater.needsInput()) {
                return true;
            }
        }
    }

    private boolean tooBig() {
        return fail(1009, "message over the limit of " + maxMessage + " bytes");
    }

    private boolean invalidText() {
        return fail(1007, "text message is not valid UTF-8");
    }

    private boolean fail(int code, String reason) {
        release();
        sink.violation(code, reason);
        return false;
    }

    private void releaseInflater() {
        if (inflater != null) {
            if (inflaterKept) {
                inflater.end();
            } else {
                ZlibPool.release(inflater);
            }
            inflater = null;
        }
    }

    /** Drops a message in progress and the decompressor; the session is over. */
    void release() {
        if (body != null) {
            body.release();
            body = null;
        }
        opcode = 0;
        releaseInflater();
    }
}
