package dev.pounce.spi;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;

/** What the runtime gives a {@link WorkerStrategy}. Its methods may be called from any thread. */
public interface WorkerContext {

    /** @return the frozen configuration */
    ServerConfig config();

    /** @return how many workers to run, resolved ({@code --workers 0} already turned into the processor count) */
    int workers();

    /**
     * Makes one in-JVM worker, not yet started: its own event loop thread, its own listener (bound with
     * {@code SO_REUSEPORT}, or fed by the shared acceptor where that is missing), serving the app.
     *
     * @param slot       0 to workers-1
     * @param generation 0 for the first start of the slot
     * @return the worker
     */
    Worker newWorker(int slot, int generation);

    /**
     * Delivers an event to the server's listeners.
     *
     * @param event what happened
     */
    void publish(LifecycleEvent event);
}
