package dev.pounce.spi;

/**
 * The one door from a protocol to the application. The runtime implements it: it builds the scope (path decoding,
 * root path, worker identity, later proxy headers and request ids), answers built-in endpoints, starts the app on a
 * virtual thread and turns the app's {@code Receive} and {@code Send} into calls on the {@link HttpExchange}. So
 * every protocol gets the same scope rules, limits, access log and metrics.
 */
public interface Bridge {

    /**
     * Serves one request. Called by a protocol on the event loop once a request head is complete and valid.
     * Returns at once; the app runs elsewhere. The protocol then feeds the request body, if any, into the returned
     * sink, and must not call the sink before this method returns.
     *
     * @param exchange the protocol's side of this request
     * @return where the protocol delivers the body and tells of a disconnect
     */
    RequestBodySink serve(HttpExchange exchange);

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
