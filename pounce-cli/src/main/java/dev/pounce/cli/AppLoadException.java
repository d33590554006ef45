package dev.pounce.cli;

/** The APP argument does not lead to an app. The message is one line for a person, without the cause's trace. */
final class AppLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    AppLoadException(String message) {
        super(message);
    }

    AppLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
