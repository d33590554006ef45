package dev.pounce.runtime.internal.lifecycle;

/** What the driver must do after a transition. */
public sealed interface Effect {

    /**
     * Close the listeners and let connections finish, up to the graceful-shutdown timeout; then report
     * {@link ServerMessage.WorkersStopped}.
     *
     * @param reason why, for the log and the drain event
     */
    record DrainWorkers(String reason) implements Effect { }

    /**
     * Start generation N+1 beside N, then drain N; then report {@link ServerMessage.ReloadFinished}.
     *
     * @param trigger what asked for it
     */
    record StartReload(String trigger) implements Effect { }

    /** Close every listener and connection now. */
    record StopWorkersNow() implements Effect { }

    /** Run lifespan shutdown; then report {@link ServerMessage.LifespanFinished}. */
    record RunLifespanShutdown() implements Effect { }

    /**
     * Release what is left (socket files), announce the stop and let waiters go.
     *
     * @param exitCode the process exit status
     * @param graceful whether in-flight requests all finished
     */
    record Finish(int exitCode, boolean graceful) implements Effect { }
}
