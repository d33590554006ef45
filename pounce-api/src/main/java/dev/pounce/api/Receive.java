package dev.pounce.api;

/** The app's inbound channel. Blocks until a message is there; the app runs on a virtual thread. */
@FunctionalInterface
public interface Receive {

    /**
     * Takes the next message: for HTTP an {@link HttpMessage.Request} body chunk or an
     * {@link HttpMessage.Disconnect}. After the last body chunk the next call blocks until the client goes away
     * and then gives {@link HttpMessage.Disconnect}, so a streaming response learns when to stop.
     *
     * @return the next message, never {@code null}
     * @throws InterruptedException if the app's thread is interrupted while waiting
     */
    Message receive() throws InterruptedException;
}
