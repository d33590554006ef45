package dev.pounce.ws;

import io.netty.buffer.ByteBuf;

/**
 * Reads client frames (RFC 6455 section 5.2) from the bytes a tunnel delivers, and checks what the frame layer
 * alone can: the mask (section 5.1), the reserved bits RSV2 and RSV3, the opcodes, control frames that are
 * fragmented or longer than 125 bytes (section 5.5), a 64-bit length with its high bit set, and the frame size
 * limit. Each check fails on the first bytes that show the fault, before the rest of the frame arrives.
 *
 * <p>Data payloads are streamed to the {@link Handler} as they arrive, unmasked in place, so a text message can
 * fail on its first bad byte (section 8.1) and a large frame is never held whole here; control frames, at most 125
 * bytes, are handed over whole. The meaning of RSV1 (permessage-deflate) and the order of fragments belong to the
 * handler. One reader per session, on its event loop.
 */
final class FrameReader {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    private static final int RSV2_3 = 0x30;
    private static final int MASKED = 0x80;

    /** What the reader finds. Each method returns false to stop reading: a violation, or the session pausing. */
    interface Handler {
        /** A data frame's header: text, binary or continuation. */
        boolean dataFrame(int opcode, boolean fin, boolean rsv1, long length);

        /** Unmasked payload bytes of the current data frame, valid only during the call. */
        boolean payload(ByteBuf buf, int index, int length);

        /** The current data frame is complete. */
        boolean frameEnd(boolean fin);

        /** A whole control frame, its payload unmasked; valid only during the call. */
        boolean control(int opcode, ByteBuf payload);

        /** The frame breaks the protocol; reading stops. */
        void violation(int code, String reason);
    }

    private final long maxFrame;

    // The data frame whose payload is being read.
    private boolean inPayload;
    private boolean fin;
    private long remaining;
    private long offset;
    private int mask;

    /** @param maxFrame the largest payload accepted in one frame, in bytes */
    FrameReader(long maxFrame) {
        this.maxFrame = maxFrame;
    }

    /**
     * Reads frames from {@code in} until it runs short or the handler stops; what is read is skipped, a partial
     * header or control frame is left for the next call.
     *
     * @param in      the bytes received and not yet read; payload bytes are unmasked in place
     * @param handler who hears the frames
     * @return false if the handler stopped the reading
     */
    boolean read(ByteBuf in, Handler handler) {
        while (true) {
            if (!inPayload) {
                int header = header(in, handler);
                if (header <= 0) {
                    return header == 0;
                }
                int at = in.readerIndex();
                int b0 = in.getUnsignedByte(at);
                int opcode = b0 & 0x0F;
                long length = length(in, at);
                mask = in.getInt(at + header - 4);
                if (opcode >= CLOSE) {
                    if (in.readableBytes() < header + length) {
                        return true; // a control frame is handed over whole; at most 125 bytes wait
                    }
                    in.skipBytes(header);
                    ByteBuf payload = in.readSlice((int) length);
                    unmask(payload, payload.readerIndex(), payload.readableBytes(), 0);
                    if (!handler.control(opcode, payload)) {
                        return false;
                    }
                    continue;
                }
                in.skipBytes(header);
                inPayload = true;
                fin = (b0 & FIN) != 0;
                remaining = length;
                offset = 0;
                if (!handler.dataFrame(opcode, fin, (b0 & RSV1) != 0, length)) {
                    return false;
                }
            }
            if (remaining > 0) {
                int n = (int) Math.min(remaining, in.readableBytes());
                if (n == 0) {
                    return true;
                }
                int at = in.readerIndex();
                unmask(in, at, n, offset);
                in.skipBytes(n);
                remaining -= n;
                offset += n;
                if (!handler.payload(in, at, n)) {
                    return false;
                }
                if (remaining > 0) {
                    return true;
                }
            }
            inPayload = false;
            if (!handler.frameEnd(fin)) {
                return false;
            }
        }
    }

    /**
     * Checks a frame's header as far as it has arrived.
     *
     * @return its length once whole and valid; 0 if more bytes are needed; -1 after a violation
     */
    private int header(ByteBuf in, Handler handler) {
        if (in.readableBytes() < 2) {
            return 0;
        }
        int at = in.readerIndex();
        int b0 = in.getUnsignedByte(at);
        int b1 = in.getUnsignedByte(at + 1);
        int opcode = b0 & 0x0F;
        int len7 = b1 & 0x7F;
        boolean control = opcode >= CLOSE;
        String fault = null;
        int code = 1002;
        if ((b0 & RSV2_3) != 0) {
            fault = "reserved bits RSV2 or RSV3 set without an extension that defines them";
        } else if (opcode > BINARY && opcode < CLOSE || opcode > PONG) {
            fault = "reserved opcode " + opcode;
        } else if ((b1 & MASKED) == 0) {
            fault = "a client frame must be masked"; // section 5.1
        } else if (control && (b0 & FIN) == 0) {
            fault = "fragmented control frame";
        } else if (control && len7 > 125) {
            fault = "control frame longer than 125 bytes";
        } else if (control && (b0 & RSV1) != 0) {
            fault = "RSV1 set on a control frame"; // RFC 7692 section 6.1: control frames are never compressed
        }
        int header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
        if (fault == null && in.readableBytes() >= header) {
            long length = length(in, at);
            if (length < 0) {
                fault = "frame length with its most significant bit set";
            } else if (length > maxFrame) {
                code = 1009;
                fault = "frame of " + length + " bytes, over the limit of " + maxFrame;
            }
        }
        if (fault != null) {
            handler.violation(code, fault);
            return -1;
        }
        return in.readableBytes() >= header ? header : 0;
    }

    private static long length(ByteBuf in, int at) {
        int len7 = in.getUnsignedByte(at + 1) & 0x7F;
        return switch (len7) {
            case 126 -> in.getUnsignedShort(at + 2);
            case 127 -> in.getLong(at + 2);
            default -> len7;
        };
    }

    /** XORs the masking key over payload bytes, eight at a time; {@code offset} is their place in the payload. */
    private void unmask(ByteBuf buf, int index, int length, long offset) {
        int key = Integer.rotateLeft(mask, 8 * (int) (offset & 3));
        long wide = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
        int i = index;
        int end = index + length;
        for (; i + 8 <= end; i += 8) {
            buf.setLong(i, buf.getLong(i) ^ wide);
        }
        for (int k = 0; i < end; i++, k++) {
            buf.setByte(i, buf.getByte(i) ^ (key >>> (24 - 8 * (k & 3))));
        }
    }
}
