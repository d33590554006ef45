package dev.pounce.api;

/**
 * Size and count limits on what a client may send. Each has a safe default; exceeding one gets the protocol's own
 * answer and, for HTTP/1.1, a closed connection.
 *
 * @param maxRequestLineSize       bytes in the HTTP/1.1 request line (method, target, version); default 8192;
 *                                 over it: 414 URI Too Long (RFC 9112 section 3)
 * @param maxHeaderSize            bytes in the whole header block; default 65536; over it: 431 (RFC 6585 section 5)
 * @param maxHeaders               header fields in one request; default 100; over it: 431
 * @param maxRequestBodySize       bytes in one request body; default 1 MiB, 0 for no limit; over it: 413
 *                                 (RFC 9110 section 15.5.14)
 * @param maxConnections           open connections per worker; default 10000, 0 for no limit; over it the new
 *                                 connection gets 503 with {@code Retry-After: 5} and is closed
 * @param maxRequestsPerConnection requests served on one keep-alive connection before it is closed; 0 (the
 *                                 default) for no limit
 * @param limitMaxRequests         requests a worker serves before it drains and stops (uvicorn's
 *                                 {@code --limit-max-requests}); 0 (the default) for no limit
 */
public record Limits(
        int maxRequestLineSize,
        int maxHeaderSize,
        int maxHeaders,
        long maxRequestBodySize,
        int maxConnections,
        int maxRequestsPerConnection,
        long limitMaxRequests) {

    /** The defaults described above. */
    public static final Limits DEFAULT = new Limits(8192, 65536, 100, 1 << 20, 10_000, 0, 0);
}
