package dev.pounce.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A started server. Thread-safe; {@link #close()} shuts it down gracefully and waits. */
public interface ServerHandle extends AutoCloseable {

    /** @return the bound addresses for people: {@code http://127.0.0.1:8000} or {@code unix:/run/app.sock} */
    List<String> addresses();

    /** @return the bound TCP address (the real port when port 0 was asked for), absent on a Unix socket */
    Optional<InetSocketAddress> tcpAddress();

    /**
     * Starts a graceful shutdown: stop accepting, let in-flight requests finish up to the graceful-shutdown
     * timeout, run lifespan shutdown, release the sockets. Returns at once; idempotent.
     */
    void shutdown();

    /**
     * Starts a rolling reload, as SIGHUP does: a new generation of workers starts beside the old one (in-JVM workers
     * load the app again in a fresh class loader, so changed code is picked up; process workers are new JVMs), and
     * once every new worker serves, the old generation drains. If the new generation cannot start, the old one keeps
     * serving. Returns at once; the outcome is published as {@link dev.pounce.api.LifecycleEvent.ReloadCompleted} or
     * {@link dev.pounce.api.LifecycleEvent.ReloadFailed}. Ignored while a reload or a shutdown runs.
     */
    void reload();

    /** Stops at once: closes every connection without waiting. Idempotent. */
    void stopNow();

    /**
     * Waits until the server has stopped.
     *
     * @param timeout how long to wait
     * @return true if it stopped in time
     * @throws InterruptedException if interrupted
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /**
     * Waits until the server has stopped.
     *
     * @throws InterruptedException if interrupted
     */
    void awaitTermination() throws InterruptedException;

    /** @return 0 after a graceful stop, 1 after a forced one or a failure; -1 while running */
    int exitCode();

    /** Shuts down gracefully and waits for the end. */
    @Override
    void close();
}
