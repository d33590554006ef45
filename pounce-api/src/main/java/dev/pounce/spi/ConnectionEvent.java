package dev.pounce.spi;

/**
 * Signals the runtime sends down a connection's pipeline with {@code fireUserEventTriggered}. A protocol handler
 * reacts in {@code userEventTriggered} on the event loop.
 */
public enum ConnectionEvent {
    /**
     * The worker is draining: finish what is in flight, start nothing new, then close. HTTP/1.1 sends
     * {@code Connection: close} on the current response, gives an idle connection that has served a request a short
     * grace (0.5 s) for a request already on its way, and lets a fresh connection send its first request; HTTP/2
     * sends GOAWAY; a tunnel's listener hears {@link TunnelListener#onDrain}.
     */
    DRAIN
}
