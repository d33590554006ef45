package dev.pounce.runtime;

/**
 * The server could not start. The message is one line meant for a person, naming what is at fault: the port in
 * use, the missing protocol plugin, the failed lifespan startup.
 */
public final class ServerStartException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the one-line reason */
    public ServerStartException(String message) {
        super(message);
    }

    /**
     * @param message the one-line reason
     * @param cause   the underlying failure
     */
    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
