package dev.pounce.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log-linear histogram: bucket bounds, percentiles of known data, merging. */
class LatencyHistogramTest {

    @Test
    void valuesBelow128HaveBucketsOfTheirOwn() {
        var h = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            h.record(v);
        }
        // Ranks 50, 90, 99 and 100 of 1..100, exactly.
        assertEquals(50, h.percentile(50));
        assertEquals(90, h.percentile(90));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.percentile(99.9));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.percentile(0));
        assertEquals(100, h.count());
        assertEquals(100, h.max());
    }

    @Test
    void aPercentileIsTheUpperBoundOfItsBucketAndNeverAboveTheMax() {
        var h = new LatencyHistogram();
        for (int i = 0; i < 90; i++) {
            h.record(1_000);
        }
        for (int i = 0; i < 9; i++) {
            h.record(1_000_000);
        }
        h.record(5_000_000);
        // 1000 = 125 << 3: the bucket [1000, 1007]. 1,000,000 lies in [122 << 13, 123 << 13) = [999424, 1007615].
        assertEquals(1_000, LatencyHistogram.lowerBound(LatencyHistogram.index(1_000)));
        assertEquals(1_007, LatencyHistogram.upperBound(LatencyHistogram.index(1_000)));
        assertEquals(999_424, LatencyHistogram.lowerBound(LatencyHistogram.index(1_000_000)));
        assertEquals(1_007_615, LatencyHistogram.upperBound(LatencyHistogram.index(1_000_000)));
        assertEquals(1_007, h.percentile(50));
        assertEquals(1_007, h.percentile(90));
        assertEquals(1_007_615, h.percentile(90.5));
        assertEquals(1_007_615, h.percentile(99));
        // Rank 100 is the 5 ms value, whose bucket reaches past it: the recorded max is the answer.
        assertEquals(5_000_000, h.percentile(99.9));
        assertEquals(5_000_000, h.max());
    }

    @Test
    void everyValueLiesInItsBucketWhoseWidthIsAtMostOneSixtyFourthOfItsStart() {
        var random = new SplittableRandom(13);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(0, Long.MAX_VALUE) >>> random.nextInt(64);
            int index = LatencyHistogram.index(v);
            long low = LatencyHistogram.lowerBound(index);
            long high = LatencyHistogram.upperBound(index);
            assertTrue(low <= v && v <= high, v + " in [" + low + ", " + high + "]");
            assertTrue(high - low <= Math.max(0, low / LatencyHistogram.SUB_BUCKETS), v + ": " + low + ".." + high);
            if (index > 0) {
                assertEquals(low - 1, LatencyHistogram.upperBound(index - 1), "buckets touch at " + v);
            }
        }
        assertEquals(Long.MAX_VALUE, LatencyHistogram.upperBound(LatencyHistogram.index(Long.MAX_VALUE)));
    }

    @Test
    void mergedHistogramsCountAsOne() {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        for (long v = 1; v <= 50; v++) {
            a.record(v);
            b.record(v + 50);
        }
        a.add(b);
        assertEquals(100, a.count());
        assertEquals(100, a.max());
        assertEquals(50, a.percentile(50));
        assertEquals(99, a.percentile(99));
    }

    @Test
    void emptyGivesZeroAndANegativeValueCountsAsZero() {
        var h = new LatencyHistogram();
        assertEquals(0, h.percentile(99));
        h.record(-5);
        assertEquals(0, h.percentile(50));
        assertEquals(1, h.count());
    }
}
