package dev.pounce.runtime.internal.compress;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the response's content coding from a request's {@code Accept-Encoding} fields (RFC 9110 §12.5.3): the first
 * of the server's codings, in the server's order, that the client accepts with a q-value above 0. A coding the
 * client does not name takes the q-value of {@code *}, if it sent one; {@code q=0}, or a q-value that does not parse,
 * refuses it. The server's order wins over the client's q-values, as in the Python Pounce: a client that sends
 * {@code gzip, zstd;q=0.9} gets zstd when the server prefers it. No acceptable coding means identity, which is
 * always sent rather than a 406, even when the client says {@code identity;q=0}.
 */
final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /**
     * @param fields  the request's {@code Accept-Encoding} field values; none means the client accepts only identity
     * @param offered the server's codings, best first
     * @return the coding to use, or empty for identity
     */
    static Optional<String> choose(List<String> fields, List<String> offered) {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        for (String coding : offered) {
            if (quality(fields, coding) > 0) {
                return Optional.of(coding);
            }
        }
        return Optional.empty();
    }

    /** @return the client's q-value for this coding: its own entry's, else {@code *}'s, else 0 */
    static double quality(List<String> fields, String coding) {
        double star = 0;
        boolean named = false;
        double own = 0;
        for (String field : fields) {
            for (String item : field.split(",")) {
                String[] parts = item.split(";");
                String token = parts[0].trim().toLowerCase(Locale.ROOT);
                if (token.isEmpty()) {
                    continue;
                }
                double q = q(parts);
                // x-gzip is gzip's old name (RFC 9110 §8.4.1.3).
                if (token.equals(coding) || coding.equals("gzip") && token.equals("x-gzip")) {
                    // The highest of repeated entries counts, so a client cannot be misread by its own repetition.
                    own = named ? Math.max(own, q) : q;
                    named = true;
                } else if (token.equals("*")) {
                    star = Math.max(star, q);
                }
            }
        }
        return named ? own : star;
    }

    /** @return the item's q-value: 1 without one, 0 for one out of range or that does not parse */
    private static double q(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.length() > 1 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.substring(1).trim().startsWith("=")) {
                String v = p.substring(p.indexOf('=') + 1).trim();
                // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
                if (!v.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
                    return 0;
                }
                return Double.parseDouble(v);
            }
        }
        return 1;
    }
}
