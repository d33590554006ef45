package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.LifecycleEvent;

/** Where the runtime's lifecycle events go: every listener, each failure-isolated. */
public interface EventSink {

    /**
     * Delivers an event. Must not throw.
     *
     * @param event what happened
     */
    void publish(LifecycleEvent event);

    /** @return whether any listener wants events at all, so per-request events are not built for nobody */
    boolean active();
}
