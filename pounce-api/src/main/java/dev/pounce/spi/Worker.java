package dev.pounce.spi;

import dev.pounce.api.WorkerIdentity;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One worker: an event loop with its listener and its connections. Methods may be called from any thread. */
public interface Worker {

    /** @return its slot and generation */
    WorkerIdentity identity();

    /**
     * Binds (or joins the shared acceptor) and starts accepting.
     *
     * @throws Exception if the listener cannot be bound; the worker has then released what it took
     */
    void start() throws Exception;

    /**
     * Stops accepting and lets connections finish: idle keep-alive connections close now, busy ones after their
     * current request. {@link #terminated()} completes when the last connection is gone.
     *
     * @param reason why, for the log and events
     */
    void drain(String reason);

    /**
     * Drains for a full server shutdown: as {@link #drain}, except that the listener stays open while connections
     * finish, and each new connection is answered with Pounce's drain response ({@code 503}, {@code Retry-After: 1},
     * {@code Connection: close}) instead of being refused. Called by the runtime once, on its {@code pounce-drain}
     * thread. The default drains.
     *
     * @param reason why, for the log and events
     */
    default void drainForShutdown(String reason) {
        drain(reason);
    }

    /** Closes every connection and the event loop now. */
    void stop();

    /** @return completes once the worker has stopped, after a drain or a stop */
    CompletableFuture<Void> terminated();

    /**
     * Why the worker ended on its own, if it did: a child JVM that exited, an event loop that died, anything but a
     * {@link #drain}, {@link #drainForShutdown} or {@link #stop} that was asked for (a worker that drains itself
     * at {@code --limit-max-requests} did ask). Read by the supervisor on its {@code pounce-supervisor} thread once
     * {@link #terminated()} has completed; a present value makes it restart the slot. Must not block.
     *
     * @return the failure for people, such as {@code exited with status 1}; empty while running or after an
     *         orderly end
     */
    default Optional<String> failure() {
        return Optional.empty();
    }

    /** @return connections open right now */
    int activeConnections();
}
