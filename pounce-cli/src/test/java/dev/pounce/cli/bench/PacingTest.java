package dev.pounce.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fixed-rate schedule against a synthetic clock: one sender, one request at a time, a server that answers in
 * 1 ms except once in 101 ms. Latency counts from the due time as {@code LoadClient}'s senders count it.
 */
class PacingTest {

    private static final long MS = 1_000_000;

    /**
     * Runs a sender on a synthetic clock.
     *
     * @param pacing  the schedule
     * @param service how long request i takes to answer
     * @param n       how many requests
     * @return each request's latency in ms, from its due time
     */
    private static List<Long> simulate(Pacing pacing, LongUnaryOperator service, int n) {
        List<Long> latencies = new ArrayList<>();
        long clock = 0;
        for (int i = 0; i < n; i++) {
            long due = pacing.next(clock);
            long sent = Math.max(clock, due);
            clock = sent + service.applyAsLong(i);
            latencies.add((clock - due) / MS);
        }
        return latencies;
    }

    private static long stallFirst(long i) {
        return i == 0 ? 101 * MS : MS;
    }

    @Test
    void aFixedRateCountsTheWaitBehindAStallInEveryRequestThatWaited() {
        var latencies = simulate(new Pacing.FixedRate(0, 10 * MS), PacingTest::stallFirst, 15);
        // Due at 0, 10, 20, ... ms: request 1 is sent at 101 ms and answered at 102, 92 ms after it was due; the
        // sender catches up at request 12, due at 120 ms.
        assertEquals(List.of(101L, 92L, 83L, 74L, 65L, 56L, 47L, 38L, 29L, 20L, 11L, 2L, 1L, 1L, 1L), latencies);
    }

    @Test
    void aClosedLoopSeesOneSlowRequestOnly() {
        var latencies = simulate(new Pacing.ClosedLoop(), PacingTest::stallFirst, 15);
        assertEquals(101L, latencies.getFirst());
        assertEquals(14, latencies.stream().filter(l -> l == 1).count());
    }

    @Test
    void dueTimesDoNotDependOnWhenTheyAreAskedFor() {
        var pacing = new Pacing.FixedRate(1_000, 250);
        assertEquals(1_000, pacing.next(0));
        assertEquals(1_250, pacing.next(999_999));
        assertEquals(1_500, pacing.next(5));
    }
}
