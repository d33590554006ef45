package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.LoadLimits;
import dev.pounce.api.TrustedProxies;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One worker's per-client rate limit ({@code --rate-limit}): a token bucket for each client address, in a table of
 * bounded size.
 *
 * <p>The client is the one the bridge believes ({@link RequestOrigin#client}): behind a trusted proxy, the address
 * the proxy named. An IPv4 address is a client by itself; an IPv6 address is cut to its first
 * {@code --rate-limit-ipv6-prefix} bits (64 by default), since one host commonly holds a whole /64 and could
 * otherwise take a fresh bucket with each address it picks. A request with no IP address to go by (a Unix domain
 * socket peer with no forwarded client) is not limited: there is nothing to tell its clients apart.
 *
 * <p>A new client's bucket is full ({@code --rate-limit-burst} tokens). Each request takes one; a bucket refills at
 * {@code --rate-limit-requests-per-second} up to full. A request that finds less than one token is refused, and told
 * how many whole seconds until there is one (at least 1, for {@code Retry-After}).
 *
 * <p>The table holds at most {@code --rate-limit-max-tracked-ips} buckets. A new client past that evicts the client
 * seen least recently (the table is in access order, so each request moves its client to the young end). That one
 * is the cheapest to forget: it has been quiet the longest, so its bucket has refilled the most, and forgetting a
 * full bucket changes nothing, since it would come back full. A busy client, seen often, stays. To reset a heavy
 * client by eviction, an attacker must bring more new addresses between two of its requests than the table holds.
 *
 * <p>Not thread-safe on purpose: the bridge calls it on its worker's event loop only, so there is no lock and no
 * table shared between workers.
 */
final class RateLimiter {

    private final double tokensPerNano;
    private final double burst;
    private final int ipv6Prefix;
    private final LongSupplier clock;
    private final Map<ClientKey, Bucket> buckets;

    /** One client's bucket: its tokens as of {@link #updated}. */
    private static final class Bucket {
        private double tokens;
        private long updated;

        private Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    /**
     * A client as the limit counts it: an IPv4 address, or an IPv6 network of the configured prefix, as 128 bits.
     * IPv4 addresses are kept in their IPv4-mapped IPv6 form, {@code ::ffff:a.b.c.d}, which no IPv6 client has
     * (the address parser gives such an address back as IPv4), so the two never share a bucket.
     */
    record ClientKey(long high, long low) {
    }

    /**
     * @param limits the rate, burst, table size and IPv6 prefix
     * @param clock  the time in nanoseconds, as {@link System#nanoTime()}; tests drive their own
     */
    RateLimiter(LoadLimits limits, LongSupplier clock) {
        this.tokensPerNano = limits.rateLimitRequestsPerSecond() / 1e9;
        this.burst = limits.rateLimitBurst();
        this.ipv6Prefix = limits.rateLimitIpv6Prefix();
        this.clock = clock;
        int max = limits.rateLimitMaxTrackedIps();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ClientKey, Bucket> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * @param config the configuration
     * @return the worker's limiter, or empty when {@code --rate-limit} is off
     */
    static Optional<RateLimiter> of(LoadLimits config) {
        return config.rateLimitEnabled() ? Optional.of(new RateLimiter(config, System::nanoTime)) : Optional.empty();
    }

    /**
     * Takes a token for one request of this client.
     *
     * @param client the client as believed
     * @return 0 if the request may go on (a token was taken), else the whole seconds until a token is there, at
     *         least 1
     */
    long take(Optional<Endpoint> client) {
        if (client.isEmpty()) {
            return 0;
        }
        Optional<ClientKey> key = keyOf(client.get().host(), ipv6Prefix);
        if (key.isEmpty()) {
            return 0;
        }
        long now = clock.getAsLong();
        Bucket bucket = buckets.get(key.get());
        if (bucket == null) {
            bucket = new Bucket(burst, now);
            buckets.put(key.get(), bucket);
        } else {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * tokensPerNano);
            bucket.updated = now;
        }
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        double nanos = (1 - bucket.tokens) / tokensPerNano;
        return Math.max(1, (long) Math.ceil(nanos / 1e9));
    }

    /** @return how many clients have a bucket now; never more than {@code --rate-limit-max-tracked-ips} */
    int tracked() {
        return buckets.size();
    }

    /**
     * @param host       a client address as the scope has it: IPv4 in four parts, or IPv6, perhaps with a zone
     * @param ipv6Prefix how many leading bits of an IPv6 address name its client
     * @return the client the limit counts, or empty if the host is not an IP address (a Unix socket's path)
     */
    static Optional<ClientKey> keyOf(String host, int ipv6Prefix) {
        int zone = host.indexOf('%');
        // A link-local address's zone (fe80::1%eth0) says which interface, not which client.
        InetAddress address = TrustedProxies.address(zone < 0 ? host : host.substring(0, zone));
        if (address == null) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return Optional.of(new ClientKey(0, 0xffff_0000_0000L | (bits(b, 0, 4))));
        }
        long high = bits(b, 0, 8);
        long low = bits(b, 8, 8);
        if (ipv6Prefix <= 64) {
            high &= ipv6Prefix == 64 ? -1L : ~(-1L >>> ipv6Prefix);
            low = 0;
        } else if (ipv6Prefix < 128) {
            low &= ~(-1L >>> (ipv6Prefix - 64));
        }
        return Optional.of(new ClientKey(high, low));
    }

    private static long bits(byte[] b, int from, int count) {
        long v = 0;
        for (int i = from; i < from + count; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
