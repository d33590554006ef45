package dev.pounce.ws;

import io.netty.buffer.ByteBuf;

/**
 * Checks UTF-8 as it arrives, byte by byte across frames and reads, so a text message fails on the first byte that
 * makes it invalid (RFC 6455 section 8.1, "fail fast") rather than when it is complete. The rules are RFC 3629's:
 * no overlong forms, no surrogates (U+D800 to U+DFFF), nothing above U+10FFFF. Not thread-safe; one per message
 * direction.
 */
final class Utf8Validator {

    private static final long ASCII_MASK = 0x8080808080808080L;

    /** Continuation bytes still expected; 0 between characters. */
    private int need;
    /** The range the next continuation byte must fall in (the first one is narrower for some lead bytes). */
    private int low = 0x80;
    private int high = 0xBF;

    /**
     * Takes more bytes of the message.
     *
     * @param buf   the bytes
     * @param index where they start
     * @param end   where they stop, exclusive
     * @return false as soon as the bytes so far cannot be UTF-8
     */
    boolean update(ByteBuf buf, int index, int end) {
        int i = index;
        while (i < end) {
            if (need == 0) {
                // Mostly ASCII: eight bytes at a time while no high bit is set.
                while (i + 8 <= end && (buf.getLong(i) & ASCII_MASK) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            if (!next(buf.getByte(i) & 0xFF)) {
                return false;
            }
            i++;
        }
        return true;
    }

    /** @return whether the bytes taken end on a character boundary: the message is complete UTF-8 */
    boolean complete() {
        return need == 0;
    }

    /** Starts a new message. */
    void reset() {
        need = 0;
        low = 0x80;
        high = 0xBF;
    }

    private boolean next(int b) {
        if (need > 0) {
            if (b < low || b > high) {
                return false;
            }
            need--;
            low = 0x80;
            high = 0xBF;
            return true;
        }
        if (b < 0x80) {
            return true;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
        } else if (b == 0xE0) {
            need = 2;
            low = 0xA0; // no overlong three-byte forms
        } else if (b == 0xED) {
            need = 2;
            high = 0x9F; // no surrogates
        } else if (b >= 0xE1 && b <= 0xEF) {
            need = 2;
        } else if (b == 0xF0) {
            need = 3;
            low = 0x90; // no overlong four-byte forms
        } else if (b >= 0xF1 && b <= 0xF3) {
            need = 3;
        } else if (b == 0xF4) {
            need = 3;
            high = 0x8F; // nothing above U+10FFFF
        } else {
            return false; // 0x80-0xC1 (continuation or overlong lead) and 0xF5-0xFF
        }
        return true;
    }
}
