package dev.pounce.runtime.internal.lifecycle;

/** Where the server is in its life. */
public sealed interface ServerState {

    /** Binding, lifespan startup, starting workers. */
    record Starting() implements ServerState { }

    /** Every worker accepts. */
    record Serving() implements ServerState { }

    /**
     * A rolling reload runs: generation N+1 starts beside N, which drains once N+1 serves.
     *
     * @param trigger what asked for it
     */
    record Reloading(String trigger) implements ServerState { }

    /**
     * Listeners are closed and in-flight requests finish, up to the graceful-shutdown timeout.
     *
     * @param reason why the server is stopping
     */
    record Draining(String reason) implements ServerState { }

    /**
     * Workers are gone; lifespan shutdown runs.
     *
     * @param graceful whether every in-flight request finished in time
     * @param exitCode the status to exit with once lifespan shutdown is over
     */
    record ShuttingDown(boolean graceful, int exitCode) implements ServerState { }

    /**
     * Done; sockets released.
     *
     * @param exitCode 0 after a shutdown that ran its course, 1 after a forced stop
     */
    record Stopped(int exitCode) implements ServerState { }
}
