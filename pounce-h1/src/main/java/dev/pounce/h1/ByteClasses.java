package dev.pounce.h1;

import dev.pounce.api.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * The byte classes of RFC 9110 and RFC 9112 as lookup tables and {@link ByteProcessor}s, so the parser scans a
 * {@link ByteBuf} with {@code forEachByte} (no bounds check per byte) and stops at the first byte out of class.
 */
final class ByteClasses {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            TCHAR[c] = Headers.isTokenChar(c);
        }
    }

    /** Stops at the first byte that is not a tchar (RFC 9110 section 5.6.2). */
    static final ByteProcessor NOT_TCHAR = b -> TCHAR[b & 0xff];

    /**
     * Stops at the first byte that may not appear in a request-target: anything but visible ASCII (RFC 9112 section
     * 3.2 builds every form from VCHARs), so a space ends the target and a control byte or a byte above 0x7e is
     * found.
     */
    static final ByteProcessor NOT_VCHAR = b -> b >= 0x21 && b <= 0x7e;

    /**
     * Stops at the first byte that may not appear in a field value: field-vchar, SP, HTAB and obs-text are allowed
     * (RFC 9110 section 5.5); NUL, CR, LF, other controls and DEL are not. Bytes are signed, so obs-text is negative.
     */
    static final ByteProcessor NOT_FIELD_CONTENT = b -> b < 0 || b >= 0x20 && b != 0x7f || b == HTAB;

    /** Stops at the first byte that is not optional whitespace (RFC 9110 section 5.6.3). */
    static final ByteProcessor NOT_OWS = b -> b == SP || b == HTAB;

    private ByteClasses() {
    }

    /**
     * @param c a byte value, 0 to 255
     * @return whether it is a tchar
     */
    static boolean isTchar(int c) {
        return TCHAR[c & 0xff];
    }

    /**
     * Whether {@code length} bytes at {@code index} equal the ASCII text {@code expected}, case-sensitively.
     */
    static boolean equalsAscii(ByteBuf buf, int index, int length, String expected) {
        if (length != expected.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(index + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code length} bytes at {@code index} equal the lower-case ASCII text {@code lower}, ignoring case.
     */
    static boolean equalsIgnoreCaseAscii(ByteBuf buf, int index, int length, String lower) {
        if (length != lower.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (toLower(buf.getByte(index + i)) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param b a byte
     * @return its ASCII lower case, other bytes unchanged
     */
    static int toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b & 0xff;
    }
}
