package dev.pounce.api;

/**
 * A configuration value is out of range or malformed. The message names the field and what is allowed, such as
 * {@code port must be between 0 and 65535, got 70000}.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the {@link ServerConfig} field, as its builder method is named
     * @param message what is wrong and what is allowed, starting with the field name
     */
    public ConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** @return the field at fault, as its builder method is named (for example {@code maxHeaderSize}) */
    public String field() {
        return field;
    }
}
