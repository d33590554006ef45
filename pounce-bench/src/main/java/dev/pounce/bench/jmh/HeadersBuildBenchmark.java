package dev.pounce.bench.jmh;

import dev.pounce.api.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What building a typical 8-field header list costs: {@link Headers#of} (which checks every name is a token,
 * lower-cases it, and checks every value for CR, LF and NUL), {@link Headers#wrap} (a protocol plugin's unchecked
 * path, given an array it may keep), and filling a {@code LinkedHashMap}, which checks nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HeadersBuildBenchmark {

    private String[] pairs;

    /** Fresh strings, so nothing is interned across benchmarks. */
    @Setup
    public void setUp() {
        pairs = TypicalRequestHeaders.freshPairs();
    }

    /**
     * @return checked headers built from the pairs
     */
    @Benchmark
    public Headers headersOf() {
        return Headers.of(pairs);
    }

    /**
     * The copy stands for the array a decoder fills for each request; {@code wrap} itself only takes it.
     *
     * @return unchecked headers over a copy of the pairs
     */
    @Benchmark
    public Headers headersWrapCopy() {
        return Headers.wrap(pairs.clone());
    }

    /**
     * @return a map filled from the pairs
     */
    @Benchmark
    public Map<String, String> linkedHashMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
