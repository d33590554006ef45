package dev.pounce.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Response compression: the server encodes an app's response body with the best coding that both it and the client
 * accept ({@code Accept-Encoding}, RFC 9110 §12.5.3), on every protocol. Static files are not touched: they have
 * their precompressed siblings.
 *
 * @param enabled    whether responses are compressed at all ({@code --no-compression} turns it off); default on
 * @param minSize    bodies smaller than this many bytes are sent as they are ({@code --compression-min-size}, the
 *                   Python Pounce's {@code compression_min_size}), 0 to {@value #MAX_MIN_SIZE}; default 500. Known
 *                   when the app declares {@code Content-Length} or sends its whole body in one message; a streamed
 *                   body of unknown size is compressed
 * @param encodings  the codings the server offers, best first ({@code --compression-encodings}): some of
 *                   {@code zstd}, {@code br} and {@code gzip}, each once; default all three in that order. The
 *                   server's order wins over the client's q-values, as in the Python Pounce. {@code zstd} and
 *                   {@code br} need their libraries on the module path; one that is missing is left out with a
 *                   log line at startup
 * @param types      the media types that are compressed ({@code --compression-types}): {@code type/subtype},
 *                   {@code type/*} or {@code type/*+suffix}, matched without parameters; default text, JSON,
 *                   JavaScript, XML, SVG, WebAssembly and uncompressed fonts (see {@link #DEFAULT_TYPES}). Other
 *                   types (images, video, audio, archives, WOFF fonts) are already compressed and sent as they are
 * @param gzipLevel  the gzip level, 1 to 9 ({@code --compression-gzip-level}); default 6, as the Python Pounce
 * @param zstdLevel  the zstd level, 1 to 22 ({@code --compression-zstd-level}); default 3, as the Python Pounce
 * @param brotliLevel the brotli level, 0 to 11 ({@code --compression-brotli-level}); default 4, a dynamic-content
 *                   level: 11 is for files compressed once ahead of time
 */
public record Compression(boolean enabled, int minSize, List<String> encodings, List<String> types, int gzipLevel,
                          int zstdLevel, int brotliLevel) {

    /** The codings the server can produce, in its default order of preference. */
    public static final List<String> CODINGS = List.of("zstd", "br", "gzip");

    /** The largest {@link #minSize}: 1 GiB. */
    public static final int MAX_MIN_SIZE = 1 << 30;

    /** The types compressed by default. */
    public static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json", "application/*+json",
            "application/javascript", "application/ecmascript", "application/xml", "application/*+xml",
            "application/x-ndjson", "application/wasm", "image/svg+xml", "image/x-icon", "font/ttf", "font/otf");

    /** The defaults described above. */
    public static final Compression DEFAULT = new Compression(true, 500, CODINGS, DEFAULT_TYPES, 6, 3, 4);

    /** Copies the lists; range checks are {@link #check}'s. */
    public Compression {
        encodings = List.copyOf(encodings);
        types = List.copyOf(types);
    }

    /**
     * Checks each part and normalizes the lists to lower case.
     *
     * @return the same settings, checked
     * @throws ConfigException naming the field at fault
     */
    Compression check() {
        if (minSize < 0 || minSize > MAX_MIN_SIZE) {
            throw new ConfigException("compressionMinSize", "compressionMinSize must be between 0 and "
                    + MAX_MIN_SIZE + ", got " + minSize);
        }
        List<String> codings = new ArrayList<>();
        for (String e : encodings) {
            String c = Objects.requireNonNull(e, "encoding").trim().toLowerCase(Locale.ROOT);
            if (!CODINGS.contains(c)) {
                throw new ConfigException("compressionEncodings", "compressionEncodings takes zstd, br and gzip, "
                        + "got '" + e + "'");
            }
            if (codings.contains(c)) {
                throw new ConfigException("compressionEncodings", "compressionEncodings names '" + c + "' twice");
            }
            codings.add(c);
        }
        if (codings.isEmpty()) {
            throw new ConfigException("compressionEncodings", "compressionEncodings must name at least one of zstd, "
                    + "br, gzip (use --no-compression to turn compression off)");
        }
        List<String> media = new ArrayList<>();
        for (String t : types) {
            String m = Objects.requireNonNull(t, "type").trim().toLowerCase(Locale.ROOT);
            if (!m.matches("[a-z0-9][a-z0-9!#$&^_.+-]*/(\\*|\\*\\+[a-z0-9!#$&^_.+-]+|[a-z0-9][a-z0-9!#$&^_.+-]*)")) {
                throw new ConfigException("compressionTypes", "compressionTypes takes media types such as "
                        + "text/html, text/* or application/*+json, got '" + t + "'");
            }
            media.add(m);
        }
        if (media.isEmpty()) {
            throw new ConfigException("compressionTypes", "compressionTypes must name at least one media type");
        }
        range("compressionGzipLevel", gzipLevel, 1, 9);
        range("compressionZstdLevel", zstdLevel, 1, 22);
        range("compressionBrotliLevel", brotliLevel, 0, 11);
        return new Compression(enabled, minSize, codings, media, gzipLevel, zstdLevel, brotliLevel);
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(field, field + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
