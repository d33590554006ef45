package dev.pounce.spi.kit;

import dev.pounce.api.Headers;

/**
 * The field rules that HTTP/2 and HTTP/3 share for a request's header section (RFC 9113 section 8.2.1, RFC 9114
 * section 4.2, both by RFC 9110 section 5): what makes a decoded field malformed. A protocol plugin turns a
 * {@code false} into its own stream error.
 */
public final class FieldRules {

    private FieldRules() {
    }

    /**
     * @param value a decoded field value
     * @return false when it holds NUL, CR or LF, or starts or ends with a space or tab
     */
    public static boolean validValue(String value) {
        int n = value.length();
        if (n > 0 && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    /**
     * @param name a decoded field name
     * @return true when it is a non-empty token with no upper-case letter, as names must be on HTTP/2 and HTTP/3
     */
    public static boolean validLowerCaseName(CharSequence name) {
        int n = name.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z' || !Headers.isTokenChar(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param s a method or a protocol token
     * @return whether every character is a token character (it may be empty: callers check that themselves)
     */
    public static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Headers.isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
