package dev.pounce.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How much work a worker takes on before it refuses more: a cap on requests in flight with a short queue in front of
 * it ({@code 503}), and a per-client token-bucket rate limit ({@code 429}). Both are off by default, both are
 * answered by the server before the app sees the request, and both hold per worker: with N workers the server takes
 * up to N times each figure. Health probes are never limited.
 *
 * @param limitConcurrency           HTTP requests one worker runs at once ({@code --limit-concurrency}, the Python
 *                                   Pounce's {@code request_queue_max_depth}); 0 (the default) for no cap. Past it a
 *                                   request waits in the queue, or, when the queue is full, gets {@code 503} with
 *                                   {@code Retry-After: 5}; a WebSocket handshake is refused the same way while no
 *                                   slot is free, and an accepted session holds no slot
 * @param limitQueue                 requests that may wait for a free slot past {@link #limitConcurrency}
 *                                   ({@code --limit-queue}); 0 (the default) for none: a request past the cap is
 *                                   refused at once. Needs a cap
 * @param queueTimeout               the longest a request waits in that queue before it gets the same {@code 503}
 *                                   ({@code --timeout-queue}); default 1 second, more than 0 and at most a day
 * @param rateLimitEnabled           whether each client address gets a token bucket ({@code --rate-limit}, the
 *                                   Python Pounce's {@code rate_limit_enabled}); default false. A request that finds
 *                                   its bucket empty gets {@code 429} with {@code Retry-After}: the seconds until
 *                                   a token is there
 * @param rateLimitRequestsPerSecond the rate a bucket refills at, tokens per second, more than 0 and at most
 *                                   {@value #MAX_RATE}; default 100 (the Python Pounce's)
 * @param rateLimitBurst             a bucket's size: the requests a new or rested client may send at once, 1 to
 *                                   {@value #MAX_BURST}; default 200 (the Python Pounce's)
 * @param rateLimitMaxTrackedIps     the most client addresses one worker keeps a bucket for, 1 to
 *                                   {@value #MAX_TRACKED}; default 100000 (the Python Pounce's). Past it the
 *                                   address seen least recently is forgotten, and starts again with a full bucket
 * @param rateLimitIpv6Prefix        the bits of an IPv6 client address that name the client, 16 to 128: every
 *                                   address in one such network shares one bucket, so that a host that holds a
 *                                   whole /64 cannot dodge the limit by changing address; default 64. IPv4
 *                                   addresses each have their own bucket
 */
public record LoadLimits(
        int limitConcurrency,
        int limitQueue,
        Duration queueTimeout,
        boolean rateLimitEnabled,
        double rateLimitRequestsPerSecond,
        int rateLimitBurst,
        int rateLimitMaxTrackedIps,
        int rateLimitIpv6Prefix) {

    /** The highest {@link #rateLimitRequestsPerSecond}. */
    public static final int MAX_RATE = 1_000_000_000;
    /** The highest {@link #rateLimitBurst}. */
    public static final int MAX_BURST = 1_000_000_000;
    /** The highest {@link #rateLimitMaxTrackedIps}: about a gigabyte of buckets per worker. */
    public static final int MAX_TRACKED = 10_000_000;
    /** The shortest {@link #rateLimitIpv6Prefix}. */
    public static final int MIN_IPV6_PREFIX = 16;

    /** The defaults described above: both limits off. */
    public static final LoadLimits DEFAULT = new LoadLimits(0, 0, Duration.ofSeconds(1), false, 100, 200, 100_000, 64);

    /** Checks that every part is present; range checks are {@link ServerConfig.Builder#build()}'s. */
    public LoadLimits {
        Objects.requireNonNull(queueTimeout, "queueTimeout");
    }
}
