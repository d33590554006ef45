package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.kit.FieldRules;
import dev.pounce.spi.RequestHead;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static io.netty.handler.codec.http2.Http2Exception.streamError;

/**
 * Turns a request's decoded HEADERS into a {@link RequestHead}, finishing the checks of RFC 9113 sections 8.2
 * and 8.3 that Netty's decoder leaves to us. Netty has already refused, as stream errors: a pseudo-header after a
 * regular field, unknown pseudo-headers, request and response pseudo-headers mixed, upper-case names,
 * connection-specific fields, {@code te} other than {@code trailers}, a missing {@code :method}, {@code :scheme}
 * or {@code :path}, and a bad {@code content-length}. Called on the event loop.
 */
final class RequestHeads {

    /**
     * A request head and, for an extended CONNECT (RFC 8441 section 4), the protocol it asks for.
     *
     * @param head     the head: {@code :authority} as {@code host} first, other pseudo-headers dropped
     * @param protocol the {@code :protocol} value; empty for any other request
     */
    record Parsed(RequestHead head, Optional<String> protocol) {
    }

    /** A request the protocol answers itself with an HTTP status, rather than as malformed. */
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
     * @param streamId        the stream, for the error
     * @param headers         the decoded fields, pseudo-headers first
     * @param maxFields       how many regular fields a request may have ({@code --limit-max-headers})
     * @param extendedConnect whether we sent SETTINGS_ENABLE_CONNECT_PROTOCOL, which alone allows {@code :protocol}
     * @return the head (cookies joined) and the protocol of an extended CONNECT
     * @throws Http2Exception a stream error PROTOCOL_ERROR when the request is malformed (RFC 9113 section 8.1.1)
     * @throws Refused        for a request that is well-formed but that we do not serve (plain CONNECT, too many
     *                        fields)
     */
    static Parsed parse(int streamId, Http2Headers headers, int maxFields, boolean extendedConnect)
            throws Http2Exception, Refused {
        String method = null;
        String path = null;
        String scheme = null;
        String authority = null;
        String protocol = null;
        String host = null;
        StringBuilder cookie = null;
        String[] pairs = new String[Math.min(headers.size(), maxFields + 8) * 2 + 2];
        int length = 2;
        int fields = 0;
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            String value = field.getValue().toString();
            if (!FieldRules.validValue(value)) {
                throw malformed(streamId, "field '%s' holds CR, LF, NUL or edge whitespace", name);
            }
            if (name.length() > 0 && name.charAt(0) == ':') {
                String pseudo = name.toString();
                switch (pseudo) {
                    case ":method" -> method = once(streamId, pseudo, method, value);
                    case ":path" -> path = once(streamId, pseudo, path, value);
                    case ":scheme" -> scheme = once(streamId, pseudo, scheme, value);
                    case ":authority" -> authority = once(streamId, pseudo, authority, value);
                    // RFC 8441 section 3: :protocol only once we sent SETTINGS_ENABLE_CONNECT_PROTOCOL.
                    case ":protocol" -> {
                        if (!extendedConnect) {
                            throw malformed(streamId, ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL");
                        }
                        protocol = once(streamId, pseudo, protocol, value);
                    }
                    default -> throw malformed(streamId, "pseudo-header %s is not allowed in a request", pseudo);
                }
                continue;
            }
            if (!FieldRules.validLowerCaseName(name)) {
                throw malformed(streamId, "field name '%s' is not a lower-case token", name);
            }
            if (++fields > maxFields) {
                throw new Refused(431, "too many header fields");
            }
            String n = name.toString();
            switch (n) {
                // RFC 9113 section 8.2.3: cookie crumbs are joined back into one field for HTTP/1.1-minded apps.
                case "cookie" -> {
                    if (cookie == null) {
                        cookie = new StringBuilder(value);
                    } else {
                        cookie.append("; ").append(value);
                    }
                    continue;
                }
                case "host" -> {
                    if (host != null) {
                        throw malformed(streamId, "two host fields");
                    }
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
            throw malformed(streamId, "missing or invalid :method");
        }
        if (protocol != null) {
            // RFC 8441 section 4: :protocol names what an extended CONNECT asks for, and belongs to nothing else.
            if (!method.equals("CONNECT")) {
                throw malformed(streamId, ":protocol on a %s request", method);
            }
            if (protocol.isEmpty() || !FieldRules.isToken(protocol)) {
                throw malformed(streamId, ":protocol is not a token");
            }
        } else if (method.equals("CONNECT")) {
            // RFC 9113 section 8.5: a tunnel to a host, which Pounce does not offer (as HTTP/1.1 answers 501 too).
            throw new Refused(501, "CONNECT is not supported");
        }
        if (scheme == null || path == null || path.isEmpty()) {
            throw malformed(streamId, "missing :scheme or :path");
        }
        // RFC 9113 section 8.3.1: origin form, or "*" for OPTIONS.
        if (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS"))) {
            throw malformed(streamId, ":path is neither origin form nor * for OPTIONS");
        }
        if (authority != null && host != null && !authority.equalsIgnoreCase(host)) {
            // RFC 9113 section 8.3.1: a host that names another entity than :authority makes the request malformed.
            throw malformed(streamId, ":authority and host differ");
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
        return new Parsed(new RequestHead(method, path, "2", Headers.wrap(exact)), Optional.ofNullable(protocol));
    }

    private static String once(int streamId, String name, String previous, String value) throws Http2Exception {
        if (previous != null) {
            throw malformed(streamId, "pseudo-header %s appears twice", name);
        }
        return value;
    }

    private static Http2Exception malformed(int streamId, String format, Object... args) {
        return streamError(streamId, Http2Error.PROTOCOL_ERROR, "malformed request: " + format, args);
    }
}
