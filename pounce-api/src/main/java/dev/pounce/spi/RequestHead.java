package dev.pounce.spi;

import dev.pounce.api.Headers;

import java.util.Objects;

/**
 * A validated request head, as a protocol parsed it.
 *
 * @param method  the method, a token
 * @param target  the request target as sent: origin form {@code /path?query}, or {@code *} for OPTIONS
 * @param version "1.0", "1.1", "2" or "3"
 * @param headers the header fields, names lower-cased; HTTP/2 and HTTP/3 give {@code :authority} as {@code host}
 */
public record RequestHead(String method, String target, String version, Headers headers) {
    /** Checks that every part is present. */
    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }
}
