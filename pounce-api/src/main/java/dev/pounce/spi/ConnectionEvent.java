package dev.pounce.spi;

/**
 * Signals the runtime sends down a connection's pipeline with {@code fireUserEventTriggered}. A protocol handler
 * reacts in {@code userEventTriggered} on the event loop.
 */
public enum ConnectionEvent {
    /**
     * The worker is draining: finish what is in flight, start nothing new, then close. HTTP/1.1 closes an idle
     * connection at once and sends {@code Connection: close} on the current response; HTTP/2 sends GOAWAY.
     */
    DRAIN
}
