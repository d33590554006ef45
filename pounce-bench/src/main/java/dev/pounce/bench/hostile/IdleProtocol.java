package dev.pounce.bench.hostile;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * What {@link IdleConnections} sends on a connection and how it knows a response is complete: HTTP/1.1
 * ({@link IdleHttp1}) or HTTP/2 over cleartext with prior knowledge ({@link IdleH2}). Called on the one selector
 * thread only.
 */
sealed interface IdleProtocol permits IdleHttp1, IdleH2 {

    /** What {@link #consume} found. */
    enum Progress {
        /** The bytes so far end mid-response, or held only control frames. */
        MORE,
        /** A whole response with status 200. */
        DONE_OK,
        /** A whole response with another status, or a stream reset. */
        DONE_BAD,
        /** The server said it will close the connection (HTTP/2 GOAWAY). */
        GOING_AWAY
    }

    /** The protocol's own state on one connection. */
    interface State {
    }

    State newState();

    /** The bytes to send as soon as the connection is up: the first request, with any connection preface. */
    ByteBuffer opening(State state);

    /** One more request on the same connection. */
    ByteBuffer request(State state);

    /**
     * Reads what it can from {@code in} (advancing its position past whole responses and frames only) and says
     * whether a response is complete; control frames that need an answer are answered through {@code reply}.
     */
    Progress consume(State state, ByteBuffer in, Consumer<ByteBuffer> reply);

    static IdleProtocol named(String name, String authority) {
        return switch (name) {
            case "h1", "http1.1" -> new IdleHttp1(authority);
            case "h2", "h2c" -> new IdleH2(authority);
            default -> throw new IllegalArgumentException("--protocol must be h1 or h2, got '" + name + "'");
        };
    }
}
