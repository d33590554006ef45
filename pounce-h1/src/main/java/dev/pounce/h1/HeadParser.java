package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.api.Limits;
import dev.pounce.spi.RequestHead;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.pounce.h1.ByteClasses.CR;
import static dev.pounce.h1.ByteClasses.HTAB;
import static dev.pounce.h1.ByteClasses.LF;
import static dev.pounce.h1.ByteClasses.SP;

/**
 * Reads one request head (RFC 9112 sections 2 to 5) straight from the connection's buffer, line by line as bytes
 * arrive, and checks it strictly: anything a front proxy might read differently is refused, because a request that
 * two parties frame differently is how requests are smuggled.
 *
 * <p>One parser per connection, used on its event loop. Progress is kept between calls as offsets from the
 * buffer's reader index, which moves only when a head is complete, so a head that trickles in byte by byte is
 * scanned once. Limits are enforced while the head is still incomplete, so a client cannot make us buffer more
 * than the limits allow.
 *
 * <p>The header block that {@link Limits#maxHeaderSize()} bounds is the field lines with their CRLFs, without the
 * request line and the final empty line.
 */
final class HeadParser {

    /** RFC 9112 section 2.2 lets a server skip empty lines before a request line; a few, not a stream of them. */
    static final int MAX_LEADING_EMPTY_LINES = 4;

    private final int maxRequestLineSize;
    private final int maxHeaderSize;
    private final int maxHeaders;
    private final long maxRequestBodySize;
    private final RequestLineScanner lineScanner;

    // Progress through the current head, relative to the buffer's reader index.
    private int lineStart;
    private int scanned;
    private boolean inFields;
    private int emptyLines;
    private int headerBytes;

    // The request line.
    private String method;
    private String target;
    private boolean http11;

    // The fields, and what the framing rules need from them.
    private String[] pairs = new String[32];
    private int size;
    private int contentLengthCount;
    private long contentLength;
    private int transferEncodingCount;
    private String transferEncoding;
    private int hostCount;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean connectionUpgrade;
    private boolean expectContinue;
    private boolean unsupportedExpect;
    private final List<String> upgrades = new ArrayList<>();

    /**
     * @param limits    the size limits
     * @param cleartext whether the connection is cleartext, where a TLS handshake is answered as one
     */
    HeadParser(Limits limits, boolean cleartext) {
        this.maxRequestLineSize = limits.maxRequestLineSize();
        this.maxHeaderSize = limits.maxHeaderSize();
        this.maxHeaders = limits.maxHeaders();
        this.maxRequestBodySize = limits.maxRequestBodySize();
        this.lineScanner = new RequestLineScanner(cleartext);
        reset();
    }

    /**
     * Parses as much of a head as {@code buf} holds. On success the reader index moves past the head's final CRLF;
     * otherwise it stays where it is.
     *
     * @param buf the connection's received bytes, the head starting at the reader index
     * @return the head, or null while it is incomplete
     * @throws RequestRejected on bad input or a broken limit
     */
    ParsedRequest parse(ByteBuf buf) throws RequestRejected {
        int base = buf.readerIndex();
        int end = buf.writerIndex();
        while (true) {
            int start = base + lineStart;
            int lf = buf.indexOf(base + scanned, end, LF);
            if (!inFields) {
                // Before the bare-LF check: a TLS ClientHello that happens to hold an LF is named for what it is.
                requestLineSoFar(buf, start, lf < 0 ? end : lf);
            }
            if (lf < 0) {
                scanned = end - base;
                if (inFields) {
                    partialField(buf, start, end);
                }
                return null;
            }
            // RFC 9112 section 2.2 allows a bare LF as a line end, but a front end may not agree: be strict.
            if (lf == start || buf.getByte(lf - 1) != CR) {
                throw new RequestRejected(400, "bare LF in request head");
            }
            int lineEnd = lf - 1;
            lineStart = scanned = lf + 1 - base;
            if (!inFields) {
                if (lineEnd == start) {
                    if (++emptyLines > MAX_LEADING_EMPTY_LINES) {
                        throw new RequestRejected(400, "too many empty lines before the request line");
                    }
                    // Consumed at once: an empty line is no part of a head, and must not make an idle
                    // connection look like one with a head in progress.
                    base = lf + 1;
                    buf.readerIndex(base);
                    lineStart = scanned = 0;
                    continue;
                }
                requestLine(buf, start, lineEnd);
                inFields = true;
            } else if (lineEnd == start) {
                ParsedRequest request = finish();
                buf.readerIndex(lf + 1);
                reset();
                return request;
            } else {
                headerBytes += lineEnd - start + 2;
                if (headerBytes > maxHeaderSize) {
                    throw new RequestRejected(431, "header block too large");
                }
                if (size / 2 >= maxHeaders) {
                    throw new RequestRejected(431, "too many header fields");
                }
                field(buf, start, lineEnd);
            }
        }
    }

    /** @return whether part of a head has been read (empty lines count), which makes a timeout a 408 */
    boolean inProgress() {
        return lineStart > 0 || scanned > 0;
    }

    /** Forgets the current head; the next call starts a new one. */
    void reset() {
        lineStart = scanned = 0;
        lineScanner.reset();
        inFields = false;
        emptyLines = headerBytes = 0;
        method = target = null;
        http11 = false;
        Arrays.fill(pairs, 0, size, null);
        size = 0;
        contentLengthCount = transferEncodingCount = hostCount = 0;
        contentLength = -1;
        transferEncoding = null;
        connectionClose = connectionKeepAlive = connectionUpgrade = false;
        expectContinue = unsupportedExpect = false;
        upgrades.clear();
    }

    private void partialField(ByteBuf buf, int start, int end) throws RequestRejected {
        int content = contentEnd(buf, start, end) - start;
        if (content > 0 && headerBytes + content + 2 > maxHeaderSize) {
            throw new RequestRejected(431, "header block too large");
        }
    }

    // The request line as far as it has come: its size, and every byte so far (see RequestLineScanner).
    private void requestLineSoFar(ByteBuf buf, int start, int end) throws RequestRejected {
        int content = contentEnd(buf, start, end);
        if (content - start > maxRequestLineSize) {
            throw new RequestRejected(414, "request line too long");
        }
        lineScanner.scan(buf, start, content);
    }

    // A trailing CR may be the start of the line's CRLF; every other byte is line content.
    private static int contentEnd(ByteBuf buf, int start, int end) {
        return end > start && buf.getByte(end - 1) == CR ? end - 1 : end;
    }

    // request-line = method SP request-target SP HTTP-version (RFC 9112 section 3), with exactly one SP each; its
    // bytes were checked as they came.
    private void requestLine(ByteBuf buf, int start, int end) throws RequestRejected {
        lineScanner.complete();
        int sp1 = start + lineScanner.methodEnd();
        int sp2 = start + lineScanner.targetEnd();
        method = method(buf, start, sp1 - start);
        version(buf, sp2 + 1, end);
        target = target(buf, sp1 + 1, sp2);
    }

    private void version(ByteBuf buf, int start, int end) throws RequestRejected {
        int length = end - start;
        if (ByteClasses.equalsAscii(buf, start, length, "HTTP/1.1")) {
            http11 = true;
        } else if (ByteClasses.equalsAscii(buf, start, length, "HTTP/1.0")) {
            http11 = false;
        } else if (length == 8 && ByteClasses.equalsAscii(buf, start, 5, "HTTP/") && isDigit(buf.getByte(start + 5))
                && buf.getByte(start + 6) == '.' && isDigit(buf.getByte(start + 7))) {
            // Well-formed (RFC 9112 section 2.3) but not ours: HTTP/2.0, HTTP/1.2, HTTP/0.9.
            throw new RequestRejected(505, "HTTP version not supported");
        } else {
            throw new RequestRejected(400, "malformed HTTP version");
        }
    }

    // RFC 9112 section 3.2: origin-form for every method, asterisk-form for OPTIONS, authority-form for CONNECT
    // (which we do not serve, not being a proxy) and absolute-form, whose path and query we pass on.
    private String target(ByteBuf buf, int start, int end) throws RequestRejected {
        byte first = buf.getByte(start);
        int length = end - start;
        if (method.equals("CONNECT")) {
            if (first == '/' || first == '*') {
                throw new RequestRejected(400, "CONNECT needs an authority-form target");
            }
            throw new RequestRejected(501, "CONNECT is not supported");
        }
        if (first == '/') {
            return buf.toString(start, length, StandardCharsets.US_ASCII);
        }
        if (first == '*' && length == 1) {
            if (!method.equals("OPTIONS")) {
                throw new RequestRejected(400, "asterisk-form target only with OPTIONS");
            }
            return "*";
        }
        // absolute-form: scheme "://" authority [path-abempty] ["?" query] (RFC 3986 section 3)
        int i = start;
        if (!isAlpha(buf.getByte(i))) {
            throw new RequestRejected(400, "invalid request target");
        }
        while (i < end && isSchemeChar(buf.getByte(i))) {
            i++;
        }
        if (end - i < 3 || buf.getByte(i) != ':' || buf.getByte(i + 1) != '/' || buf.getByte(i + 2) != '/') {
            throw new RequestRejected(400, "invalid request target");
        }
        int authority = i + 3;
        int path = authority;
        while (path < end && buf.getByte(path) != '/' && buf.getByte(path) != '?') {
            path++;
        }
        if (path == authority) {
            throw new RequestRejected(400, "absolute-form target without authority");
        }
        if (path == end) {
            return "/";
        }
        String rest = buf.toString(path, end - path, StandardCharsets.US_ASCII);
        return buf.getByte(path) == '?' ? "/" + rest : rest;
    }

    // field-line = field-name ":" OWS field-value OWS (RFC 9112 section 5).
    private void field(ByteBuf buf, int start, int end) throws RequestRejected {
        byte first = buf.getByte(start);
        if (first == SP || first == HTAB) {
            // RFC 9112 section 5.2: obs-fold may be rejected; a proxy might unfold it differently.
            throw new RequestRejected(400, "obsolete line folding");
        }
        int colon = buf.forEachByte(start, end - start, ByteClasses.NOT_TCHAR);
        if (colon < 0) {
            throw new RequestRejected(400, "header line without colon");
        }
        byte stop = buf.getByte(colon);
        if (stop != ':') {
            // RFC 9112 section 5.1: no whitespace is allowed between the field name and the colon.
            throw new RequestRejected(400, stop == SP || stop == HTAB
                    ? "whitespace in field name" : describe(stop, "invalid byte in field name"));
        }
        if (colon == start) {
            throw new RequestRejected(400, "empty field name");
        }
        String name = FieldNames.lowerCase(buf, start, colon - start);
        int valueStart = colon + 1;
        int valueEnd = end;
        if (valueStart < valueEnd) {
            int nonSpace = buf.forEachByte(valueStart, valueEnd - valueStart, ByteClasses.NOT_OWS);
            valueStart = nonSpace < 0 ? valueEnd : nonSpace;
        }
        while (valueEnd > valueStart && (buf.getByte(valueEnd - 1) == SP || buf.getByte(valueEnd - 1) == HTAB)) {
            valueEnd--;
        }
        String value = "";
        if (valueEnd > valueStart) {
            int bad = buf.forEachByte(valueStart, valueEnd - valueStart, ByteClasses.NOT_FIELD_CONTENT);
            if (bad >= 0) {
                throw new RequestRejected(400, describe(buf.getByte(bad), "control character in field value"));
            }
            value = buf.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
        }
        add(name, value);
        note(name, value);
    }

    // Names from FieldNames are shared constants, so identity finds the fields that decide framing.
    @SuppressWarnings("StringEquality")
    private void note(String name, String value) throws RequestRejected {
        if (name == FieldNames.CONTENT_LENGTH) {
            // RFC 9112 section 6.3 point 5: even two equal values are refused; we are strict.
            if (++contentLengthCount > 1) {
                throw new RequestRejected(400, "duplicate Content-Length");
            }
            contentLength = FieldValues.contentLength(value);
        } else if (name == FieldNames.TRANSFER_ENCODING) {
            if (++transferEncodingCount > 1) {
                throw new RequestRejected(400, "duplicate Transfer-Encoding");
            }
            transferEncoding = value;
        } else if (name == FieldNames.HOST) {
            // RFC 9112 section 3.2: a request with more than one Host field gets a 400.
            if (++hostCount > 1) {
                throw new RequestRejected(400, "duplicate Host");
            }
        } else if (name == FieldNames.CONNECTION) {
            connectionClose |= FieldValues.listContains(value, "close");
            connectionKeepAlive |= FieldValues.listContains(value, "keep-alive");
            connectionUpgrade |= FieldValues.listContains(value, "upgrade");
        } else if (name == FieldNames.EXPECT) {
            if (value.equalsIgnoreCase("100-continue")) {
                expectContinue = true;
            } else {
                unsupportedExpect = true;
            }
        } else if (name == FieldNames.UPGRADE) {
            FieldValues.protocols(value, upgrades);
        }
    }

    private ParsedRequest finish() throws RequestRejected {
        boolean chunked = false;
        if (transferEncodingCount > 0) {
            // RFC 9112 section 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing.
            if (!http11) {
                throw new RequestRejected(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            // RFC 9112 section 6.3 point 3: both present is a smuggling attempt; refuse rather than pick one.
            if (contentLengthCount > 0) {
                throw new RequestRejected(400, "Content-Length with Transfer-Encoding");
            }
            FieldValues.requireChunked(transferEncoding);
            chunked = true;
        }
        if (http11 && hostCount == 0) {
            throw new RequestRejected(400, "missing Host");
        }
        // RFC 9110 section 10.1.1: an expectation we cannot meet is a 417.
        if (unsupportedExpect) {
            throw new RequestRejected(417, "unsupported Expect");
        }
        if (maxRequestBodySize > 0 && contentLength > maxRequestBodySize) {
            throw new RequestRejected(413, "request body too large");
        }
        boolean keepAlive = !connectionClose && (http11 || connectionKeepAlive);
        var head = new RequestHead(method, target, http11 ? "1.1" : "1.0", Headers.wrap(Arrays.copyOf(pairs, size)));
        // RFC 9110 section 10.1.1: an HTTP/1.0 client cannot take a 100, so its expectation is ignored.
        return new ParsedRequest(head, http11, contentLength, chunked, keepAlive, expectContinue && http11,
                connectionUpgrade, List.copyOf(upgrades));
    }

    private void add(String name, String value) {
        if (size == pairs.length) {
            pairs = Arrays.copyOf(pairs, size * 2);
        }
        pairs[size++] = name;
        pairs[size++] = value;
    }

    private static String method(ByteBuf buf, int start, int length) {
        for (String known : KNOWN_METHODS) {
            if (ByteClasses.equalsAscii(buf, start, length, known)) {
                return known;
            }
        }
        return buf.toString(start, length, StandardCharsets.US_ASCII);
    }

    private static final String[] KNOWN_METHODS = {
        "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "QUERY"
    };

    /**
     * @param b         the byte that stopped a scan
     * @param otherwise the reason for any other byte
     * @return the reason that names a bare CR or a NUL, which a smuggler uses, or {@code otherwise}
     */
    static String describe(byte b, String otherwise) {
        return switch (b) {
            case CR -> "bare CR in request head";
            case 0 -> "NUL in request head";
            default -> otherwise;
        };
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isAlpha(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
    }

    private static boolean isSchemeChar(byte b) {
        return isAlpha(b) || isDigit(b) || b == '+' || b == '-' || b == '.';
    }
}
