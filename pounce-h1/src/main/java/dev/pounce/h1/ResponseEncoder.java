package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.spi.kit.HttpDate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Writes the bytes of HTTP/1.1 responses (RFC 9112 sections 4 and 7.1): status lines, field lines, chunk framing.
 * Status lines are prepared once per status; nothing here allocates beyond the output buffer.
 */
final class ResponseEncoder {

    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int status = 100; status < 600; status++) {
            STATUS_LINES[status] = ("HTTP/1.1 " + status + " " + reason(status) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ResponseEncoder() {
    }

    /**
     * Writes {@code HTTP/1.1 <status> <reason>\r\n}. HTTP/1.0 requests get an HTTP/1.1 status line too, as RFC
     * 9110 section 2.5 lets a server answer with its own highest minor version.
     */
    static void statusLine(ByteBuf out, int status) {
        out.writeBytes(STATUS_LINES[status]);
    }

    /** Writes {@code name: value\r\n}; the value is ISO-8859-1 text without CR, LF or NUL. */
    static void field(ByteBuf out, String name, String value) {
        out.writeCharSequence(name, StandardCharsets.US_ASCII);
        out.writeByte(':');
        out.writeByte(' ');
        out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        out.writeBytes(CRLF);
    }

    /** Writes {@code name: <decimal>\r\n}. */
    static void field(ByteBuf out, String name, long value) {
        out.writeCharSequence(name, StandardCharsets.US_ASCII);
        out.writeByte(':');
        out.writeByte(' ');
        out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    /** Writes every field as {@code name: value\r\n}, in order. */
    static void fields(ByteBuf out, Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            field(out, headers.name(i), headers.value(i));
        }
    }

    /** @return about how many bytes {@code headers} take as field lines, to size a buffer */
    static int estimate(Headers headers) {
        int size = 0;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + headers.value(i).length() + 4;
        }
        return size;
    }

    /** Writes the size line of a chunk of {@code size} bytes, size above 0. */
    static void chunkHeader(ByteBuf out, int size) {
        out.writeCharSequence(Integer.toHexString(size), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    /**
     * A whole error response for bad input: short text naming the problem, and {@code Connection: close} because
     * the connection's framing is in doubt (RFC 9112 section 9.6).
     *
     * @param alloc  the allocator
     * @param status the status
     * @param reason what was wrong
     * @param date   whether to add {@code Date}
     * @param server the {@code Server} value, empty for none
     * @param extra  the bridge's fields for it, such as {@code x-request-id}
     * @return the encoded response
     */
    static ByteBuf errorResponse(ByteBufAllocator alloc, int status, String reason, boolean date, String server,
                                 Headers extra) {
        byte[] body = (reason + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf out = alloc.buffer(160 + body.length + server.length() + estimate(extra));
        statusLine(out, status);
        if (date) {
            out.writeBytes(HttpDate.line());
        }
        if (!server.isEmpty()) {
            field(out, "Server", server);
        }
        field(out, "Content-Type", "text/plain; charset=utf-8");
        field(out, "Content-Length", body.length);
        field(out, "Connection", "close");
        fields(out, extra);
        out.writeBytes(CRLF);
        out.writeBytes(body);
        return out;
    }

    /**
     * The answer to an accepted upgrade (RFC 9110 sections 7.8 and 15.2.2): {@code 101}, {@code Connection} and
     * {@code Upgrade} naming the one protocol switched to, then the provider's fields, except the ones the switch
     * itself decides and the framing fields a 1xx must not carry (RFC 9110 section 8.6).
     *
     * @param alloc   the allocator
     * @param token   the protocol switched to
     * @param headers the provider's fields
     * @return the encoded response head
     */
    static ByteBuf switchingProtocols(ByteBufAllocator alloc, String token, Headers headers) {
        ByteBuf out = alloc.buffer(96 + token.length() + estimate(headers));
        statusLine(out, 101);
        field(out, "Connection", "upgrade");
        field(out, "Upgrade", token);
        for (int i = 0; i < headers.size(); i++) {
            switch (headers.name(i)) {
                case "connection", "upgrade", "content-length", "transfer-encoding", "keep-alive" -> { }
                default -> field(out, headers.name(i), headers.value(i));
            }
        }
        out.writeBytes(CRLF);
        return out;
    }

    /**
     * @param status 100 to 599
     * @return its reason phrase (RFC 9110 section 15), empty for a status without one
     */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 102 -> "Processing";
            case 103 -> "Early Hints";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 207 -> "Multi-Status";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 507 -> "Insufficient Storage";
            case 511 -> "Network Authentication Required";
            default -> "";
        };
    }
}
