package dev.pounce.bench.jmh;

import dev.pounce.api.Headers;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long an app waits to look up one field in a typical 8-field request: {@link Headers#first} and
 * {@link Headers#contains} (a linear scan with {@code equalsIgnoreCase} over a flat array) against
 * {@code LinkedHashMap.get} and {@code containsKey}.
 *
 * <p>The names looked up are the first field ({@code host}), the seventh ({@code cookie}), a mixed-case spelling
 * of the second ({@code User-Agent}), and one that is absent ({@code authorization}), so the scan's best, late,
 * case-folding and worst cases are all shown. The map baseline is the map's best case: it is handed the name
 * lower-cased in advance for free, so for {@code User-Agent} the map benchmarks fold the case themselves, as an
 * app honouring "any case" would have to; and a map keeps one value per name, where {@code Headers} keeps
 * repeats and order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HeadersLookupBenchmark {

    /** The field name to look up. */
    @Param({"host", "cookie", "User-Agent", "authorization"})
    public String name;

    private Headers headers;
    private Map<String, String> map;

    /** Builds the headers and the map from fresh strings, as a decoder would. */
    @Setup
    public void setUp() {
        headers = Headers.wrap(TypicalRequestHeaders.freshPairs());
        map = TypicalRequestHeaders.freshMap();
    }

    /**
     * @return the first value of the field, or empty
     */
    @Benchmark
    public Optional<String> headersFirst() {
        return headers.first(name);
    }

    /**
     * @return whether the field is present
     */
    @Benchmark
    public boolean headersContains() {
        return headers.contains(name);
    }

    /**
     * @return the value, or null
     */
    @Benchmark
    public String mapGet() {
        return map.get(lowerCase(name));
    }

    /**
     * @return whether the field is present
     */
    @Benchmark
    public boolean mapContainsKey() {
        return map.containsKey(lowerCase(name));
    }

    /**
     * {@code toLowerCase} returns the same instance when nothing changes, so the lower-case parameters pay only
     * the check; {@code User-Agent} pays for a new string and its hash, which a real app with any-case lookups
     * on a map pays too.
     */
    private static String lowerCase(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
