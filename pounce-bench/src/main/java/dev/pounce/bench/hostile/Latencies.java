package dev.pounce.bench.hostile;

import java.util.Arrays;

/**
 * Every recorded duration, in nanoseconds, kept whole (no histogram buckets) so that p99 and max are exact. One
 * instance per thread; {@link #merge} joins them at the end. A 20 s run at 50,000 requests per second is 8 MB.
 */
final class Latencies {

    private long[] values = new long[1 << 14];
    private int count;

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        var all = new Latencies();
        for (Latencies p : parts) {
            for (int i = 0; i < p.count; i++) {
                all.add(p.values[i]);
            }
        }
        Arrays.sort(all.values, 0, all.count);
        return all;
    }

    /**
     * The q-quantile (0 to 1) by the nearest-rank method, of a merged (sorted) instance, in nanoseconds; 0 when
     * empty.
     */
    long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * count);
        return values[Math.clamp(rank - 1, 0, count - 1)];
    }

    long max() {
        return count == 0 ? 0 : values[count - 1];
    }
}
