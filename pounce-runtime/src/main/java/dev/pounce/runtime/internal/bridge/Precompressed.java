package dev.pounce.runtime.internal.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks which precompressed sibling of a static file to send ({@code app.js.zst}, {@code app.js.br},
 * {@code app.js.gz}) from the request's {@code Accept-Encoding} (RFC 9110 section 12.5.3): the coding with the
 * highest {@code q} among those the client accepts, the server's order ({@code zstd}, {@code br}, {@code gzip}: the
 * smallest first) breaking ties. {@code q=0} refuses a coding; {@code *} stands for every coding not named. The
 * sibling itself must exist, be a regular file inside the folder and be no older than the file, or the next coding
 * is tried, and in the end the file itself.
 */
final class Precompressed {

    /**
     * A content coding the server looks for a sibling of.
     *
     * @param token     its name in {@code Accept-Encoding} and {@code Content-Encoding}
     * @param extension the sibling's extension, dot included
     */
    record Coding(String token, String extension) {
    }

    /** The codings, in the server's order of preference. */
    static final List<Coding> CODINGS = List.of(new Coding("zstd", ".zst"), new Coding("br", ".br"),
            new Coding("gzip", ".gz"));

    private Precompressed() {
    }

    /**
     * @param acceptEncoding the request's {@code Accept-Encoding} values, joined by commas; empty if it sent none
     * @return the codings the client accepts, best first
     */
    static List<Coding> acceptable(String acceptEncoding) {
        double[] q = new double[CODINGS.size()];
        boolean[] named = new boolean[CODINGS.size()];
        double star = -1;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String token = parts[0].strip().toLowerCase(Locale.ROOT);
            if (token.isEmpty()) {
                continue;
            }
            double weight = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].strip();
                if (param.regionMatches(true, 0, "q=", 0, 2)) {
                    try {
                        weight = Double.parseDouble(param.substring(2).strip());
                    } catch (NumberFormatException e) {
                        weight = 0;
                    }
                    if (!(weight >= 0 && weight <= 1)) {
                        weight = 0;
                    }
                }
            }
            if (token.equals("*")) {
                star = weight;
                continue;
            }
            // "x-gzip" is gzip (RFC 9110 section 8.4.1.3).
            String canonical = token.equals("x-gzip") ? "gzip" : token;
            for (int i = 0; i < CODINGS.size(); i++) {
                if (CODINGS.get(i).token().equals(canonical)) {
                    q[i] = named[i] ? Math.max(q[i], weight) : weight;
                    named[i] = true;
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < CODINGS.size(); i++) {
            if (!named[i] && star >= 0) {
                q[i] = star;
            }
            if ((named[i] || star >= 0) && q[i] > 0) {
                order.add(i);
            }
        }
        // A stable sort on q alone keeps the server's order among equal weights.
        order.sort((a, b) -> Double.compare(q[b], q[a]));
        return order.stream().map(CODINGS::get).toList();
    }
}
