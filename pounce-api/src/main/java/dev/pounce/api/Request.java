package dev.pounce.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole HTTP request for a {@link Handler}: the scope and the body read to its end. The body is bounded by the
 * server's {@code --limit-request-body}.
 *
 * @param scope the request's scope
 * @param body  the whole request body, empty if none
 */
public record Request(HttpScope scope, byte[] body) {

    /** Checks the parts are present. */
    public Request {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(body, "body");
    }

    /** @return the method, such as {@code GET} */
    public String method() {
        return scope.method();
    }

    /** @return the percent-decoded path, with the root path */
    public String path() {
        return scope.path();
    }

    /** @return the raw query string, empty if none */
    public String query() {
        return scope.queryString();
    }

    /** @return the request headers */
    public Headers headers() {
        return scope.headers();
    }

    /**
     * @param name a header name, any case
     * @return its first value
     */
    public Optional<String> header(String name) {
        return scope.headers().first(name);
    }

    /** @return the body decoded as UTF-8 */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
