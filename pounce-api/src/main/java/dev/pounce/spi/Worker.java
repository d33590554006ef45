package dev.pounce.spi;

import dev.pounce.api.WorkerIdentity;

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

    /** Closes every connection and the event loop now. */
    void stop();

    /** @return completes once the worker has stopped, after a drain or a stop */
    CompletableFuture<Void> terminated();

    /** @return connections open right now */
    int activeConnections();
}
