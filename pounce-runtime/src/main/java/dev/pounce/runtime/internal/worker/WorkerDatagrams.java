package dev.pounce.runtime.internal.worker;

import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.bridge.WorkerBridge;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.DatagramContext;
import dev.pounce.spi.DatagramProtocol;
import dev.pounce.spi.TlsMaterial;
import dev.pounce.spi.UpgradeProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * A worker's UDP sockets, one per enabled {@link DatagramProtocol}, bound on the same host and port as the TCP
 * listener with {@code SO_REUSEPORT} (so several workers, and a reload's two generations, each have one), and the
 * {@link DatagramContext} each protocol gets. Where the transport has no {@code SO_REUSEPORT}, only slot 0 binds. Unlike the TCP sockets, these
 * belong to the worker generation: a QUIC connection's state lives in the protocol's handlers on that socket.
 *
 * <p>A process worker binds nothing: it registers the sockets its parent opened for its slot and handed over
 * ({@link dev.pounce.runtime.internal.listen.ServerSockets#adoptedDatagram}), which stay in the port's group for the
 * server's life, and tells the protocol the slot is its socket's place there ({@link DatagramContext#socketIndex}).
 */
final class WorkerDatagrams {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.WORKERS);

    private final List<Channel> channels = new ArrayList<>();

    /**
     * Binds and hands each socket to its protocol; on the worker's loop once bound.
     *
     * @throws BindException naming the port when a socket cannot be bound
     * @throws InterruptedException if interrupted
     */
    void bind(WorkerServices services, WorkerIdentity worker, EventLoop loop, WorkerBridge bridge,
              Connections connections, BooleanSupplier draining) throws BindException, InterruptedException {
        List<DatagramProtocol> protocols = services.protocols().datagram();
        Optional<InetSocketAddress> tcp = services.sockets().tcpAddress();
        if (protocols.isEmpty() || tcp.isEmpty()) {
            return;
        }
        boolean several = services.workers() > 1;
        if (several && services.transport().reusePort().isEmpty() && worker.id() != 0) {
            LOG.debug("worker {}: the {} transport cannot share a UDP port; slot 0 serves datagrams alone",
                    worker.id(), services.transport().name());
            return;
        }
        Optional<TlsMaterial> tls = services.tls().map(t -> t.material().withAlpn(services.protocols().datagramAlpn()));
        var context = new Context(services.config(), worker, services.workers(), tls,
                services.protocols().upgrades(), bridge, connections, draining, OptionalInt.empty());
        for (int i = 0; i < protocols.size(); i++) {
            DatagramProtocol p = protocols.get(i);
            Optional<Channel> adopted = services.sockets().adoptedDatagram(i);
            if (adopted.isPresent()) {
                // A process worker's socket is its slot's place in a group the parent never changes; the protocol
                // writes that place into its connection ids, which the parent's steering program reads. Every
                // socket of a process worker is adopted, so only this context counts its connections.
                adopt(adopted.get(), p, new Context(services.config(), worker, services.workers(), tls,
                        services.protocols().upgrades(), bridge, connections, draining,
                        OptionalInt.of(worker.id())), loop);
                continue;
            }
            Channel ch = services.transport().datagram().get();
            // Always where the transport has it, one worker too: a rolling reload binds generation N+1's socket
            // while N's still serves its connections.
            services.transport().reusePort().ifPresent(opt -> ch.config().setOption(opt, true));
            ChannelFuture registered = loop.register(ch).await();
            if (!registered.isSuccess()) {
                throw new BindException("cannot open a UDP socket for " + p.name() + ": " + registered.cause());
            }
            ChannelFuture bound = ch.bind(tcp.get()).await();
            if (!bound.isSuccess()) {
                ch.close();
                throw new BindException("UDP port " + tcp.get().getPort() + " on " + tcp.get().getHostString()
                        + " cannot be bound for " + p.name() + ": " + bound.cause().getMessage());
            }
            channels.add(ch);
            var handed = loop.submit(() -> p.bind(ch, context)).await();
            if (!handed.isSuccess()) {
                throw new IllegalStateException(p.name() + " could not set up its UDP socket: "
                        + handed.cause().getMessage(), handed.cause());
            }
        }
    }

    /** Registers a socket the parent bound and handed over, and hands it to its protocol. */
    private void adopt(Channel ch, DatagramProtocol p, Context context, EventLoop loop)
            throws BindException, InterruptedException {
        ChannelFuture registered = loop.register(ch).await();
        if (!registered.isSuccess()) {
            throw new BindException("cannot read the UDP socket handed over for " + p.name() + ": "
                    + registered.cause());
        }
        channels.add(ch);
        var handed = loop.submit(() -> p.bind(ch, context)).await();
        if (!handed.isSuccess()) {
            throw new IllegalStateException(p.name() + " could not set up its UDP socket: "
                    + handed.cause().getMessage(), handed.cause());
        }
    }

    /** Closes the sockets; the protocols' connections on them end. */
    void close() {
        channels.forEach(Channel::close);
    }

    /** The {@link DatagramContext} of one worker; {@link #connectionOpened} runs on the worker's loop only. */
    private static final class Context implements DatagramContext {
        private final ServerConfig config;
        private final WorkerIdentity worker;
        private final int workers;
        private final Optional<TlsMaterial> tls;
        private final List<UpgradeProvider> upgrades;
        private final WorkerBridge bridge;
        private final Connections connections;
        private final BooleanSupplier draining;
        private final OptionalInt socketIndex;
        // Datagram connections get ids of their own range, apart from the stream connections' counter.
        private long nextId = Long.MAX_VALUE / 2;

        Context(ServerConfig config, WorkerIdentity worker, int workers, Optional<TlsMaterial> tls,
                List<UpgradeProvider> upgrades, WorkerBridge bridge, Connections connections,
                BooleanSupplier draining, OptionalInt socketIndex) {
            this.config = config;
            this.worker = worker;
            this.workers = workers;
            this.tls = tls;
            this.upgrades = upgrades;
            this.bridge = bridge;
            this.connections = connections;
            this.draining = draining;
            this.socketIndex = socketIndex;
        }

        @Override
        public OptionalInt socketIndex() {
            return socketIndex;
        }

        @Override
        public ServerConfig config() {
            return config;
        }

        @Override
        public WorkerIdentity worker() {
            return worker;
        }

        @Override
        public int workers() {
            return workers;
        }

        @Override
        public Optional<TlsMaterial> tls() {
            return tls;
        }

        @Override
        public List<UpgradeProvider> upgrades() {
            return upgrades;
        }

        @Override
        public boolean draining() {
            return draining.getAsBoolean();
        }

        @Override
        public Optional<ConnectionContext> connectionOpened(Channel connection, InetSocketAddress client) {
            int limit = config.limits().maxConnections();
            if (limit > 0 && connections.count() >= limit) {
                LOG.warn("worker {} is at its limit of {} connections (--limit-connections); refusing a datagram "
                        + "connection", worker.id(), limit);
                return Optional.empty();
            }
            connections.add(connection);
            var info = new ConnectionInfo(++nextId, worker, ConnectionSetup.endpoint(client),
                    ConnectionSetup.endpoint(connection.localAddress()), tls.isPresent());
            bridge.connectionOpened(info);
            connection.closeFuture().addListener(f -> bridge.connectionClosed(info));
            return Optional.of(new ConnectionContextRecord(config, bridge, info, upgrades, List.of(), draining));
        }
    }
}
