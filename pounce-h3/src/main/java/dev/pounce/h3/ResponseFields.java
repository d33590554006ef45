package dev.pounce.h3;

import dev.pounce.api.Headers;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;

import java.util.List;

/**
 * Turns the fields an app gives into an HTTP/3 field section, leaving out those that belong to a connection rather
 * than a message (RFC 9114 section 4.2). Called on the event loop.
 */
final class ResponseFields {

    /** Fields that are the connection's, not the response's. */
    private static final List<String> CONNECTION_FIELDS = List.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te");

    private ResponseFields() {
    }

    /**
     * @param status  the status, 100 to 599
     * @param headers the fields given
     * @return a section with {@code :status} and the fields that may travel on a stream
     */
    static Http3Headers of(int status, Headers headers) {
        Http3Headers fields = new DefaultHttp3Headers(false, headers.size() + 3);
        fields.status(HttpResponseStatus.valueOf(status).codeAsText());
        copy(headers, fields);
        return fields;
    }

    /**
     * Adds the fields that may travel on a stream, for trailers too.
     *
     * @param from names lower-cased and checked, values without CR, LF or NUL ({@link Headers}' contract)
     * @param to   the section to add to
     */
    static void copy(Headers from, Http3Headers to) {
        for (int i = 0; i < from.size(); i++) {
            String name = from.name(i);
            if (!CONNECTION_FIELDS.contains(name)) {
                to.add(name, from.value(i));
            }
        }
    }
}
