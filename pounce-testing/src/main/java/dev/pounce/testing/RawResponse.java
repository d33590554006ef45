package dev.pounce.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.x response as it came off the wire.
 *
 * @param version the version in the status line, such as {@code HTTP/1.1}
 * @param status  the status code
 * @param reason  the reason phrase, possibly empty
 * @param headers the header fields as name, value pairs, names lower-cased, in order
 * @param body    the body, de-chunked if it was chunked
 */
public record RawResponse(String version, int status, String reason, List<String[]> headers, byte[] body) {

    /** Copies the header list. */
    public RawResponse {
        headers = List.copyOf(headers);
    }

    /**
     * @param name a header name, any case
     * @return its first value
     */
    public Optional<String> header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h[0].equals(lower)).map(h -> h[1]).findFirst();
    }

    /**
     * @param name a header name, any case
     * @return every value of it, in order
     */
    public List<String> headers(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        headers.stream().filter(h -> h[0].equals(lower)).forEach(h -> out.add(h[1]));
        return out;
    }

    /** @return the body as UTF-8 text */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        var sb = new StringBuilder(version).append(' ').append(status).append(' ').append(reason);
        for (String[] h : headers) {
            sb.append("\n  ").append(h[0]).append(": ").append(h[1]);
        }
        String text = text();
        return sb.append("\n  body: ").append(text.length() > 200 ? text.substring(0, 200) + "..." : text)
                .toString();
    }
}
