package dev.pounce.cli.bench;

/**
 * Latencies in nanoseconds, counted in log-linear buckets as HdrHistogram does: values below 64 each have their own
 * bucket, and every power of two above is split into 64 equal buckets, so a bucket is never wider than 1/64 of its
 * lower bound (a relative error under 1.6%) and the whole range of a {@code long} fits in 3,712 counters.
 *
 * <p>Not thread-safe, on purpose: each connection of the load client records into its own histogram from its own
 * event loop, with no lock and no shared write on the hot path, and the histograms are {@link #add added} together
 * once the run is over.
 */
public final class LatencyHistogram {

    /** Buckets per power of two, and the values below which every value has a bucket of its own. */
    static final int SUB_BUCKETS = 64;
    private static final int SUB_BITS = 6;
    private static final int BUCKETS = SUB_BUCKETS + (63 - SUB_BITS) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    /**
     * Counts one value.
     *
     * @param nanos the latency; a negative value (a clock that went back) counts as 0
     */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    /**
     * Adds another histogram's counts to this one.
     *
     * @param other a histogram no thread records into any more
     */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /** @return how many values were recorded */
    public long count() {
        return total;
    }

    /** @return the largest value recorded, exactly; 0 when empty */
    public long max() {
        return max;
    }

    /**
     * The value below or at which the given share of the values lie, given as the upper bound of the bucket that
     * holds it (never above {@link #max()}), as HdrHistogram's "highest equivalent value" is.
     *
     * @param percentile 0 to 100
     * @return the value, 0 when empty
     */
    public long percentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        // The rank of the value asked for, 1-based; at least the first value.
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    /**
     * @param value a value of at least 0
     * @return the bucket that counts it
     */
    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int shift = exponent - SUB_BITS;
        int sub = (int) (value >>> shift) - SUB_BUCKETS;
        return SUB_BUCKETS + shift * SUB_BUCKETS + sub;
    }

    /**
     * @param index a bucket
     * @return the smallest value it counts
     */
    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / SUB_BUCKETS;
        long sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        return (SUB_BUCKETS + sub) << shift;
    }

    /**
     * @param index a bucket
     * @return the largest value it counts
     */
    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / SUB_BUCKETS;
        return lowerBound(index) + (1L << shift) - 1;
    }
}
