package dev.pounce.api;

import java.io.IOException;

/**
 * The app's outbound channel. {@code send} queues the message and returns; it blocks only while the peer cannot
 * take more (backpressure), up to the write timeout. A whole streamed response is never buffered.
 */
@FunctionalInterface
public interface Send {

    /**
     * Sends one message.
     *
     * @param message the message, of the scope's kind (HTTP messages for an {@link HttpScope}, and so on)
     * @throws IOException if the client has gone away or did not read within the write timeout
     * @throws InterruptedException if the app's thread is interrupted while blocked
     * @throws IllegalStateException if the message is out of order (a body before the start, anything after the
     *                               last body chunk)
     */
    void send(Message message) throws IOException, InterruptedException;
}
