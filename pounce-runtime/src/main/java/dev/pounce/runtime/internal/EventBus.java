package dev.pounce.runtime.internal;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.LifecycleListener;
import dev.pounce.runtime.internal.bridge.EventSink;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Delivers each event to every listener; a listener that throws is logged and the rest still hear. */
public final class EventBus implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.SERVER);

    private final List<LifecycleListener> listeners;

    /** @param listeners who hears each event, in order */
    public EventBus(List<LifecycleListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void publish(LifecycleEvent event) {
        for (LifecycleListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (Throwable t) {
                LOG.warn("lifecycle listener {} failed on {}", l.getClass().getName(), event, t);
            }
        }
    }

    @Override
    public boolean active() {
        return !listeners.isEmpty();
    }
}
