package dev.pounce.bench.jmh;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header fields of a typical browser {@code GET}, eight of them, as name, value pairs with lower-case names:
 * the input every headers benchmark shares, so that they compare like with like.
 */
final class TypicalRequestHeaders {

    private static final String[] PAIRS = {
        "host", "localhost:8000",
        "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "accept-language", "en-GB,en;q=0.5",
        "accept-encoding", "gzip, deflate, br, zstd",
        "connection", "keep-alive",
        "cookie", "session=3f9a2c7e5b1d4e8f; theme=dark",
        "upgrade-insecure-requests", "1",
    };

    private TypicalRequestHeaders() {
    }

    /**
     * A fresh copy whose strings are new instances, as a decoder would hand them over: a lookup then cannot win
     * by finding the very same {@code String} object it was given (which {@code equalsIgnoreCase} and
     * {@code HashMap} both short-cut).
     *
     * @return name, value, name, value, ... with lower-case names
     */
    static String[] freshPairs() {
        String[] copy = new String[PAIRS.length];
        for (int i = 0; i < PAIRS.length; i++) {
            copy[i] = new String(PAIRS[i].toCharArray());
        }
        return copy;
    }

    /**
     * The same fields in a map in arrival order: the baseline a hand-written server would reach for first.
     *
     * @return a new map from lower-case name to value
     */
    static Map<String, String> freshMap() {
        String[] pairs = freshPairs();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
