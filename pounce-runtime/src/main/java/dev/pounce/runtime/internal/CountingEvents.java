package dev.pounce.runtime.internal;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.runtime.internal.bridge.EventSink;
import dev.pounce.runtime.internal.metrics.ServerMetrics;

/**
 * The supervisor's and the rolling reload's way to the listeners, which counts worker restarts and reloads in the
 * server's metrics as the events pass. So the supervisor and the reload need no knowledge of metrics, and the
 * listeners hear the same events as before.
 */
final class CountingEvents implements EventSink {

    private final EventSink next;
    private final ServerMetrics metrics;

    /**
     * @param next    the listeners
     * @param metrics where restarts and reloads are counted
     */
    CountingEvents(EventSink next, ServerMetrics metrics) {
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public void publish(LifecycleEvent event) {
        switch (event) {
            case LifecycleEvent.WorkerRestarted r -> metrics.workerRestarted();
            case LifecycleEvent.ReloadCompleted r -> metrics.reloaded(true);
            case LifecycleEvent.ReloadFailed r -> metrics.reloaded(false);
            default -> { }
        }
        next.publish(event);
    }

    @Override
    public boolean active() {
        return next.active();
    }
}
