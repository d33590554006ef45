package dev.pounce.runtime.internal.worker;

import dev.pounce.api.App;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.bridge.EventSink;
import dev.pounce.runtime.internal.tls.ServerTls;
import dev.pounce.runtime.internal.transport.Transport;
import dev.pounce.spi.ConnectionPreamble;
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
 * @param streamProtocols the stream protocols enabled (see {@code EnabledProtocols})
 * @param upgrades        the upgrade handlers enabled
 * @param events          where lifecycle events go
 * @param acceptor        the shared acceptor, when workers cannot each bind the port
 * @param reusePort       whether each worker's own listener sets {@code SO_REUSEPORT}
 * @param tls             the TLS context every accepted connection is wrapped in, when TLS is on
 * @param preambles       the connection preambles (PROXY protocol), read before TLS and protocol detection
 */
public record WorkerServices(ServerConfig config, App app, Map<String, Object> state, Transport transport,
                             BindTarget target, List<ProtocolHandler> streamProtocols, List<UpgradeHandler> upgrades,
                             EventSink events, Optional<SharedAcceptor> acceptor, boolean reusePort,
                             Optional<ServerTls> tls, List<ConnectionPreamble> preambles) {

    /**
     * The same services for another copy of the app, as a rolling reload needs.
     *
     * @param newApp   the app loaded again
     * @param newState its lifespan state
     * @return the services serving it
     */
    public WorkerServices withApp(App newApp, Map<String, Object> newState) {
        return new WorkerServices(config, newApp, newState, transport, target, streamProtocols, upgrades, events,
                acceptor, reusePort, tls, preambles);
    }
}
