package dev.pounce.api;

import java.util.Objects;

/**
 * A response's status and fields as a {@link Middleware#onResponseStart} hook sees them, just before they are
 * written. Changeable by the hooks of one response, which run one after another on its thread; not thread-safe, and
 * not to be kept after the hook returns.
 *
 * <p>The methods say whether they may replace what is there: {@link #setIfAbsent} never does (the rule for a hook
 * that adds a default, such as a security header), {@link #addToList} adds a token to a list field such as
 * {@code Vary} without losing the tokens already there, and {@link #replace} and {@link #remove} are for a hook whose
 * purpose is to change what the app said.
 */
public final class ResponseHead {

    private final int status;
    private Headers headers;

    /**
     * @param status  the status about to be sent
     * @param headers the fields about to be sent
     */
    public ResponseHead(int status, Headers headers) {
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    /** @return the status about to be sent */
    public int status() {
        return status;
    }

    /** @return the fields as they stand now */
    public Headers headers() {
        return headers;
    }

    /**
     * @param name a field name, any case
     * @return whether the field is set
     */
    public boolean has(String name) {
        return headers.contains(name);
    }

    /**
     * Sets a field unless it is already set, by the app or by a hook that ran before.
     *
     * @param name  a field name
     * @param value its value, without CR, LF or NUL
     * @return whether it was set
     */
    public boolean setIfAbsent(String name, String value) {
        if (headers.contains(name)) {
            return false;
        }
        headers = headers.with(name, value);
        return true;
    }

    /**
     * Sets a field, removing any value it had.
     *
     * @param name  a field name
     * @param value its value, without CR, LF or NUL
     */
    public void replace(String name, String value) {
        headers = without(name).with(name, value);
    }

    /**
     * Removes every value of a field.
     *
     * @param name a field name, any case
     */
    public void remove(String name) {
        headers = without(name);
    }

    /**
     * Adds a token to a comma-separated list field ({@code Vary: Origin}), unless the field already lists it (in any
     * case) or is {@code *}. The values already there stay.
     *
     * @param name  a list field's name
     * @param token the token to add
     */
    public void addToList(String name, String token) {
        for (String value : headers.all(name)) {
            for (String item : value.split(",")) {
                String t = item.strip();
                if (t.equalsIgnoreCase(token) || t.equals("*")) {
                    return;
                }
            }
        }
        headers = headers.with(name, token);
    }

    private Headers without(String name) {
        if (!headers.contains(name)) {
            return headers;
        }
        var b = Headers.builder();
        headers.forEach((n, v) -> {
            if (!n.equalsIgnoreCase(name)) {
                b.add(n, v);
            }
        });
        return b.build();
    }
}
