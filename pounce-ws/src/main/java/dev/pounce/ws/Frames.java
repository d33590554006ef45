package dev.pounce.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;

/**
 * Writes server frames (RFC 6455 section 5.2): never masked, each message in one frame (FIN set), RSV1 on a
 * compressed message (RFC 7692 section 6). Stateless.
 */
final class Frames {

    /** Binary payloads up to this size are copied behind their header, larger ones are sent as a second buffer. */
    private static final int COPY_LIMIT = 8 * 1024;
    /** A close reason is at most 123 bytes: the body of a control frame is at most 125 (section 5.5). */
    static final int MAX_REASON = 123;

    private Frames() {
    }

    /** @return the header's length for a payload of this many bytes */
    static int headerLength(long payload) {
        return payload <= 125 ? 2 : payload <= 0xFFFF ? 4 : 10;
    }

    /** Writes a final frame's header at {@code at}; the buffer must have room. */
    static void header(ByteBuf out, int at, int opcode, boolean rsv1, long length) {
        out.setByte(at, 0x80 | (rsv1 ? 0x40 : 0) | opcode);
        if (length <= 125) {
            out.setByte(at + 1, (int) length);
        } else if (length <= 0xFFFF) {
            out.setByte(at + 1, 126);
            out.setShort(at + 2, (int) length);
        } else {
            out.setByte(at + 1, 127);
            out.setLong(at + 2, length);
        }
    }

    /** @return a text frame, the text encoded as UTF-8 straight behind its header */
    static ByteBuf text(ByteBufAllocator alloc, String text) {
        int length = ByteBufUtil.utf8Bytes(text);
        int h = headerLength(length);
        ByteBuf out = alloc.buffer(h + length);
        header(out, 0, FrameReader.TEXT, false, length);
        out.writerIndex(h);
        ByteBufUtil.reserveAndWriteUtf8(out, text, length);
        return out;
    }

    /** @return a binary frame; the payload's ownership passes to it */
    static ByteBuf binary(ByteBufAllocator alloc, ByteBuf payload) {
        int length = payload.readableBytes();
        int h = headerLength(length);
        if (length <= COPY_LIMIT) {
            ByteBuf out = alloc.buffer(h + length);
            header(out, 0, FrameReader.BINARY, false, length);
            out.writerIndex(h).writeBytes(payload);
            payload.release();
            return out;
        }
        ByteBuf head = alloc.buffer(h);
        header(head, 0, FrameReader.BINARY, false, length);
        head.writerIndex(h);
        return alloc.compositeBuffer(2).addComponents(true, head, payload);
    }

    /**
     * Puts the header of a compressed message in front of it.
     *
     * @param compressed from {@link MessageDeflater#compress}, with {@link MessageDeflater#HEADROOM} bytes of room
     * @param opcode     text or binary
     * @return the frame, the same buffer
     */
    static ByteBuf compressed(ByteBuf compressed, int opcode) {
        int length = compressed.writerIndex() - MessageDeflater.HEADROOM;
        int h = headerLength(length);
        int at = MessageDeflater.HEADROOM - h;
        header(compressed, at, opcode, true, length);
        return compressed.readerIndex(at);
    }

    /** @return a ping or pong with this payload, at most 125 bytes, which is not released */
    static ByteBuf control(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
        int length = payload.readableBytes();
        ByteBuf out = alloc.buffer(2 + length);
        header(out, 0, opcode, false, length);
        return out.writerIndex(2).writeBytes(payload, payload.readerIndex(), length);
    }

    /**
     * @param code   the close code, or {@link CloseHandshake#NO_CODE} for an empty body
     * @param reason the reason, cut to {@link #MAX_REASON} bytes on a character boundary
     * @return a close frame
     */
    static ByteBuf close(ByteBufAllocator alloc, int code, String reason) {
        if (code == CloseHandshake.NO_CODE) {
            ByteBuf out = alloc.buffer(2);
            header(out, 0, FrameReader.CLOSE, false, 0);
            return out.writerIndex(2);
        }
        byte[] text = truncate(reason);
        ByteBuf out = alloc.buffer(4 + text.length);
        header(out, 0, FrameReader.CLOSE, false, 2 + text.length);
        return out.writerIndex(2).writeShort(code).writeBytes(text);
    }

    private static byte[] truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON) {
            return bytes;
        }
        int end = MAX_REASON;
        while ((bytes[end] & 0xC0) == 0x80) {
            end--; // never cut inside a character
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
