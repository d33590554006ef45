package dev.pounce.runtime.internal.lifecycle;

/** What can happen to the server: requests from outside and results of effects. */
public sealed interface ServerMessage {

    /** Every worker is serving. */
    record Started() implements ServerMessage { }

    /**
     * Someone asked for a graceful shutdown through the API.
     *
     * @param reason why
     */
    record ShutdownRequested(String reason) implements ServerMessage { }

    /**
     * A SIGTERM or SIGINT arrived: the first drains, a second stops at once.
     *
     * @param name the signal's name, such as {@code TERM}
     */
    record Signal(String name) implements ServerMessage { }

    /**
     * A rolling reload was asked for: SIGHUP, the API, or a changed file under {@code --reload}.
     *
     * @param trigger what asked for it
     */
    record ReloadRequested(String trigger) implements ServerMessage { }

    /**
     * The reload has ended: the new generation serves, or it could not start and the old one still does.
     *
     * @param succeeded whether the new generation serves
     */
    record ReloadFinished(boolean succeeded) implements ServerMessage { }

    /** Someone asked to stop at once. */
    record StopNow() implements ServerMessage { }

    /**
     * The drain has ended.
     *
     * @param graceful whether every worker finished within the timeout
     */
    record WorkersStopped(boolean graceful) implements ServerMessage { }

    /** Every worker stopped on its own (each reached {@code --limit-max-requests}). */
    record WorkersExited(boolean failed) implements ServerMessage { }

    /** Lifespan shutdown has ended, well or not. */
    record LifespanFinished() implements ServerMessage { }
}
