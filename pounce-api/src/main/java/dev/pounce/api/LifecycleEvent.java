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
     * A worker ended without being asked to drain or stop: a child JVM that exited, an event loop that died. The
     * supervisor restarts it in its slot unless the slot's restart budget is spent.
     *
     * @param worker its slot and generation
     * @param cause  what is known: the exit status of a child, or the failure
     */
    record WorkerExited(WorkerIdentity worker, String cause) implements LifecycleEvent {
    }

    /**
     * The supervisor started a new worker in the slot of one that died.
     *
     * @param worker           the new worker: the same slot, the next generation
     * @param restartsInWindow restarts of this slot within the restart window, this one included
     * @param backoff          how long the supervisor waited before restarting it
     */
    record WorkerRestarted(WorkerIdentity worker, int restartsInWindow, Duration backoff) implements LifecycleEvent {
    }

    /**
     * A slot died too often and the supervisor gave up on it: it stays down until the server is restarted or
     * reloaded.
     *
     * @param slot     the worker slot
     * @param restarts restarts within the window that were spent
     * @param window   the restart window
     */
    record RestartBudgetSpent(int slot, int restarts, Duration window) implements LifecycleEvent {
    }

    /**
     * A rolling reload began: a new generation of workers starts beside the old one.
     *
     * @param trigger what asked for it: {@code SIGHUP}, {@code api}, or the changed file
     */
    record ReloadStarted(String trigger) implements LifecycleEvent {
    }

    /**
     * The new generation serves and the old one is draining.
     *
     * @param workers       the new generation's workers
     * @param durationNanos time from the start of the reload until every new worker served
     */
    record ReloadCompleted(List<WorkerIdentity> workers, long durationNanos) implements LifecycleEvent {
    }

    /**
     * The new generation could not start (the new code does not load, a worker cannot bind); the old one keeps
     * serving.
     *
     * @param error one line saying why
     */
    record ReloadFailed(String error) implements LifecycleEvent {
    }

    /**
     * A connection was accepted and handed to a protocol.
     *
     * @param worker       the worker that accepted it
     * @param connectionId the connection's id, unique within the worker
     * @param client       the client's address, absent on a Unix socket
     * @param server       the local address
     */
    record ConnectionOpened(WorkerIdentity worker, long connectionId, Optional<Endpoint> client,
                            Optional<Endpoint> server) implements LifecycleEvent {
    }

    /**
     * A connection closed.
     *
     * @param worker         the worker that served it
     * @param connectionId   the connection's id, unique within the worker
     * @param requestsServed requests it carried
     * @param durationNanos  time from accept to close
     */
    record ConnectionClosed(WorkerIdentity worker, long connectionId, long requestsServed, long durationNanos)
            implements LifecycleEvent {
    }

    /**
     * A request head was read and the app is being started for it.
     *
     * @param worker       the worker serving it
     * @param connectionId the connection's id, unique within the worker
     * @param method       the request method
     * @param path         the request path as sent, without the query
     * @param httpVersion  "1.0", "1.1", "2" or "3"
     */
    record RequestStarted(WorkerIdentity worker, long connectionId, String method, String path, String httpVersion)
            implements LifecycleEvent {
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
