package dev.pounce.bench.hostile;

import java.util.Locale;

/**
 * The one line a subcommand prints on standard output when it ends: {@code result key=value key=value ...}, so
 * that a script can pick a figure by its key (values never hold a space). Progress goes to standard error.
 */
final class Report {

    private final StringBuilder line = new StringBuilder("result");

    Report put(String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : String.valueOf(value);
        line.append(' ').append(key).append('=').append(text.replace(' ', '_'));
        return this;
    }

    /** Puts a duration in nanoseconds as milliseconds with two decimals. */
    Report millis(String key, long nanos) {
        return put(key, nanos / 1e6);
    }

    void print() {
        System.out.println(line);
        System.out.flush();
    }

    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }
}
