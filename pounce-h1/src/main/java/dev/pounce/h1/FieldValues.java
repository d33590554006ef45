package dev.pounce.h1;

import java.util.List;

/**
 * The rules for the few field values that decide how a request is framed and kept: {@code Content-Length},
 * {@code Transfer-Encoding} and {@code Connection}. Values come trimmed of surrounding whitespace and already
 * checked for control bytes.
 */
final class FieldValues {

    private FieldValues() {
    }

    /**
     * Parses a {@code Content-Length} value. RFC 9110 section 8.6 allows only {@code 1*DIGIT}; a list such as
     * {@code 5, 5}, a sign, inner whitespace, hex or a value beyond a long is a smuggling vector (RFC 9112 section
     * 6.3 point 5), so each is a 400.
     *
     * @param value the trimmed value
     * @return the length
     * @throws RequestRejected 400 when the value is not a plain decimal number
     */
    static long contentLength(String value) throws RequestRejected {
        int n = value.length();
        if (n == 0) {
            throw new RequestRejected(400, "empty Content-Length");
        }
        long result = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new RequestRejected(400, c == ',' ? "Content-Length list" : "invalid Content-Length");
            }
            if (result > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new RequestRejected(400, "Content-Length overflow");
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    /**
     * Checks a request's {@code Transfer-Encoding}. We decode only {@code chunked} alone. A well-formed list of
     * codings that ends in {@code chunked} but has others before it ({@code gzip, chunked}), or a single unknown
     * coding ({@code identity}, {@code xchunked}), is a coding we do not implement: 501 (RFC 9112 section 6.1). A
     * list in which {@code chunked} is not last cannot be framed: 400 (RFC 9112 section 6.3 point 4). Anything that
     * is not a list of tokens is malformed: 400.
     *
     * @param value the trimmed value
     * @throws RequestRejected 400 or 501 unless the value is {@code chunked}, in any case
     */
    static void requireChunked(String value) throws RequestRejected {
        if (value.equalsIgnoreCase("chunked")) {
            return;
        }
        String last = null;
        boolean chunkedBeforeLast = false;
        int i = 0;
        int n = value.length();
        while (true) {
            int start = i;
            while (i < n && ByteClasses.isTchar(value.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw new RequestRejected(400, "malformed Transfer-Encoding");
            }
            String coding = value.substring(start, i);
            if (last != null && last.equalsIgnoreCase("chunked")) {
                chunkedBeforeLast = true;
            }
            last = coding;
            // Transfer-coding parameters (";" name "=" value) are skipped as a unit; their form does not matter
            // because any coding besides chunked is refused anyway.
            while (i < n && value.charAt(i) != ',') {
                char c = value.charAt(i);
                if (c != ';' && c != '=' && c != ' ' && c != '\t' && c != '"' && !ByteClasses.isTchar(c)) {
                    throw new RequestRejected(400, "malformed Transfer-Encoding");
                }
                i++;
            }
            if (i == n) {
                break;
            }
            i++;
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
        }
        if (chunkedBeforeLast) {
            throw new RequestRejected(400, "chunked is not the final Transfer-Encoding");
        }
        throw new RequestRejected(501, "unsupported Transfer-Encoding");
    }

    /**
     * Whether a comma-separated list such as a {@code Connection} value holds {@code token}, ignoring case and
     * optional whitespace (RFC 9110 section 5.6.1).
     *
     * @param list  the field value
     * @param token a lower-case token
     * @return true if one element equals the token
     */
    static boolean listContains(String list, String token) {
        int n = list.length();
        int i = 0;
        while (i < n) {
            while (i < n && (list.charAt(i) == ' ' || list.charAt(i) == '\t' || list.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && list.charAt(i) != ',') {
                i++;
            }
            int end = i;
            while (end > start && (list.charAt(end - 1) == ' ' || list.charAt(end - 1) == '\t')) {
                end--;
            }
            if (end - start == token.length() && list.regionMatches(true, start, token, 0, token.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the protocol names of an {@code Upgrade} value in the order listed, which is the client's preference
     * (RFC 9110 section 7.8): {@code websocket} and {@code h2c} from {@code WebSocket/13, h2c}. An element that does
     * not start with a token is skipped.
     *
     * @param value the field value
     * @param names where the names go
     */
    static void protocols(String value, List<String> names) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || value.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && ByteClasses.isTchar(value.charAt(i))) {
                i++;
            }
            if (i > start) {
                names.add(value.substring(start, i));
            }
            while (i < n && value.charAt(i) != ',') {
                i++;
            }
        }
    }
}
