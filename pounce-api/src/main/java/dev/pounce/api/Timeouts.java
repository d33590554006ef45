package dev.pounce.api;

import java.time.Duration;

/**
 * Every time bound the server applies.
 *
 * @param keepAlive        how long an idle keep-alive connection is kept between requests; default 5 s
 * @param header           how long a client may take to send a whole request head (slowloris); default 10 s;
 *                         expiry: 408 and close
 * @param requestBody      how long one wait for request-body progress may last; default 30 s; expiry: 408 and
 *                         close on HTTP/1.1, 408 and RST_STREAM on HTTP/2
 * @param write            how long a response write may stay blocked on a client that does not read; default 30 s;
 *                         expiry: the connection is closed
 * @param gracefulShutdown how long in-flight requests may run after a shutdown signal; default 10 s
 * @param startup          how long lifespan startup may take; default 30 s
 */
public record Timeouts(
        Duration keepAlive,
        Duration header,
        Duration requestBody,
        Duration write,
        Duration gracefulShutdown,
        Duration startup) {

    /** The defaults described above. */
    public static final Timeouts DEFAULT = new Timeouts(
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(30));
}
