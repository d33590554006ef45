package dev.pounce.spi;

/**
 * The one door from a protocol to the application. The runtime implements it: it builds the scope (path decoding,
 * root path, worker identity, later proxy headers and request ids), answers built-in endpoints, starts the app on a
 * virtual thread and turns the app's {@code Receive} and {@code Send} into calls on the protocol's side: an
 * {@link HttpExchange} for an HTTP request, a {@link WebSocketSession} for a WebSocket. So every protocol gets the
 * same scope rules, limits, access log and metrics.
 */
public interface Bridge {

    /**
     * Serves one HTTP request. Called by a protocol on the event loop once a request head is complete and valid.
     * Returns at once; the app runs elsewhere. The protocol then feeds the request body, if any, into the returned
     * sink, and must not call the sink before this method returns.
     *
     * @param exchange the protocol's side of this request
     * @return where the protocol delivers the body and tells of a disconnect
     */
    RequestBodySink serve(HttpExchange exchange);

    /**
     * Serves one WebSocket session whose handshake the WebSocket plugin has checked. Called on the event loop.
     * Returns at once; the app runs elsewhere: it first receives {@code Connect}, then answers with {@code Accept}
     * (which the bridge turns into {@link WebSocketSession#accept}) or a denial ({@link WebSocketSession#deny}; an
     * app that closes or returns before accepting gets {@code 403}). The plugin delivers each whole message and the
     * one disconnect into the returned inbound side.
     *
     * @param session the plugin's side of this session
     * @return where the plugin delivers messages and the disconnect
     */
    WebSocketInbound serveWebSocket(WebSocketSession session);

    /**
     * Tells the runtime that a protocol answered bad input itself (400, 408, 413, 414, 431, 501) without an
     * exchange, so it is logged and counted like any other response. Called on the event loop.
     *
     * @param connection the connection
     * @param status     the status sent
     * @param reason     a short reason, such as {@code duplicate Content-Length}
     */
    void rejected(ConnectionInfo connection, int status, String reason);
}
