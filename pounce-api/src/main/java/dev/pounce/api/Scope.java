package dev.pounce.api;

import java.util.Map;
import java.util.Optional;

/**
 * What the app is asked to serve: an HTTP request, a WebSocket session or the server's lifespan.
 *
 * <p>Switch over it with patterns; the compiler checks that every kind is handled.
 */
public sealed interface Scope permits HttpScope, WebSocketScope, LifespanScope {

    /**
     * Extension key: the request id, a {@link String} (ASGI extension {@code request_id}), on every HTTP and WebSocket
     * scope. See {@link #requestId()}.
     */
    String REQUEST_ID = "request_id";

    /** Extension key: the {@link WorkerIdentity} of the worker serving the scope (ASGI {@code pounce.worker}). */
    String WORKER = "pounce.worker";

    /**
     * The state the app put in place during lifespan startup, shared by every scope of the server.
     *
     * @return a mutable map, the same object for every scope of one server generation
     */
    Map<String, Object> state();

    /**
     * Server-specific extras, keyed by names such as {@link #REQUEST_ID} and {@link #WORKER}.
     *
     * @return an immutable map
     */
    Map<String, Object> extensions();

    /**
     * The worker serving this scope.
     *
     * @return the worker's identity, or slot 0 generation 0 if none was recorded
     */
    default WorkerIdentity worker() {
        return extensions().get(WORKER) instanceof WorkerIdentity w ? w : new WorkerIdentity(0, 0);
    }

    /**
     * The id the server gave this request or WebSocket session. It is the client's {@code X-Request-ID} when a trusted
     * peer sent a valid one (1 to 128 characters of {@code A-Z a-z 0-9 - . _ : + / =}; trusted peers are those of
     * {@link ServerConfig#forwardedAllowIps}, by default the loopback addresses, and Unix domain sockets), otherwise
     * 32 random hex digits made by the server. The server sends
     * it in the response's {@code x-request-id} (unless the app set that field itself) and writes it in every
     * access-log and error line about the request.
     *
     * @return the id; empty for the lifespan scope
     */
    default Optional<String> requestId() {
        return extensions().get(REQUEST_ID) instanceof String id ? Optional.of(id) : Optional.empty();
    }
}
