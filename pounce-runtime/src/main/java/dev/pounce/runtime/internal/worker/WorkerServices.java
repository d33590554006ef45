package dev.pounce.runtime.internal.worker;

import dev.pounce.api.App;
import dev.pounce.api.Middleware;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.plugins.EnabledProtocols;
import dev.pounce.runtime.internal.bridge.AltSvc;
import dev.pounce.runtime.internal.bridge.EventSink;
import dev.pounce.runtime.internal.bridge.Readiness;
import dev.pounce.runtime.internal.listen.ServerSockets;
import dev.pounce.runtime.internal.metrics.ServerMetrics;
import dev.pounce.runtime.internal.tls.ServerTls;
import dev.pounce.runtime.internal.transport.Transport;
import dev.pounce.spi.ConnectionPreamble;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every worker of one server shares, all of it frozen or thread-safe.
 *
 * @param config    the frozen config, plugin sections built
 * @param app       the application
 * @param state     the lifespan state
 * @param transport the socket transport
 * @param sockets   the server's listening sockets, which workers take over slot by slot
 * @param workers   how many worker slots share the sockets
 * @param protocols the protocols, upgrades and takeovers enabled
 * @param events    where lifecycle events go
 * @param tls       the TLS context every accepted connection is wrapped in, when TLS is on
 * @param preambles the connection preambles (PROXY protocol), configured, read before TLS and protocol detection
 * @param altSvc    the advertisements added to responses
 * @param readiness whether the server shuts down, which the health endpoint of every generation tells
 * @param metrics   the server's metrics: a slot's counters, which every generation of the slot adds to
 * @param middleware the server's middleware, outermost first, which every generation's app is served inside
 */
public record WorkerServices(ServerConfig config, App app, Map<String, Object> state, Transport transport,
                             ServerSockets sockets, int workers, EnabledProtocols protocols, EventSink events,
                             Optional<ServerTls> tls, List<ConnectionPreamble> preambles, AltSvc altSvc,
                             Readiness readiness, ServerMetrics metrics, List<Middleware> middleware) {

    /**
     * The same services for another copy of the app, as a rolling reload needs.
     *
     * @param newApp   the app loaded again
     * @param newState its lifespan state
     * @return the services serving it
     */
    public WorkerServices withApp(App newApp, Map<String, Object> newState) {
        return new WorkerServices(config, newApp, newState, transport, sockets, workers, protocols, events, tls,
                preambles, altSvc, readiness, metrics, middleware);
    }
}
