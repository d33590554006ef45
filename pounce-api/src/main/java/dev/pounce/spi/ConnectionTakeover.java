package dev.pounce.spi;

/**
 * Takes a whole HTTP/1.1 connection over to another protocol on {@code Upgrade:} for its token: {@code h2c}, which
 * switches the connection to HTTP/2 and answers the request that asked as stream 1 (RFC 7540 section 3.2). Unlike an
 * {@link UpgradeProvider}, which is offered one request and gets a tunnel under the origin's framing, a takeover
 * replaces the origin protocol on the connection, so it exists only for HTTP/1.1. Found by
 * {@link java.util.ServiceLoader}; instances are shared by all connections.
 */
public interface ConnectionTakeover {

    /** @return the token this takeover answers, lower-case: {@code h2c} */
    String token();

    /**
     * Offered a request that asks for {@link #token()}, on the event loop, before any of it reaches the app. To take
     * the connection, write the answer (such as 101) and install the new handlers after
     * {@link TakeoverRequest#detach()}; to decline, return false without touching the channel, and HTTP/1.1 serves
     * the request as usual. Must not block.
     *
     * @param request the request and the means to take the connection
     * @return whether the connection was taken
     */
    boolean takeOver(TakeoverRequest request);
}
