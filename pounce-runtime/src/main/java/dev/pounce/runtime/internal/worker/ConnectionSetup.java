package dev.pounce.runtime.internal.worker;

import dev.pounce.api.Endpoint;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.bridge.WorkerBridge;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.tls.ServerTls;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionPreamble;
import dev.pounce.spi.StreamProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.unix.DomainSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Sets up each connection a worker accepts: counts it against the worker's connection limit, describes it, and
 * hands it to its protocol. With TLS: an {@link io.netty.handler.ssl.SslHandler}, then an
 * {@link AlpnProtocolSelector} that picks the protocol by the negotiated ALPN id. In cleartext: directly when only
 * one stream protocol is enabled, through a {@link ProtocolSelector} otherwise. Runs on the connection's event loop
 * only. The late arrivals of a shutdown get one too, with the drain bridge.
 */
final class ConnectionSetup extends ChannelInitializer<Channel> {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.CONNECTIONS);
    private static final byte[] OVER_CAPACITY = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "content-type: text/plain; charset=utf-8\r\ncontent-length: 20\r\nretry-after: 5\r\n"
            + "connection: close\r\n\r\nService Unavailable\n").getBytes(StandardCharsets.US_ASCII);

    private final ServerConfig config;
    private final WorkerServices services;
    private final WorkerIdentity worker;
    private final WorkerBridge bridge;
    private final List<StreamProtocol> detecting;
    private final Optional<StreamProtocol> fallback;
    private final Optional<StreamProtocol> only;
    private final Map<String, StreamProtocol> byAlpnId = new LinkedHashMap<>();
    private final Connections connections;
    private final BooleanSupplier draining;
    private long nextId;

    /**
     * @param config      the configuration these connections run with (a drain's late arrivals get short timeouts)
     * @param services    what every worker shares
     * @param worker      who serves the connections
     * @param bridge      the door to the app
     * @param connections the worker's open connections
     * @param draining    whether the worker drains
     */
    ConnectionSetup(ServerConfig config, WorkerServices services, WorkerIdentity worker, WorkerBridge bridge,
                    Connections connections, BooleanSupplier draining) {
        this.config = config;
        this.services = services;
        this.worker = worker;
        this.bridge = bridge;
        List<StreamProtocol> stream = services.protocols().stream();
        this.fallback = stream.stream().filter(StreamProtocol::cleartextFallback).findFirst();
        this.detecting = stream.stream().filter(p -> !p.cleartextFallback()).toList();
        this.only = stream.size() == 1 ? Optional.of(stream.getFirst()) : Optional.empty();
        this.connections = connections;
        this.draining = draining;
        for (StreamProtocol p : stream) {
            for (String id : p.alpnIds()) {
                byAlpnId.putIfAbsent(id, p);
            }
        }
    }

    @Override
    protected void initChannel(Channel ch) {
        int limit = config.limits().maxConnections();
        if (limit > 0 && connections.count() >= limit) {
            LOG.warn("worker {} is at its limit of {} connections (--limit-connections); refusing one with 503",
                    worker.id(), limit);
            ch.writeAndFlush(Unpooled.wrappedBuffer(OVER_CAPACITY)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        connections.add(ch);
        var info = new ConnectionInfo(++nextId, worker, endpoint(ch.remoteAddress()), endpoint(ch.localAddress()),
                services.tls().isPresent());
        List<ConnectionPreamble> preambles = services.preambles();
        if (preambles.isEmpty()) {
            serve(ch, info);
        } else {
            // A PROXY header comes before the TLS handshake and the protocol's first byte: read it first.
            ch.pipeline().addLast("pounce-preamble", new PreambleReader(preambles, info, config,
                    decoded -> serve(ch, decoded)));
        }
    }

    /** Installs TLS and the protocol (or the means to choose one) for a connection described by {@code info}. */
    private void serve(Channel ch, ConnectionInfo info) {
        var context = new ConnectionContextRecord(config, bridge, info, services.protocols().upgrades(),
                services.protocols().takeovers(), draining);
        bridge.connectionOpened(info);
        ch.closeFuture().addListener(f -> bridge.connectionClosed(info));
        Optional<ServerTls> tls = services.tls();
        if (tls.isPresent()) {
            ch.pipeline().addLast("pounce-tls", tls.get().newHandler(ch, config.timeouts().header()));
            // Without an ALPN id the client speaks what a cleartext client with no preface would: the fallback.
            ch.pipeline().addLast("pounce-alpn", new AlpnProtocolSelector(byAlpnId, fallback.or(() -> only), context));
        } else if (only.isPresent()) {
            only.get().initialize(ch, context);
        } else {
            ch.pipeline().addLast("pounce-protocol-selector", new ProtocolSelector(detecting, fallback, context));
        }
    }

    static Optional<Endpoint> endpoint(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress inet -> Optional.of(new Endpoint(
                    inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress(),
                    inet.getPort()));
            case DomainSocketAddress uds -> uds.path() == null || uds.path().isEmpty()
                    ? Optional.empty() : Optional.of(new Endpoint(uds.path(), 0));
            case UnixDomainSocketAddress uds -> uds.getPath().toString().isEmpty()
                    ? Optional.empty() : Optional.of(new Endpoint(uds.getPath().toString(), 0));
            case null, default -> Optional.empty();
        };
    }
}
