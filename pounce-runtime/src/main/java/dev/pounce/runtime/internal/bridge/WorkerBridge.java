package dev.pounce.runtime.internal.bridge;

import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionInfo;

/** A worker's {@link Bridge}, which also hears when connections open and close, for their lifecycle events. */
public interface WorkerBridge extends Bridge {

    /**
     * A connection was handed to its protocol. Called on the connection's event loop.
     *
     * @param info the connection, with the addresses a preamble may have replaced
     */
    void connectionOpened(ConnectionInfo info);

    /**
     * A connection closed. Called on the connection's event loop.
     *
     * @param info the connection
     */
    void connectionClosed(ConnectionInfo info);
}
