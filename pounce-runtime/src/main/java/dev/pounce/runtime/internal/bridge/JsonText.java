package dev.pounce.runtime.internal.bridge;

/** Writes JSON string literals (RFC 8259 section 7) for the JSON access log and the health answer. */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /**
     * Appends {@code s} as a JSON string, or {@code null}.
     *
     * @param out where to
     * @param s   the text, or null
     * @return {@code out}
     */
    static StringBuilder string(StringBuilder out, String s) {
        if (s == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Control characters must be escaped; DEL and lone surrogates are escaped too, so a line stays
                    // printable and its UTF-8 is never replaced.
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !pairedAt(s, i)) {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
