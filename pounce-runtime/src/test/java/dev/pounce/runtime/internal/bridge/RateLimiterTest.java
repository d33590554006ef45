package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.LoadLimits;
import dev.pounce.api.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token buckets of {@code --rate-limit}, on a clock the test moves by hand, so that refill is tested to the
 * nanosecond with no waiting: the burst, the refill, {@code Retry-After}, the bounded table and who it forgets, and
 * how addresses are grouped.
 */
class RateLimiterTest {

    /** A clock that stands still until the test moves it. */
    private static final class Clock {
        long nanos = 1_000_000_000L;

        void advance(long amount, TimeUnit unit) {
            nanos += unit.toNanos(amount);
        }
    }

    private final Clock clock = new Clock();

    private RateLimiter limiter(double rate, int burst, int maxTracked, int ipv6Prefix) {
        LoadLimits limits = ServerConfig.builder().rateLimitEnabled(true).rateLimitRequestsPerSecond(rate)
                .rateLimitBurst(burst).rateLimitMaxTrackedIps(maxTracked).rateLimitIpv6Prefix(ipv6Prefix).build()
                .loadLimits();
        return new RateLimiter(limits, () -> clock.nanos);
    }

    private static Optional<Endpoint> client(String host) {
        return Optional.of(new Endpoint(host, 40000));
    }

    @Test
    void aNewClientHasExactlyTheBurstThenWaitsForTheRefill() {
        var limiter = limiter(2, 3, 100, 64);
        var a = client("192.0.2.1");
        assertEquals(0, limiter.take(a));
        assertEquals(0, limiter.take(a));
        assertEquals(0, limiter.take(a), "the burst's last token");
        assertEquals(1, limiter.take(a), "one over the burst: a token comes in half a second, said as 1 s");

        clock.advance(499, TimeUnit.MILLISECONDS);
        assertEquals(1, limiter.take(a), "a refused request takes nothing, and 0.998 tokens are not one");
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertEquals(0, limiter.take(a), "at 2 per second, one token after exactly 500 ms");
        assertEquals(1, limiter.take(a));
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilATokenIsThere() {
        var limiter = limiter(0.25, 1, 100, 64);
        var a = client("192.0.2.1");
        assertEquals(0, limiter.take(a));
        assertEquals(4, limiter.take(a), "one token every 4 s");
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(3, limiter.take(a));
        clock.advance(2500, TimeUnit.MILLISECONDS);
        assertEquals(1, limiter.take(a), "half a second left is said as 1 s, never 0");
        clock.advance(500, TimeUnit.MILLISECONDS);
        assertEquals(0, limiter.take(a));
    }

    @Test
    void aBucketRefillsToTheBurstAndNoFurther() {
        var limiter = limiter(1000, 2, 100, 64);
        var a = client("192.0.2.1");
        clock.advance(1, TimeUnit.DAYS);
        assertEquals(0, limiter.take(a));
        clock.advance(1, TimeUnit.DAYS);
        assertEquals(0, limiter.take(a));
        assertEquals(0, limiter.take(a));
        assertEquals(1, limiter.take(a), "a day of rest buys the burst, not a day's worth of tokens");
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        var limiter = limiter(1, 1, 100, 64);
        assertEquals(0, limiter.take(client("192.0.2.1")));
        assertEquals(1, limiter.take(client("192.0.2.1")));
        assertEquals(0, limiter.take(client("192.0.2.2")));
        assertNotEquals(0, limiter.take(Optional.of(new Endpoint("192.0.2.1", 1))), "the port is no part of the client");
    }

    @Test
    void theTableHoldsAtMostItsBoundHoweverManyClientsCome() {
        var limiter = limiter(1, 1, 1000, 64);
        for (int i = 0; i < 20_000; i++) {
            int n = i;
            assertEquals(0, limiter.take(client("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255))));
            assertTrue(limiter.tracked() <= 1000, () -> "tracked " + limiter.tracked() + " after " + (n + 1));
        }
        assertEquals(1000, limiter.tracked());
        for (int i = 0; i < 20_000; i++) {
            limiter.take(client("2001:db8:" + Integer.toHexString(i) + "::1"));
        }
        assertEquals(1000, limiter.tracked(), "IPv6 networks count against the same bound");
    }

    @Test
    void atTheBoundNothingIsForgottenAndOneOverForgetsTheClientSeenLeastRecently() {
        var limiter = limiter(0.001, 1, 3, 64);
        for (String c : new String[]{"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
            assertEquals(0, limiter.take(client(c)));
        }
        assertEquals(3, limiter.tracked(), "exactly at the bound");
        // The first to come is seen again: now .2 is the one seen least recently, then .3, then .1.
        assertNotEquals(0, limiter.take(client("192.0.2.1")), "remembered at the bound, its bucket empty");

        // One over: the fourth client pushes out .2, not .1, which came first but was seen since.
        assertEquals(0, limiter.take(client("192.0.2.4")));
        assertEquals(3, limiter.tracked());
        assertNotEquals(0, limiter.take(client("192.0.2.1")), "seen recently: still remembered");
        assertNotEquals(0, limiter.take(client("192.0.2.3")), "still remembered");
        assertNotEquals(0, limiter.take(client("192.0.2.4")));
        assertEquals(0, limiter.take(client("192.0.2.2")), "forgotten, so it starts again with a full bucket");
    }

    @Test
    void ipv6ClientsInOneNetworkOfThePrefixShareABucket() {
        var limiter = limiter(0.001, 1, 100, 64);
        assertEquals(0, limiter.take(client("2001:db8:0:1:0:0:0:1")));
        assertNotEquals(0, limiter.take(client("2001:db8:0:1:ffff:ffff:ffff:ffff")), "same /64");
        assertNotEquals(0, limiter.take(client("2001:db8:0:1::9%eth0")), "same /64, the zone is ignored");
        assertEquals(0, limiter.take(client("2001:db8:0:2::1")), "the next /64");

        var per48 = limiter(0.001, 1, 100, 48);
        assertEquals(0, per48.take(client("2001:db8:aa:1::1")));
        assertNotEquals(0, per48.take(client("2001:db8:aa:ffff::1")), "same /48");
        assertEquals(0, per48.take(client("2001:db8:ab::1")));

        var per128 = limiter(0.001, 1, 100, 128);
        assertEquals(0, per128.take(client("2001:db8::1")));
        assertEquals(0, per128.take(client("2001:db8::2")), "/128: every address is its own client");
        assertNotEquals(0, per128.take(client("2001:db8:0:0:0:0:0:1")), "the same address, written out");
    }

    @Test
    void prefixesCutTheRightBits() {
        assertEquals(RateLimiter.keyOf("2001:db8:1234:5678::", 64), RateLimiter.keyOf("2001:db8:1234:5678:1:2:3:4", 64));
        assertNotEquals(RateLimiter.keyOf("2001:db8:1234:5678::", 63), RateLimiter.keyOf("2001:db8:1234:5679::", 64));
        assertEquals(RateLimiter.keyOf("2001:db8:1234:5678::", 63), RateLimiter.keyOf("2001:db8:1234:5679::", 63));
        assertEquals(RateLimiter.keyOf("2001:db8::", 16), RateLimiter.keyOf("2001:ffff::1", 16));
        assertNotEquals(RateLimiter.keyOf("2001:db8::", 16), RateLimiter.keyOf("2002:db8::", 16));
        assertEquals(RateLimiter.keyOf("2001:db8::1:0", 112), RateLimiter.keyOf("2001:db8::1:ffff", 112));
        assertNotEquals(RateLimiter.keyOf("2001:db8::1:0", 112), RateLimiter.keyOf("2001:db8::2:0", 112));
        assertNotEquals(RateLimiter.keyOf("2001:db8::1", 127), RateLimiter.keyOf("2001:db8::2", 127));
        assertEquals(RateLimiter.keyOf("2001:db8::2", 127), RateLimiter.keyOf("2001:db8::3", 127));
    }

    @Test
    void ipv4IsNeverGroupedAndNeverMeetsAnIpv6Client() {
        var limiter = limiter(0.001, 1, 100, 16);
        assertEquals(0, limiter.take(client("192.0.2.1")));
        assertEquals(0, limiter.take(client("192.0.2.2")), "IPv4: one address, one client, whatever the prefix");
        assertNotEquals(0, limiter.take(client("::ffff:192.0.2.1")), "an IPv4-mapped address is that IPv4 client");
        assertEquals(0, limiter.take(client("::1")));
    }

    @Test
    void aRequestWithNoAddressIsNotLimited() {
        var limiter = limiter(0.001, 1, 100, 64);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limiter.take(Optional.empty()));
            assertEquals(0, limiter.take(Optional.of(new Endpoint("/run/pounce.sock", 0))));
        }
        assertEquals(0, limiter.tracked());
    }
}
