package dev.pounce.api;

/**
 * Messages of the server's lifespan (ASGI {@code lifespan.*}). The server sends {@link Startup} before it serves and
 * {@link Shutdown} after it has drained; the app answers each with its complete or failed reply.
 */
public sealed interface LifespanMessage extends Message {

    /** The server is starting; answer with {@link StartupComplete} or {@link StartupFailed}. */
    record Startup() implements LifespanMessage {
    }

    /** The app is ready to serve. */
    record StartupComplete() implements LifespanMessage {
    }

    /**
     * The app cannot start; the server refuses to serve and exits with this message.
     *
     * @param message why
     */
    record StartupFailed(String message) implements LifespanMessage {
    }

    /** The server has stopped serving; answer with {@link ShutdownComplete} or {@link ShutdownFailed}. */
    record Shutdown() implements LifespanMessage {
    }

    /** The app has released what it held. */
    record ShutdownComplete() implements LifespanMessage {
    }

    /**
     * The app's shutdown failed; the server logs it and exits all the same.
     *
     * @param message why
     */
    record ShutdownFailed(String message) implements LifespanMessage {
    }
}
