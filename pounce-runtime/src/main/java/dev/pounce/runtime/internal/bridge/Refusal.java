package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Headers;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.WebSocketSession;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * The server's answer to a request a load limit refuses before the app sees it: {@code 503} when the worker is at
 * its cap on requests in flight ({@link ConcurrencyLimit}), {@code 429} when the client is over its rate
 * ({@link RateLimiter}). Each carries {@code Retry-After}, a short text body (the Python Pounce's words) and the
 * request id, and is written by the protocol as any response, so HTTP/1.1 keeps the connection (reading and dropping
 * a request body left unread, within its limit) and HTTP/2 and HTTP/3 end only that stream.
 *
 * @param status     {@code 503} or {@code 429}
 * @param retryAfter the seconds {@code Retry-After} gives
 * @param reason     a few words for the debug log
 */
record Refusal(int status, long retryAfter, String reason) {

    /**
     * {@code Retry-After} of a {@code 503}: the Python Pounce's. A slot frees when some request ends, which the
     * server cannot foresee; five seconds lets a spike pass before the client comes back.
     */
    static final long OVERLOADED_RETRY_AFTER = 5;

    private static final byte[] OVERLOADED_BODY = "Service Unavailable - Server Overloaded\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RATE_LIMITED_BODY = "Too Many Requests\n".getBytes(StandardCharsets.US_ASCII);

    /** @return the answer when no slot is free and the queue is full, or the wait in the queue is over */
    static Refusal overloaded(String reason) {
        return new Refusal(503, OVERLOADED_RETRY_AFTER, reason);
    }

    /**
     * @param retryAfter the seconds until the client's bucket has a token
     * @return the answer when the client is over its rate
     */
    static Refusal rateLimited(long retryAfter) {
        return new Refusal(429, retryAfter, "client over --rate-limit-requests-per-second");
    }

    /** @return the body */
    byte[] body() {
        return status == 429 ? RATE_LIMITED_BODY : OVERLOADED_BODY;
    }

    /**
     * @param requestId the request's id
     * @return the answer's fields
     */
    Headers headers(String requestId) {
        return Headers.of("content-type", "text/plain; charset=utf-8", "retry-after", Long.toString(retryAfter),
                "content-length", Integer.toString(body().length), RequestIds.HEADER, requestId);
    }

    /**
     * Answers an HTTP request, whole, on the event loop.
     *
     * @return the bytes of the body sent, for the access log
     */
    int answer(HttpExchange exchange, String requestId) {
        byte[] body = body();
        exchange.start(status, headers(requestId), Unpooled.wrappedBuffer(body), true);
        return body.length;
    }

    /**
     * Denies a WebSocket handshake with the same answer.
     *
     * @return the bytes of the body sent, for the access log
     */
    int deny(WebSocketSession session, String requestId) {
        byte[] body = body();
        session.deny(status, headers(requestId), Unpooled.wrappedBuffer(body));
        return body.length;
    }
}
