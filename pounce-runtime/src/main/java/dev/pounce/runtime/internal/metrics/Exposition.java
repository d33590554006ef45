package dev.pounce.runtime.internal.metrics;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Writes samples in the Prometheus text exposition format 0.0.4: for each family a {@code # HELP} and a
 * {@code # TYPE} line, then its samples, a histogram's as cumulative {@code _bucket} lines with {@code le}, then
 * {@code _sum} and {@code _count}. Times, counted in integer milli- or nanoseconds, are written as exact decimal
 * seconds. The Prometheus Java client has no {@code module-info}, so the format is written here; it is small.
 */
public final class Exposition {

    /** The {@code Content-Type} of the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Exposition() {
    }

    /**
     * @param samples what to write
     * @return the exposition, UTF-8
     */
    public static byte[] render(Samples samples) {
        var out = new StringBuilder(8192);
        Family[] current = {null};
        samples.forEach((series, value) -> {
            Family f = series.family();
            if (f != current[0]) {
                current[0] = f;
                out.append("# HELP ").append(f.metric()).append(' ');
                escapeHelp(out, f.help());
                out.append("\n# TYPE ").append(f.metric()).append(' ').append(f.type().text()).append('\n');
            }
            line(out, series, value);
        });
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder out, Samples.Series series, long value) {
        Family f = series.family();
        out.append(f.metric());
        String labels = series.labels();
        boolean scaled = true;
        if (f.type() == Family.Type.HISTOGRAM || f.type() == Family.Type.SUMMARY) {
            if (series.rank() == Samples.SUM) {
                out.append("_sum");
            } else if (series.rank() == Samples.COUNT) {
                out.append("_count");
                scaled = false;
            } else {
                out.append("_bucket");
                String le = Labels.pair("le", WorkerMetrics.LE[series.rank()]);
                labels = labels.isEmpty() ? le : labels + ',' + le;
                scaled = false;
            }
        }
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ');
        if (!scaled || f.unit() == Family.Unit.ONE) {
            out.append(value);
        } else {
            out.append(seconds(value, f.unit()));
        }
        out.append('\n');
    }

    /** @return the value in seconds, exact, such as {@code 0.0125} */
    static String seconds(long value, Family.Unit unit) {
        int scale = unit == Family.Unit.NANOS ? 9 : 3;
        BigDecimal s = BigDecimal.valueOf(value, scale).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }

    /** The help text escapes backslash and newline only (the format's rule). */
    private static void escapeHelp(StringBuilder out, String help) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
