package dev.pounce.runtime.internal.bridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a {@code Range} field against a file of a known length (RFC 9110 section 14). A field that cannot be read,
 * names another unit than {@code bytes}, asks for more than {@link #MAX_RANGES} ranges, or asks for ranges that
 * overlap, is ignored and the whole file is sent with {@code 200}: section 14.2 lets a server ignore a range
 * request, and a client that asks for many small or overlapping ranges of one file is more often an attack (the
 * Apache "Range: bytes=0-,0-,0-..." denial of service, CVE-2011-3192) than a reader.
 */
final class ByteRanges {

    /** The most ranges one request may ask for; more and the whole file is sent. */
    static final int MAX_RANGES = 16;

    /** What a {@code Range} field asks for. */
    sealed interface Asked {
    }

    /** No usable range: send the whole file. */
    record Whole() implements Asked {
    }

    /** No range lies inside the file: {@code 416}. */
    record Unsatisfiable() implements Asked {
    }

    /**
     * One or more ranges inside the file, in the order asked.
     *
     * @param ranges the ranges, each with its first and last byte
     */
    record Some(List<Range> ranges) implements Asked {
    }

    /**
     * One range of bytes, both ends included.
     *
     * @param first the first byte's offset
     * @param last  the last byte's offset
     */
    record Range(long first, long last) {
        /** @return how many bytes */
        long length() {
            return last - first + 1;
        }
    }

    private static final Whole WHOLE = new Whole();

    private ByteRanges() {
    }

    /**
     * @param field  the {@code Range} field's value
     * @param length the file's length
     * @return what it asks for
     */
    static Asked parse(String field, long length) {
        String f = field.strip();
        if (!f.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        String[] specs = f.substring(6).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return WHOLE;
        }
        List<Range> ranges = new ArrayList<>();
        for (String raw : specs) {
            String spec = raw.strip();
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return WHOLE;
            }
            String a = spec.substring(0, dash);
            String b = spec.substring(dash + 1);
            long first;
            long last;
            if (a.isEmpty()) {
                // "-n": the last n bytes (a suffix); "-0" asks for none.
                long suffix = number(b);
                if (suffix < 0) {
                    return WHOLE;
                }
                if (suffix == 0 || length == 0) {
                    continue;
                }
                first = Math.max(0, length - suffix);
                last = length - 1;
            } else {
                first = number(a);
                last = b.isEmpty() ? Long.MAX_VALUE : number(b);
                if (first < 0 || last < 0 || last < first) {
                    return WHOLE;
                }
                if (first >= length) {
                    continue;
                }
                last = Math.min(last, length - 1);
            }
            ranges.add(new Range(first, last));
        }
        if (ranges.isEmpty()) {
            return new Unsatisfiable();
        }
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::first));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).first() <= sorted.get(i - 1).last()) {
                return WHOLE;
            }
        }
        return new Some(List.copyOf(ranges));
    }

    /** @return the decimal number, or -1 if the text is not one (empty, a sign, too long) */
    private static long number(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
