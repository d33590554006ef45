package dev.pounce.spi;

/**
 * Takes a connection over from another protocol: HTTP/1.1 {@code Upgrade: websocket} or {@code Upgrade: h2c}, or an
 * HTTP/2 extended CONNECT. Found by {@link java.util.ServiceLoader} and handed to protocols through
 * {@link ConnectionContext#upgrades()}, so {@code pounce-ws} plugs into {@code pounce-h1} without either naming the
 * other. Instances are shared by all connections.
 */
public interface UpgradeHandler {

    /**
     * @return the protocol token this handler takes, lower-case, as in the {@code Upgrade} header or the
     *         {@code :protocol} pseudo-header: {@code websocket}, {@code h2c}
     */
    String token();

    /**
     * Offered a request that asks for {@link #token()}. Called on the event loop by the origin protocol once the
     * request head is complete, before any of it reaches the app. To take the connection the handler writes its
     * answer (such as 101) and installs its own handlers after {@link UpgradeRequest#detach()}; to decline it
     * returns false without touching the channel, and the origin protocol serves the request as usual.
     *
     * @param request the request and the means to take the connection
     * @return whether the handler took the connection
     */
    boolean upgrade(UpgradeRequest request);
}
