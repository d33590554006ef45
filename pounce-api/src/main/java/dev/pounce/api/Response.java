package dev.pounce.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A whole HTTP response from a {@link Handler}. The server adds {@code Content-Length}, {@code Date} and
 * {@code Server}.
 *
 * @param status  the status code, 200 to 599
 * @param headers the response headers
 * @param body    the body, sent as it is
 */
public record Response(int status, Headers headers, byte[] body) {

    /** Checks the status and that the parts are present. */
    public Response {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("a handler's response status must be between 200 and 599, got "
                    + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /**
     * @param status the status
     * @param text   the body, sent as UTF-8 {@code text/plain}
     * @return the response
     */
    public static Response text(int status, String text) {
        return new Response(status, Headers.of("content-type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param status the status
     * @param json   a JSON document, sent as UTF-8 {@code application/json}
     * @return the response
     */
    public static Response json(int status, String json) {
        return new Response(status, Headers.of("content-type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param status the status, such as 204
     * @return a response with no body
     */
    public static Response empty(int status) {
        return new Response(status, Headers.empty(), HttpMessage.EMPTY);
    }

    /**
     * @param name  a header name
     * @param value its value
     * @return a copy with one more header
     */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.with(name, value), body);
    }
}
