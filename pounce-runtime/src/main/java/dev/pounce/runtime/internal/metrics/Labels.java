package dev.pounce.runtime.internal.metrics;

import java.util.List;
import java.util.stream.Stream;

/**
 * The label values a worker records under, each a small fixed set so that no client can make the server grow a new
 * series: a method outside the standard ones is {@code other}, a protocol version no plugin of ours speaks is
 * {@code other}. Recording turns each into an index into a per-worker array, with no map and no allocation.
 */
public final class Labels {

    /** Methods of RFC 9110 and PATCH (RFC 5789), then {@code other}. */
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "other");
    /** Status classes, then {@code none}: the client left before any response was sent. */
    static final List<String> STATUS_CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx", "none");
    /**
     * Protocols as {@code HTTP/} and the scope's HTTP version, as the access log writes them. Made from the versions
     * rather than written out: the runtime names no protocol id, not even in a string (the architecture test reads
     * every constant), and the label is the request's HTTP version, not the plugin that spoke it.
     */
    static final List<String> PROTOCOLS = Stream.concat(Stream.of("1.0", "1.1", "2", "3").map(v -> "HTTP/" + v),
            Stream.of("other")).toList();
    /** The answers a protocol gives bad input itself, named for their status (RFC 9110 section 15). */
    static final List<String> REASONS = List.of("bad_request", "request_timeout", "content_too_large",
            "uri_too_long", "expectation_failed", "upgrade_required", "header_fields_too_large",
            "not_implemented", "version_not_supported", "service_unavailable", "too_many_requests", "other");
    /** WebSocket directions. */
    static final List<String> DIRECTIONS = List.of("received", "sent");

    static final int HTTP_2 = 2;
    static final int HTTP_3 = 3;

    private Labels() {
    }

    /**
     * @param method a request method as sent
     * @return its index in {@link #METHODS}
     */
    public static int method(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "CONNECT" -> 5;
            case "OPTIONS" -> 6;
            case "TRACE" -> 7;
            case "PATCH" -> 8;
            default -> 9;
        };
    }

    /**
     * @param version the scope's HTTP version: {@code 1.0}, {@code 1.1}, {@code 2} or {@code 3}
     * @return its index in {@link #PROTOCOLS}
     */
    public static int protocol(String version) {
        return switch (version) {
            case "1.0" -> 0;
            case "1.1" -> 1;
            case "2" -> HTTP_2;
            case "3" -> HTTP_3;
            default -> 4;
        };
    }

    /** @return the index of the status's class in {@link #STATUS_CLASSES}; 0 (no response) is {@code none} */
    static int statusClass(int status) {
        return status >= 100 && status <= 599 ? status / 100 - 1 : 5;
    }

    /** @return the index of a rejection's reason in {@link #REASONS} */
    static int reason(int status) {
        return switch (status) {
            case 400 -> 0;
            case 408 -> 1;
            case 413 -> 2;
            case 414 -> 3;
            case 417 -> 4;
            case 426 -> 5;
            case 431 -> 6;
            case 501 -> 7;
            case 505 -> 8;
            case 503 -> 9;
            case 429 -> 10;
            default -> 11;
        };
    }

    /** @return {@code name="value"} with the value escaped as the text format asks (backslash, quote, newline) */
    static String pair(String name, String value) {
        var b = new StringBuilder(name.length() + value.length() + 3).append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
