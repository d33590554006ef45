package dev.pounce.runtime.internal.failure;

/** The server cannot start; the message is one line naming what is at fault (a port, a file, a plugin). */
public final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the one-line reason */
    public StartFailure(String message) {
        super(message);
    }

    /**
     * @param message the one-line reason
     * @param cause   the underlying failure
     */
    public StartFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
