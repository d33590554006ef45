package dev.pounce.cli.bench;

/**
 * When one sender of the load client sends its next request, and from when its latency counts.
 *
 * <p>Closed loop (the default): the next request goes as soon as the last answer is in, and its latency counts from
 * then. Fixed rate ({@code --rate}): request {@code i} is due at {@code start + i * interval} whatever happened
 * before, and its latency counts from that due time, not from when it could be sent. A server that stalls for
 * 100 ms thus shows, at 10 ms intervals, one answer 100 ms late and the nine that queued behind it 90, 80, ... ms late,
 * as their users would see them; measured from the send time they would look fast, which is the coordinated
 * omission that Gil Tene described, and which a closed loop cannot avoid.
 *
 * <p>One instance per sender, used from the sender's event loop only.
 */
public sealed interface Pacing {

    /**
     * The due time of the next request.
     *
     * @param now the clock now, in nanoseconds
     * @return when the next request is due: {@code now} in a closed loop, possibly in the past at a fixed rate
     *         (then it is sent at once and its latency counts from the due time)
     */
    long next(long now);

    /** Sends the next request when the last answer is in. */
    record ClosedLoop() implements Pacing {
        @Override
        public long next(long now) {
            return now;
        }
    }

    /** Sends request {@code i} at {@code start + i * interval}, late if the answers are late. */
    final class FixedRate implements Pacing {
        private final long start;
        private final long interval;
        private long sent;

        /**
         * @param start    when the first request is due, in nanoseconds
         * @param interval nanoseconds between two due times, at least 1
         */
        public FixedRate(long start, long interval) {
            this.start = start;
            this.interval = Math.max(1, interval);
        }

        @Override
        public long next(long now) {
            return start + sent++ * interval;
        }
    }
}
