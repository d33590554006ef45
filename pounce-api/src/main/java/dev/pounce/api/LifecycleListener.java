package dev.pounce.api;

/**
 * Receives {@link LifecycleEvent}s. Register one in code with the server builder, or provide one from a module
 * ({@code provides dev.pounce.api.LifecycleListener with ...}) so an observability plugin is switched on by dropping
 * its jar on the module path.
 *
 * <p>Called on whichever thread saw the event: an event loop for request events, so it must be thread-safe, fast and
 * must not block. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface LifecycleListener {

    /**
     * Takes one event.
     *
     * @param event what happened
     */
    void onEvent(LifecycleEvent event);
}
