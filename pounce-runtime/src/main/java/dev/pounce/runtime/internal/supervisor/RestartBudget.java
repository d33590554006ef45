package dev.pounce.runtime.internal.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How often one slot may be restarted: at most {@code maxRestarts} within a sliding {@code window}, each after a
 * backoff of {@code base × 2^(n-1)} capped at {@code maxBackoff}, where n counts the restarts in the window. Pure: the
 * caller passes the time, so tests use a fake clock. Not thread-safe; the supervisor thread owns it.
 */
final class RestartBudget {

    /** What to do about a death. */
    sealed interface Decision {
        /**
         * Restart after the backoff.
         *
         * @param backoff          how long to wait first
         * @param restartsInWindow restarts in the window, this one included
         */
        record Restart(Duration backoff, int restartsInWindow) implements Decision { }

        /**
         * The budget is spent: leave the slot down.
         *
         * @param restarts restarts already made within the window
         */
        record GiveUp(int restarts) implements Decision { }
    }

    /** The default: 5 restarts a minute, 0.5 s doubling up to 30 s. */
    static final Limits DEFAULT = new Limits(5, Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(30));

    /**
     * @return the default, with the window and the first backoff shortened by the test-only system properties
     *         {@code pounce.internal.restartWindowMillis} and {@code pounce.internal.restartBackoffMillis}
     */
    static Limits configured() {
        long window = Long.getLong("pounce.internal.restartWindowMillis", DEFAULT.window().toMillis());
        long base = Long.getLong("pounce.internal.restartBackoffMillis", DEFAULT.base().toMillis());
        return new Limits(DEFAULT.maxRestarts(), Duration.ofMillis(window), Duration.ofMillis(base),
                DEFAULT.maxBackoff());
    }

    /**
     * @param maxRestarts restarts allowed within the window
     * @param window      the sliding window
     * @param base        the first backoff
     * @param maxBackoff  the longest backoff
     */
    record Limits(int maxRestarts, Duration window, Duration base, Duration maxBackoff) { }

    private final Limits limits;
    private final Deque<Long> restarts = new ArrayDeque<>();

    RestartBudget(Limits limits) {
        this.limits = limits;
    }

    /**
     * Records a death and decides.
     *
     * @param nowNanos a monotonic time, as from {@link System#nanoTime()}
     * @return restart (the restart is counted now) or give up
     */
    Decision onDeath(long nowNanos) {
        long windowNanos = limits.window().toNanos();
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() >= windowNanos) {
            restarts.removeFirst();
        }
        if (restarts.size() >= limits.maxRestarts()) {
            return new Decision.GiveUp(restarts.size());
        }
        restarts.addLast(nowNanos);
        int n = restarts.size();
        long base = limits.base().toNanos();
        long cap = limits.maxBackoff().toNanos();
        // 2^(n-1) overflows past n = 63; the cap is reached long before.
        long backoff = n > 40 ? cap : Math.min(cap, base << (n - 1));
        return new Decision.Restart(Duration.ofNanos(backoff), n);
    }

    /** Forgets every restart: a reload gives each slot a fresh budget. */
    void reset() {
        restarts.clear();
    }
}
