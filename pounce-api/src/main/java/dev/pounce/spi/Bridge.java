package dev.pounce.spi;

import dev.pounce.api.Headers;

/**
 * The one door from a protocol to the application. The runtime implements it: it builds the scope (path decoding,
 * root path, worker identity, request id, later proxy headers), answers built-in endpoints (the health path), starts
 * the app on a virtual thread and turns the app's {@code Receive} and {@code Send} into calls on the protocol's side:
 * an {@link HttpExchange} for an HTTP request, a {@link WebSocketSession} for a WebSocket. So every protocol gets the
 * same scope rules, request ids, limits, health endpoint, access log and metrics.
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
     * Tells the runtime that a protocol answers bad input itself (400, 408, 413, 414, 431, 501) without an
     * exchange, so it is logged and counted like any other response. Called on the event loop, just before the
     * protocol writes its answer.
     *
     * @param connection the connection
     * @param status     the status sent
     * @param reason     a short reason, such as {@code duplicate Content-Length}
     * @return header fields the protocol adds to its answer: the request id the runtime gave the rejected request
     *         ({@code x-request-id}), which is also in its access-log line; may be empty
     */
    Headers rejected(ConnectionInfo connection, int status, String reason);
}
