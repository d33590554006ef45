package dev.pounce.runtime.internal.failure;

/** An app spec cannot be loaded; the message is one line naming the spec and why. */
public final class AppLoadFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the one-line reason */
    public AppLoadFailure(String message) {
        super(message);
    }

    /**
     * @param message the one-line reason
     * @param cause   the underlying failure
     */
    public AppLoadFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
