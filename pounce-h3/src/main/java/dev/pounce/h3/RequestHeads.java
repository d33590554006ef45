package dev.pounce.h3;

import dev.pounce.api.Headers;
import dev.pounce.spi.kit.FieldRules;
import dev.pounce.spi.RequestHead;
import io.netty.handler.codec.http3.Http3Headers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a request's decoded HEADERS frame into a {@link RequestHead}, finishing the checks of RFC 9114 section 4.3
 * and 4.2 that Netty's decoder leaves to us. Netty has already refused, resetting the stream with
 * H3_MESSAGE_ERROR: a pseudo-header after a regular field, unknown or duplicate pseudo-headers, a missing
 * {@code :method}, {@code :scheme} or {@code :path} (or {@code :authority} and {@code host} both missing), a
 * {@code host} that differs from {@code :authority}, {@code connection}, and {@code te} other than {@code trailers}.
 * Called on the event loop.
 */
final class RequestHeads {

    /** Fields that belong to a connection, not a message: malformed on HTTP/3 (RFC 9114 section 4.2). */
    private static final List<String> CONNECTION_FIELDS = List.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");

    /**
     * A request head and, for an extended CONNECT (RFC 9220, by RFC 8441 section 4), the protocol it asks for.
     *
     * @param head     the head: {@code :authority} as {@code host} first, other pseudo-headers dropped
     * @param protocol the {@code :protocol} value, lower-case; empty for any other request
     */
    record Parsed(RequestHead head, Optional<String> protocol) {
    }

    /** A request that is malformed: the stream is reset with H3_MESSAGE_ERROR (RFC 9114 section 4.1.2). */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A request that is well-formed but that we do not serve; answered with an HTTP status. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private RequestHeads() {
    }

    /**
     * @param headers         the decoded fields, pseudo-headers first
     * @param maxFields       how many regular fields a request may have ({@code --limit-request-headers})
     * @param extendedConnect whether we sent SETTINGS_ENABLE_CONNECT_PROTOCOL, which alone allows {@code :protocol}
     * @return the head, {@code :authority} given as {@code host} first and cookies joined (RFC 9114 section 4.2.1),
     *         and the protocol of an extended CONNECT
     * @throws Malformed when the request is malformed
     * @throws Refused   for a request that is well-formed but that we do not serve (CONNECT, too many fields)
     */
    static Parsed parse(Http3Headers headers, int maxFields, boolean extendedConnect) throws Malformed, Refused {
        String method = null;
        String path = null;
        String authority = null;
        String host = null;
        String protocol = null;
        StringBuilder cookie = null;
        String[] pairs = new String[Math.min(headers.size(), maxFields + 8) * 2 + 2];
        int length = 2;
        int fields = 0;
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            String value = field.getValue().toString();
            if (!FieldRules.validValue(value)) {
                throw new Malformed("field '" + name + "' holds CR, LF, NUL or edge whitespace");
            }
            if (name.length() > 0 && name.charAt(0) == ':') {
                // Netty has checked there is each at most once, and none unknown.
                switch (name.toString()) {
                    case ":method" -> method = value;
                    case ":path" -> path = value;
                    case ":authority" -> authority = value;
                    case ":protocol" -> protocol = value;
                    default -> { }
                }
                continue;
            }
            if (!FieldRules.validLowerCaseName(name)) {
                throw new Malformed("field name '" + name + "' is not a lower-case token");
            }
            String n = name.toString();
            if (CONNECTION_FIELDS.contains(n)) {
                throw new Malformed("connection-specific field '" + n + "'");
            }
            if (++fields > maxFields) {
                throw new Refused(431, "too many header fields");
            }
            switch (n) {
                case "cookie" -> {
                    // RFC 9114 section 4.2.1: cookie crumbs are joined back into one field.
                    if (cookie == null) {
                        cookie = new StringBuilder(value);
                    } else {
                        cookie.append("; ").append(value);
                    }
                    continue;
                }
                case "host" -> {
                    host = value;
                    continue;
                }
                default -> { }
            }
            if (length + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[length++] = n;
            pairs[length++] = value;
        }
        if (method == null || method.isEmpty() || !FieldRules.isToken(method)) {
            throw new Malformed("missing or invalid :method");
        }
        if (protocol != null) {
            // RFC 9220 section 3: :protocol only once we sent SETTINGS_ENABLE_CONNECT_PROTOCOL, which we do while an
            // upgrade provider is enabled; and it names what an extended CONNECT asks for (RFC 8441 section 4).
            if (!extendedConnect) {
                throw new Malformed(":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL");
            }
            if (!method.equals("CONNECT")) {
                throw new Malformed(":protocol on a " + method + " request");
            }
            if (protocol.isEmpty() || !FieldRules.isToken(protocol)) {
                throw new Malformed(":protocol is not a token");
            }
        } else if (method.equals("CONNECT")) {
            // RFC 9114 section 4.4: a tunnel to a host, which Pounce does not offer (as HTTP/1.1 and HTTP/2 say 501).
            throw new Refused(501, "CONNECT is not supported");
        }
        if (path == null || path.isEmpty()) {
            throw new Malformed("missing :path");
        }
        // RFC 9114 section 4.3.1: origin form, or "*" for OPTIONS.
        if (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS"))) {
            throw new Malformed(":path is neither origin form nor * for OPTIONS");
        }
        String target = authority != null ? authority : host;
        if (target != null) {
            pairs[0] = "host";
            pairs[1] = target;
        }
        int start = target != null ? 0 : 2;
        if (cookie != null) {
            if (length + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length + 2);
            }
            pairs[length++] = "cookie";
            pairs[length++] = cookie.toString();
        }
        String[] exact = start == 0 && length == pairs.length ? pairs : Arrays.copyOfRange(pairs, start, length);
        return new Parsed(new RequestHead(method, path, "3", Headers.wrap(exact)),
                Optional.ofNullable(protocol).map(p -> p.toLowerCase(Locale.ROOT)));
    }
}
