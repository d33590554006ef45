package dev.pounce.runtime.internal.metrics;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A set of sample values, each an integer in its family's unit, keyed by family, labels and rank (a histogram's
 * bucket, sum or count). Adding a value to a key already there adds the two, so merging the workers' samples, or a
 * child process's into its parent's, is adding. Not thread-safe: each scrape builds its own.
 *
 * <p>The control channel carries samples as text ({@link #encode}, {@link #decode}): one line per sample, the
 * metric's name, the rank, the value and the labels, separated by tabs. Parent and child run the same build, so they
 * agree on every name.
 */
public final class Samples {

    /** The rank of a histogram's or summary's {@code _sum} sample. */
    static final int SUM = 100;
    /** The rank of a histogram's or summary's {@code _count} sample. */
    static final int COUNT = 101;

    /**
     * One series.
     *
     * @param family its family
     * @param labels its labels as the text format writes them between braces ({@code method="GET"}), without a
     *               histogram's {@code le}; empty for none
     * @param rank   0 for a plain sample; for a histogram the bucket's index, or {@link #SUM} or {@link #COUNT}
     */
    record Series(Family family, String labels, int rank) {
    }

    private static final Comparator<Series> ORDER = Comparator.comparing(Series::family)
            .thenComparing(Series::labels).thenComparingInt(Series::rank);

    private final TreeMap<Series, Long> values = new TreeMap<>(ORDER);

    /**
     * Adds a value to a series.
     *
     * @param family the family
     * @param labels the labels, empty for none
     * @param rank   see {@link Series#rank}
     * @param value  the value, in the family's unit
     * @return this
     */
    Samples add(Family family, String labels, int rank, long value) {
        values.merge(new Series(family, labels, rank), value, Long::sum);
        return this;
    }

    /** Adds a plain sample. @return this */
    Samples add(Family family, String labels, long value) {
        return add(family, labels, 0, value);
    }

    /**
     * Adds another set's values to this one's.
     *
     * @param other          the values to add
     * @param cumulativeOnly whether to leave out the gauges: a dead worker's counters stay in the totals, its
     *                       gauges (connections, requests in flight) do not
     * @return this
     */
    public Samples addAll(Samples other, boolean cumulativeOnly) {
        for (Map.Entry<Series, Long> e : other.values.entrySet()) {
            if (!cumulativeOnly || e.getKey().family().cumulative()) {
                values.merge(e.getKey(), e.getValue(), Long::sum);
            }
        }
        return this;
    }

    /**
     * @param metric the metric's name
     * @param labels its labels as written between braces, empty for none
     * @return the value of that plain sample, or 0 if there is none
     */
    long value(String metric, String labels) {
        return values.getOrDefault(new Series(Family.of(metric), labels, 0), 0L);
    }

    /** @param each given every series and its value, in exposition order */
    void forEach(BiConsumer<Series, Long> each) {
        values.forEach(each);
    }

    /** @return the samples as text for the control channel, one line per sample */
    public String encode() {
        var out = new StringBuilder(values.size() * 48);
        values.forEach((s, v) -> out.append(s.family().metric()).append('\t').append(s.rank()).append('\t')
                .append(v).append('\t').append(s.labels()).append('\n'));
        return out.toString();
    }

    /**
     * @param text what {@link #encode} wrote
     * @return the samples
     * @throws IllegalArgumentException if a line is malformed or names no family
     */
    public static Samples decode(String text) {
        var samples = new Samples();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\t", 4);
            if (parts.length != 4) {
                throw new IllegalArgumentException("malformed sample line: " + line);
            }
            samples.add(Family.of(parts[0]), parts[3], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        }
        return samples;
    }
}
