package dev.pounce.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What happens to the server, its workers and its requests, as typed records delivered to every
 * {@link LifecycleListener}. New kinds may be added; a listener switches over the ones it cares about.
 */
public sealed interface LifecycleEvent {

    /**
     * The server is serving: every worker is accepting.
     *
     * @param addresses the bound addresses ({@code http://127.0.0.1:8000}, {@code unix:/run/app.sock})
     * @param workers   how many workers run
     * @param strategy  the worker strategy in use ({@code single} for one worker without a supervisor)
     * @param transport the socket transport ({@code epoll}, {@code io_uring}, {@code nio})
     */
    record ServerStarted(List<String> addresses, int workers, String strategy, String transport)
            implements LifecycleEvent {
    }

    /**
     * A worker is accepting connections.
     *
     * @param worker its slot and generation
     */
    record WorkerStarted(WorkerIdentity worker) implements LifecycleEvent {
    }

    /**
     * A worker has stopped.
     *
     * @param worker its slot and generation
     * @param reason why: {@code shutdown}, {@code max-requests}, or the failure
     */
    record WorkerStopped(WorkerIdentity worker, String reason) implements LifecycleEvent {
    }

    /**
     * The server stopped accepting and is letting in-flight requests finish.
     *
     * @param reason  why: {@code signal}, {@code shutdown}, {@code max-requests}
     * @param timeout how long in-flight requests are given
     */
    record DrainStarted(String reason, Duration timeout) implements LifecycleEvent {
    }

    /**
     * The server has stopped and released its sockets.
     *
     * @param graceful whether every in-flight request finished within the shutdown timeout
     */
    record ServerStopped(boolean graceful) implements LifecycleEvent {
    }

    /**
     * A response was completed (or aborted).
     *
     * @param worker        the worker that served it
     * @param connectionId  the connection's id, unique within the worker
     * @param method        the request method
     * @param path          the request path as sent, without the query
     * @param httpVersion   "1.0", "1.1", "2" or "3"
     * @param status        the response status, 0 if none was sent
     * @param bytesSent     response body bytes written
     * @param durationNanos time from the request head to the end of the response
     * @param client        the client's address
     * @param aborted       whether the response was cut short (app failure or client gone)
     */
    record RequestCompleted(WorkerIdentity worker, long connectionId, String method, String path,
                            String httpVersion, int status, long bytesSent, long durationNanos,
                            Optional<Endpoint> client, boolean aborted) implements LifecycleEvent {
    }
}
