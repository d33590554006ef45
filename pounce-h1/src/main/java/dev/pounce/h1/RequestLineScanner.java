package dev.pounce.h1;

import io.netty.buffer.ByteBuf;

import static dev.pounce.h1.ByteClasses.SP;

/**
 * Checks a request line, {@code method SP request-target SP HTTP-version} (RFC 9112 section 3), as its bytes arrive,
 * and finds the two spaces that split it. Input that cannot be HTTP is refused when the first byte that shows it is
 * read, not when a CRLF or the header timeout comes: a TLS ClientHello sent to a cleartext port, another binary
 * protocol, a control byte, a method longer than any real one. Each part is checked once, however slowly the line
 * trickles in.
 *
 * <p>One per {@link HeadParser}, used on the connection's event loop; offsets are from the line's start, which stays
 * put until the head is complete.
 */
final class RequestLineScanner {

    /** The longest method taken: registered methods are at most 17 bytes ({@code UPDATEREDIRECTREF}). */
    static final int MAX_METHOD = 32;

    /** What answers a TLS ClientHello, after nginx's answer to plain HTTP on a TLS port. */
    static final String TLS_ON_CLEARTEXT = "this port speaks plain HTTP, not TLS";

    private static final byte TLS_HANDSHAKE = 0x16;
    private static final byte TLS_MAJOR = 0x03;
    private static final int TLS_MAX_MINOR = 0x04;

    private enum Part { METHOD, TARGET, VERSION }

    private final boolean cleartext;
    private Part part;
    private int checked;
    private int methodEnd;
    private int targetEnd;

    /** @param cleartext whether the connection is cleartext, where a TLS handshake is named as such */
    RequestLineScanner(boolean cleartext) {
        this.cleartext = cleartext;
        reset();
    }

    /** Forgets the line; the next call starts a new one. */
    void reset() {
        part = Part.METHOD;
        checked = methodEnd = targetEnd = 0;
    }

    /**
     * Checks the bytes of the line from where the last call stopped to {@code end}.
     *
     * @param buf   the received bytes
     * @param start where the line starts
     * @param end   where its bytes so far end, a CR that may begin its CRLF left out
     * @throws RequestRejected 400 on the first byte that cannot be there
     */
    void scan(ByteBuf buf, int start, int end) throws RequestRejected {
        int i = start + checked;
        if (part == Part.METHOD && i < end) {
            int stop = buf.forEachByte(i, end - i, ByteClasses.NOT_TCHAR);
            if ((stop < 0 ? end : stop) - start > MAX_METHOD) {
                throw new RequestRejected(400, "method too long");
            }
            if (stop < 0) {
                checked = end - start;
                return;
            }
            if (stop == start || buf.getByte(stop) != SP) {
                throw new RequestRejected(400, notAMethod(buf, start, end, stop));
            }
            methodEnd = stop - start;
            part = Part.TARGET;
            i = stop + 1;
        }
        if (part == Part.TARGET && i < end) {
            int stop = buf.forEachByte(i, end - i, ByteClasses.NOT_VCHAR);
            if (stop < 0) {
                checked = end - start;
                return;
            }
            byte b = buf.getByte(stop);
            if (b != SP) {
                throw new RequestRejected(400, HeadParser.describe(b, "invalid byte in request target"));
            }
            if (stop == start + methodEnd + 1) {
                throw new RequestRejected(400, "extra space in request line");
            }
            targetEnd = stop - start;
            part = Part.VERSION;
            i = stop + 1;
        }
        if (part == Part.VERSION) {
            int versionStart = start + targetEnd + 1;
            for (; i < end; i++) {
                if (!fitsVersion(i - versionStart, buf.getByte(i))) {
                    throw new RequestRejected(400, "malformed HTTP version");
                }
            }
        }
        checked = end - start;
    }

    /**
     * The line ended: checks that it had its three parts.
     *
     * @throws RequestRejected 400 when a space is missing
     */
    void complete() throws RequestRejected {
        switch (part) {
            case METHOD -> throw new RequestRejected(400, "malformed request line");
            case TARGET -> throw new RequestRejected(400, "missing HTTP version");
            case VERSION -> { }
        }
    }

    /** @return the method's length, once {@link #complete()} passed */
    int methodEnd() {
        return methodEnd;
    }

    /** @return where the target ends, from the line's start, once {@link #complete()} passed */
    int targetEnd() {
        return targetEnd;
    }

    private String notAMethod(ByteBuf buf, int start, int end, int stop) {
        // A TLS record header: content type 22 (handshake), then the record's version 3.0 to 3.4 (RFC 8446 5.1).
        if (cleartext && stop == start && end - start >= 3 && buf.getByte(start) == TLS_HANDSHAKE
                && buf.getByte(start + 1) == TLS_MAJOR && (buf.getByte(start + 2) & 0xff) <= TLS_MAX_MINOR) {
            return TLS_ON_CLEARTEXT;
        }
        return HeadParser.describe(buf.getByte(stop), "invalid method");
    }

    // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 section 2.3): a byte out of that shape can never become one.
    private static boolean fitsVersion(int index, byte b) {
        return switch (index) {
            case 0, 1, 2, 3, 4 -> b == "HTTP/".charAt(index);
            case 5, 7 -> b >= '0' && b <= '9';
            case 6 -> b == '.';
            default -> false;
        };
    }
}
