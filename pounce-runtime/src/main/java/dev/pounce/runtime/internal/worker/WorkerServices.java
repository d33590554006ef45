package dev.pounce.runtime.internal.worker;

import dev.pounce.api.App;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.bridge.EventSink;
import dev.pounce.runtime.internal.transport.Transport;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.UpgradeHandler;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every worker of one server shares, all of it frozen or thread-safe.
 *
 * @param config          the frozen config
 * @param app             the application
 * @param state           the lifespan state
 * @param transport       the socket transport
 * @param target          where to listen
 * @param streamProtocols the stream protocols present
 * @param upgrades        the upgrade handlers present
 * @param events          where lifecycle events go
 * @param acceptor        the shared acceptor, when workers cannot each bind the port
 * @param reusePort       whether each worker's own listener sets {@code SO_REUSEPORT}
 */
public record WorkerServices(ServerConfig config, App app, Map<String, Object> state, Transport transport,
                             BindTarget target, List<ProtocolHandler> streamProtocols, List<UpgradeHandler> upgrades,
                             EventSink events, Optional<SharedAcceptor> acceptor, boolean reusePort) {
}
