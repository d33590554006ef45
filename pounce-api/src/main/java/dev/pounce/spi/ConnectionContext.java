package dev.pounce.spi;

import dev.pounce.api.ServerConfig;

import java.util.List;

/**
 * What the runtime gives a protocol for one connection. Made by the runtime when the connection is accepted (or, for
 * a datagram protocol, registered); read on the connection's event loop.
 */
public interface ConnectionContext {

    /** @return the frozen server configuration */
    ServerConfig config();

    /** @return the door to the application, shared by every connection of the worker */
    Bridge bridge();

    /** @return facts about this connection */
    ConnectionInfo info();

    /**
     * The upgrade providers enabled, which a protocol offers each request that asks for one of their tokens: HTTP/1.1
     * {@code Upgrade:}, HTTP/2 and HTTP/3 extended CONNECT with {@code :protocol}.
     *
     * @return the providers in load order; empty if none
     */
    List<UpgradeProvider> upgrades();

    /**
     * The connection takeovers enabled, which HTTP/1.1 offers a request with {@code Upgrade:} for their token
     * ({@code h2c}).
     *
     * @return the takeovers in load order; empty if none
     */
    List<ConnectionTakeover> takeovers();

    /**
     * Whether the worker is draining. A protocol checks it before starting each new request on a kept-alive
     * connection; {@link ConnectionEvent#DRAIN} tells it when draining starts. A connection that arrives while the
     * server shuts down is draining from its start, and its bridge answers each request with the drain response.
     *
     * @return true once the worker drains
     */
    boolean draining();
}
