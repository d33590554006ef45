package dev.pounce.runtime;

/** An {@link AppReference} does not lead to an app. The message is one line for a person, without the cause's trace. */
public final class AppLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the one-line reason */
    public AppLoadException(String message) {
        super(message);
    }

    /**
     * @param message the one-line reason
     * @param cause   the underlying failure
     */
    public AppLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
