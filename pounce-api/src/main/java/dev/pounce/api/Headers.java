package dev.pounce.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An immutable list of header fields: names lower-cased, order and repeats kept, values as ISO-8859-1 text (which
 * keeps every byte as sent).
 *
 * <p>Headers made by {@link #of} or {@link Builder} are checked: a name must be an RFC 9110 token and a value must
 * not hold CR, LF or NUL, so an app cannot split a response.
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(new String[0]);

    private final String[] pairs;

    private Headers(String[] pairs) {
        this.pairs = pairs;
    }

    /**
     * No headers.
     *
     * @return the empty list
     */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Headers from name, value pairs.
     *
     * @param namesAndValues name, value, name, value, ...
     * @return the checked headers, names lower-cased
     * @throws IllegalArgumentException on an odd count, a bad name or a value with CR, LF or NUL
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs; got an odd count");
        }
        var b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    /**
     * For protocol plugins: headers from a flat array of already validated pairs whose names are lower-case.
     * The array is taken as it is, neither copied nor checked; the caller must not change it afterwards.
     *
     * @param lowerCasedPairs name, value, name, value, ...
     * @return headers backed by the array
     */
    public static Headers wrap(String[] lowerCasedPairs) {
        return lowerCasedPairs.length == 0 ? EMPTY : new Headers(lowerCasedPairs);
    }

    /**
     * A builder for checked headers.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how many fields there are */
    public int size() {
        return pairs.length >> 1;
    }

    /** @return whether there are no fields */
    public boolean isEmpty() {
        return pairs.length == 0;
    }

    /**
     * @param index 0 to size-1
     * @return the lower-case name of field {@code index}
     */
    public String name(int index) {
        return pairs[index << 1];
    }

    /**
     * @param index 0 to size-1
     * @return the value of field {@code index}
     */
    public String value(int index) {
        return pairs[(index << 1) + 1];
    }

    /**
     * The first value of a field.
     *
     * @param name the field name, any case
     * @return its first value, or empty
     */
    public Optional<String> first(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                return Optional.of(pairs[i + 1]);
            }
        }
        return Optional.empty();
    }

    /**
     * Every value of a field, in order.
     *
     * @param name the field name, any case
     * @return the values, empty if none
     */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                out.add(pairs[i + 1]);
            }
        }
        return out;
    }

    /**
     * @param name the field name, any case
     * @return whether the field is present
     */
    public boolean contains(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls {@code action} with each name and value in order.
     *
     * @param action receives the lower-case name and the value
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < pairs.length; i += 2) {
            action.accept(pairs[i], pairs[i + 1]);
        }
    }

    /**
     * A copy with one more field at the end.
     *
     * @param name  a token
     * @param value a value without CR, LF or NUL
     * @return the new headers
     */
    public Headers with(String name, String value) {
        String[] copy = Arrays.copyOf(pairs, pairs.length + 2);
        copy[pairs.length] = checkName(name);
        copy[pairs.length + 1] = checkValue(name, value);
        return new Headers(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && Arrays.equals(pairs, h.pairs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pairs);
    }

    @Override
    public String toString() {
        var sb = new StringBuilder("Headers[");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(pairs[i]).append(": ").append(pairs[i + 1]);
        }
        return sb.append(']').toString();
    }

    static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name '" + name + "' is not an RFC 9110 token");
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    static String checkValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("header '" + name + "' has no value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("header '" + name + "' value holds CR, LF, NUL or a non-Latin-1 character");
            }
        }
        return value;
    }

    /**
     * Whether {@code c} may appear in an RFC 9110 token (a method or a field name).
     *
     * @param c a character
     * @return true for tchar
     */
    public static boolean isTokenChar(int c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    /** Collects checked header fields. */
    public static final class Builder {
        private String[] pairs = new String[16];
        private int length;

        private Builder() {
        }

        /**
         * Adds a field.
         *
         * @param name  a token, any case
         * @param value a value without CR, LF or NUL
         * @return this builder
         */
        public Builder add(String name, String value) {
            if (length == pairs.length) {
                pairs = Arrays.copyOf(pairs, length * 2);
            }
            pairs[length++] = checkName(name);
            pairs[length++] = checkValue(name, value);
            return this;
        }

        /** @return the headers */
        public Headers build() {
            return length == 0 ? EMPTY : new Headers(Arrays.copyOf(pairs, length));
        }
    }
}
