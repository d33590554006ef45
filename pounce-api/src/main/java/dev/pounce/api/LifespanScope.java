package dev.pounce.api;

import java.util.Map;
import java.util.Objects;

/**
 * The server's lifespan (ASGI {@code lifespan} scope): served once before the server accepts connections and ended
 * after it has drained. An app that does not handle it may simply return or throw; the server then serves without
 * lifespan events.
 *
 * @param state      the state the app fills at startup; every later scope sees the same map
 * @param extensions server extras
 */
public record LifespanScope(Map<String, Object> state, Map<String, Object> extensions) implements Scope {
    /** Checks that every part is present. */
    public LifespanScope {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(extensions, "extensions");
    }
}
