package dev.pounce.h1;

import io.netty.buffer.ByteBuf;

import static dev.pounce.h1.ByteClasses.CR;
import static dev.pounce.h1.ByteClasses.HTAB;
import static dev.pounce.h1.ByteClasses.LF;
import static dev.pounce.h1.ByteClasses.SP;

/**
 * Decodes one chunked request body (RFC 9112 section 7.1) from the connection's buffer, handing out the data as
 * slices of it. Chunk extensions are allowed but bounded; trailer fields are read, bounded and dropped (the
 * bridge has no way to give request trailers to the app). Used on the event loop; one per chunked request.
 */
final class ChunkedDecoder {

    /** A chunk-size line with its extensions may not be longer than this. */
    static final int MAX_CHUNK_LINE = 4096;

    /** 16 hex digits hold 2^64 - 1; more is never a real size. */
    private static final int MAX_SIZE_DIGITS = 16;

    private enum State { SIZE, DATA, DATA_END, TRAILER, DONE }

    private final long maxBodySize;
    private final int maxTrailerSize;
    private State state = State.SIZE;
    private long remaining;
    private long total;
    private int trailerBytes;

    /**
     * @param maxBodySize    the most body bytes allowed, 0 for no limit
     * @param maxTrailerSize the most trailer bytes allowed (the header block limit)
     */
    ChunkedDecoder(long maxBodySize, int maxTrailerSize) {
        this.maxBodySize = maxBodySize;
        this.maxTrailerSize = maxTrailerSize;
    }

    /** @return whether the last chunk and the trailer section have been read */
    boolean done() {
        return state == State.DONE;
    }

    /**
     * Reads framing from {@code in} until it finds data, needs more bytes or reaches the end of the body.
     *
     * @param in the received bytes; its reader index moves past what was decoded
     * @return the next piece of data, which the caller owns, or null if more bytes are needed or the body is done
     * @throws RequestRejected 400 on malformed framing, 413 when the body grows past its limit
     */
    ByteBuf next(ByteBuf in) throws RequestRejected {
        while (true) {
            switch (state) {
                case SIZE -> {
                    if (!sizeLine(in)) {
                        return null;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (n == 0) {
                        return null;
                    }
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_END;
                    }
                    return in.readRetainedSlice(n);
                }
                case DATA_END -> {
                    int readable = in.readableBytes();
                    if (readable > 0 && in.getByte(in.readerIndex()) != CR
                            || readable > 1 && in.getByte(in.readerIndex() + 1) != LF) {
                        throw new RequestRejected(400, "missing CRLF after chunk data");
                    }
                    if (readable < 2) {
                        return null;
                    }
                    in.skipBytes(2);
                    state = State.SIZE;
                }
                case TRAILER -> {
                    if (!trailerLine(in)) {
                        return null;
                    }
                }
                case DONE -> {
                    return null;
                }
            }
        }
    }

    // chunk = chunk-size [ chunk-ext ] CRLF; chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] )
    private boolean sizeLine(ByteBuf in) throws RequestRejected {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), LF);
        if (lf < 0) {
            if (in.readableBytes() > MAX_CHUNK_LINE) {
                throw new RequestRejected(400, "chunk extension too long");
            }
            return false;
        }
        if (lf - start > MAX_CHUNK_LINE) {
            throw new RequestRejected(400, "chunk extension too long");
        }
        if (lf == start || in.getByte(lf - 1) != CR) {
            throw new RequestRejected(400, "bare LF in chunked body");
        }
        int end = lf - 1;
        long size = 0;
        int i = start;
        while (i < end) {
            int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0) {
                break;
            }
            if (i - start == MAX_SIZE_DIGITS) {
                throw new RequestRejected(400, "chunk size too long");
            }
            size = size << 4 | digit;
            i++;
        }
        if (i == start) {
            throw new RequestRejected(400, "malformed chunk size");
        }
        if (size < 0) {
            throw new RequestRejected(400, "chunk size overflow");
        }
        if (i < end) {
            extension(in, i, end);
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            state = State.TRAILER;
            return true;
        }
        total += size;
        if (total < 0 || maxBodySize > 0 && total > maxBodySize) {
            throw new RequestRejected(413, "request body too large");
        }
        remaining = size;
        state = State.DATA;
        return true;
    }

    private static void extension(ByteBuf in, int from, int end) throws RequestRejected {
        int i = from;
        while (i < end && (in.getByte(i) == SP || in.getByte(i) == HTAB)) {
            i++;
        }
        if (i == end || in.getByte(i) != ';') {
            throw new RequestRejected(400, "malformed chunk size");
        }
        int bad = in.forEachByte(i, end - i, ByteClasses.NOT_FIELD_CONTENT);
        if (bad >= 0) {
            throw new RequestRejected(400, in.getByte(bad) == CR ? "bare CR in chunked body"
                    : "control character in chunk extension");
        }
    }

    // trailer-section = *( field-line CRLF ), then CRLF (RFC 9112 section 7.1.2). Read, bounded, dropped.
    private boolean trailerLine(ByteBuf in) throws RequestRejected {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), LF);
        if (lf < 0) {
            if (trailerBytes + in.readableBytes() > maxTrailerSize + 2) {
                throw new RequestRejected(400, "trailer section too large");
            }
            return false;
        }
        if (lf == start || in.getByte(lf - 1) != CR) {
            throw new RequestRejected(400, "bare LF in chunked body");
        }
        int end = lf - 1;
        in.readerIndex(lf + 1);
        if (end == start) {
            state = State.DONE;
            return true;
        }
        trailerBytes += end - start + 2;
        if (trailerBytes > maxTrailerSize) {
            throw new RequestRejected(400, "trailer section too large");
        }
        int colon = in.forEachByte(start, end - start, ByteClasses.NOT_TCHAR);
        if (colon <= start || in.getByte(colon) != ':') {
            throw new RequestRejected(400, "malformed trailer field");
        }
        if (colon + 1 < end && in.forEachByte(colon + 1, end - colon - 1, ByteClasses.NOT_FIELD_CONTENT) >= 0) {
            throw new RequestRejected(400, "control character in trailer field");
        }
        return true;
    }
}
