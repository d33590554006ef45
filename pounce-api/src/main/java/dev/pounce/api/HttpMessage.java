package dev.pounce.api;

import java.util.Objects;

/** Messages of an HTTP exchange (ASGI {@code http.*}). */
public sealed interface HttpMessage extends Message {

    /** Empty bytes, shared. */
    byte[] EMPTY = new byte[0];

    /**
     * A chunk of the request body (ASGI {@code http.request}). The last chunk has {@code more == false}; a request
     * without a body gives one empty last chunk.
     *
     * @param body the bytes, owned by the app
     * @param more whether more chunks follow
     */
    record Request(byte[] body, boolean more) implements HttpMessage {
        /** Checks the body is present. */
        public Request {
            Objects.requireNonNull(body, "body");
        }
    }

    /** The client went away, or the server is giving up on the request (ASGI {@code http.disconnect}). */
    record Disconnect() implements HttpMessage {
    }

    /**
     * The start of the response (ASGI {@code http.response.start}). A 1xx status other than 101 (such as 103 Early
     * Hints) is sent at once and may be followed by the real start. Otherwise the server holds the start and writes
     * it with the first body chunk.
     *
     * @param status   the status code, 100 to 599
     * @param headers  the response headers; names are compared case-insensitively
     * @param trailers whether the app will send {@link Trailers} after the body
     */
    record ResponseStart(int status, Headers headers, boolean trailers) implements HttpMessage {
        /** Checks the status range and headers. */
        public ResponseStart {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be between 100 and 599, got " + status);
            }
            Objects.requireNonNull(headers, "headers");
        }

        /** A start with no trailers. */
        public ResponseStart(int status, Headers headers) {
            this(status, headers, false);
        }
    }

    /**
     * A chunk of the response body (ASGI {@code http.response.body}). Each chunk with {@code more == true} is
     * flushed to the client as it is sent, so server-sent events work; the last chunk ends the response.
     *
     * @param body the bytes; the server does not copy them, so the app must not change them after sending
     * @param more whether more chunks follow
     */
    record ResponseBody(byte[] body, boolean more) implements HttpMessage {
        /** Checks the body is present. */
        public ResponseBody {
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * Response trailers (ASGI {@code http.response.trailers}), allowed when the start announced them.
     *
     * @param headers the trailer fields
     * @param more    whether more trailer messages follow
     */
    record Trailers(Headers headers, boolean more) implements HttpMessage {
        /** Checks the headers are present. */
        public Trailers {
            Objects.requireNonNull(headers, "headers");
        }
    }
}
