package dev.pounce.spi;

import dev.pounce.api.ServerConfig;

import java.util.List;

/**
 * What the runtime gives a protocol for one connection. Made by the runtime when the connection is accepted; read
 * on the connection's event loop.
 */
public interface ConnectionContext {

    /** @return the frozen server configuration */
    ServerConfig config();

    /** @return the door to the application, shared by every connection of the worker */
    Bridge bridge();

    /** @return facts about this connection */
    ConnectionInfo info();

    /**
     * The upgrade handlers present on the module path, for a protocol that supports upgrades (HTTP/1.1
     * {@code Upgrade:}, HTTP/2 extended CONNECT).
     *
     * @return the handlers in load order; empty if none
     */
    List<UpgradeHandler> upgrades();

    /**
     * Whether the worker is draining. A protocol checks it before starting each new request on a kept-alive
     * connection; {@link ConnectionEvent#DRAIN} tells it when draining starts.
     *
     * @return true once the worker drains
     */
    boolean draining();
}
