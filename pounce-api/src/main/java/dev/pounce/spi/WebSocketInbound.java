package dev.pounce.spi;

import io.netty.buffer.ByteBuf;

/**
 * Where the WebSocket plugin delivers one session's messages, returned by {@link Bridge#serveWebSocket}. Called on
 * the event loop only, in order; never before {@link WebSocketSession#accept} was called. An accepted session hears
 * its messages, then {@link #onDisconnect} once, then {@link #onEnded} once.
 */
public interface WebSocketInbound {

    /**
     * A whole text message, its UTF-8 already checked.
     *
     * @param text  the message
     * @param bytes its size in bytes on the wire, which the app's receive gives back through
     *              {@link WebSocketSession#consumed}
     */
    void onText(String text, int bytes);

    /**
     * A whole binary message.
     *
     * @param bytes the message; ownership passes to the bridge
     */
    void onBinary(ByteBuf bytes);

    /**
     * The session ended: the client closed it, went away, or broke the protocol. Comes once, also when the app closed
     * first (then with the code the client answered).
     *
     * @param code   the close code received, 1006 when the connection was lost without one, or the code the server
     *               sent for a protocol error (1002, 1007, 1009)
     * @param reason the close reason, possibly empty
     */
    void onDisconnect(int code, String reason);

    /**
     * The session is over: the close handshake is done or was cut, and the tunnel is closed. The last call, made
     * once for every accepted session, after {@link #onDisconnect}. The bridge writes the session's access-log line
     * once both this has come and the app has returned. The default does nothing.
     *
     * @param summary what the session carried and how it ended
     */
    default void onEnded(WebSocketSummary summary) {
    }
}
