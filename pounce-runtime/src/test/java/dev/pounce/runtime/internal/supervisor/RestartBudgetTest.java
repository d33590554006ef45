package dev.pounce.runtime.internal.supervisor;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RestartBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    private final RestartBudget budget = new RestartBudget(RestartBudget.DEFAULT);

    private static RestartBudget.Decision restart(long millis, int n) {
        return new RestartBudget.Decision.Restart(Duration.ofMillis(millis), n);
    }

    @Test
    void backoffDoublesFromHalfASecond() {
        long t = 1000 * SECOND;
        assertEquals(restart(500, 1), budget.onDeath(t));
        assertEquals(restart(1000, 2), budget.onDeath(t + SECOND));
        assertEquals(restart(2000, 3), budget.onDeath(t + 2 * SECOND));
        assertEquals(restart(4000, 4), budget.onDeath(t + 3 * SECOND));
        assertEquals(restart(8000, 5), budget.onDeath(t + 4 * SECOND));
    }

    @Test
    void theSixthDeathWithinTheWindowGivesUp() {
        for (int i = 0; i < 5; i++) {
            budget.onDeath(i * SECOND);
        }
        assertEquals(new RestartBudget.Decision.GiveUp(5), budget.onDeath(59 * SECOND));
        // Giving up does not count as a restart.
        assertEquals(new RestartBudget.Decision.GiveUp(5), budget.onDeath(59 * SECOND + 1));
    }

    @Test
    void restartsOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 5; i++) {
            budget.onDeath(i * SECOND);
        }
        // At 60 s the first restart (at 0 s) leaves the window: one slot free, and the backoff reflects 5 in window.
        assertEquals(restart(8000, 5), budget.onDeath(60 * SECOND));
        assertEquals(new RestartBudget.Decision.GiveUp(5), budget.onDeath(60 * SECOND + 1));
        assertEquals(restart(500, 1), budget.onDeath(200 * SECOND));
    }

    @Test
    void backoffIsCappedAtThirtySeconds() {
        var wide = new RestartBudget(new RestartBudget.Limits(100, Duration.ofHours(1), Duration.ofMillis(500),
                Duration.ofSeconds(30)));
        RestartBudget.Decision last = null;
        for (int i = 0; i < 80; i++) {
            last = wide.onDeath(i * SECOND);
        }
        assertEquals(restart(30_000, 80), last);
    }

    @Test
    void resetGivesAFreshBudget() {
        for (int i = 0; i < 5; i++) {
            budget.onDeath(i * SECOND);
        }
        budget.reset();
        assertEquals(restart(500, 1), budget.onDeath(6 * SECOND));
    }
}
