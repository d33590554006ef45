package dev.pounce.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses the server's messages for permessage-deflate (RFC 7692 section 7.2.1): DEFLATE ending in a sync flush
 * whose last four bytes ({@code 00 00 ff ff}) are removed. With context takeover the session owns one compressor,
 * made at its first compressed message; without, one is borrowed from {@link ZlibPool} per message. A window below
 * 15 bits is honoured by compressing in pieces of at most 2^bits bytes, each ended by a full flush, which empties
 * the history: no back-reference reaches further than the window. Called under the session's send lock.
 */
final class MessageDeflater {

    /** Room kept in front of the compressed bytes for the longest server frame header. */
    static final int HEADROOM = 10;

    private final boolean keepContext;
    private final int piece;
    private Deflater own;
    private boolean ended;

    /**
     * @param windowBits  the window agreed for the server, 8 to 15
     * @param keepContext whether the context is kept between messages (only with a 15-bit window)
     */
    MessageDeflater(int windowBits, boolean keepContext) {
        this.keepContext = keepContext && windowBits == 15;
        this.piece = windowBits == 15 ? Integer.MAX_VALUE : 1 << windowBits;
    }

    /**
     * @param alloc where the output buffer comes from
     * @param input the message; read whole
     * @return the compressed message after {@link #HEADROOM} bytes of room, the reader index at the room's start
     */
    ByteBuf compress(ByteBufAllocator alloc, ByteBuffer input) {
        Deflater deflater = keepContext ? own() : ZlibPool.deflater();
        ByteBuf out = alloc.buffer(HEADROOM + Math.max(64, input.remaining() / 2 + 16));
        out.writerIndex(HEADROOM);
        try {
            int flush = keepContext || piece == Integer.MAX_VALUE ? Deflater.SYNC_FLUSH : Deflater.FULL_FLUSH;
            do {
                ByteBuffer part = input.slice(input.position(), Math.min(piece, input.remaining()));
                input.position(input.position() + part.remaining());
                deflater.setInput(part);
                drain(deflater, out, flush);
            } while (input.hasRemaining());
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            if (!keepContext) {
                ZlibPool.release(deflater);
            }
        }
        // Section 7.2.1: remove the empty block's 4-octet tail that the flush ended with.
        out.writerIndex(out.writerIndex() - 4);
        return out;
    }

    private static void drain(Deflater deflater, ByteBuf out, int flush) {
        while (true) {
            out.ensureWritable(Math.max(64, out.writableBytes()));
            int room = out.writableBytes();
            int n = deflater.deflate(out.nioBuffer(out.writerIndex(), room), flush);
            out.writerIndex(out.writerIndex() + n);
            // A flush that filled the room may have more to give.
            if (n < room && deflater.needsInput()) {
                return;
            }
        }
    }

    private Deflater own() {
        if (ended) {
            throw new IllegalStateException("the session's compressor was released");
        }
        if (own == null) {
            own = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        return own;
    }

    /** Frees the session's own compressor, if it made one; later messages fail. */
    void end() {
        ended = true;
        if (own != null) {
            own.end();
            own = null;
        }
    }
}
