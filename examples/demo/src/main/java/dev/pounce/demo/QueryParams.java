package dev.pounce.demo;

import dev.pounce.api.HttpScope;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads one parameter of a request's query string, such as {@code count} in {@code ?count=5&interval=100}. */
final class QueryParams {

    private QueryParams() {
    }

    /**
     * @param query a raw query string, not decoded
     * @param name  the parameter
     * @return its first value, decoded, if present
     */
    static Optional<String> first(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /**
     * A whole-number parameter, clamped to a range.
     *
     * @return the value, the default if absent, or empty if it is not a number
     */
    static Optional<Integer> intParam(HttpScope scope, String name, int defaultValue, int min, int max) {
        Optional<String> raw = first(scope.queryString(), name);
        if (raw.isEmpty()) {
            return Optional.of(defaultValue);
        }
        try {
            return Optional.of(Math.clamp(Long.parseLong(raw.get().strip()), min, max));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a stray '%': keep the text as sent
        }
    }
}
