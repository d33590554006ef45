package dev.pounce.spi;

import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the runtime gives a {@link DatagramProtocol} for one worker's UDP socket. Read on the worker's event loop.
 */
public interface DatagramContext {

    /** @return the frozen configuration */
    ServerConfig config();

    /** @return the worker that owns the socket: its slot and generation */
    WorkerIdentity worker();

    /**
     * @return how many worker slots share the port, so a protocol can route a connection's packets to the slot that
     *         owns it (QUIC connection ids that encode the slot)
     */
    int workers();

    /** @return the TLS material: the server's certificate and key, client-auth mode, trust roots and ALPN ids */
    Optional<TlsMaterial> tls();

    /** @return the upgrade providers enabled, for extended CONNECT (RFC 9220) */
    List<UpgradeProvider> upgrades();

    /** @return whether the worker drains; {@link ConnectionEvent#DRAIN} is fired down each registered connection */
    boolean draining();

    /**
     * Registers a connection the protocol accepted, such as a {@code QuicChannel}: it counts against the worker's
     * connection limit, hears {@link ConnectionEvent#DRAIN} when the worker drains, is closed with the worker, and
     * gets lifecycle events. Call on the event loop once the connection is established.
     *
     * @param connection the connection's channel
     * @param client     the peer's address
     * @return the connection's context, or empty when the worker is at its connection limit (then close the
     *         connection)
     */
    Optional<ConnectionContext> connectionOpened(Channel connection, InetSocketAddress client);

    /**
     * The socket's position in the port's {@code SO_REUSEPORT} group, when the runtime keeps that group fixed for the
     * server's life and lets the kernel pick the socket with the protocol's {@link DatagramProtocol#steeringProgram}:
     * with process workers, whose sockets the parent opens once, one per slot, in slot order. The protocol must then
     * put this index where its program reads it (for QUIC, in the connection ids it issues), so that every packet of
     * a connection reaches the process that owns it.
     *
     * @return the index, 0 to {@link #workers()}-1, or empty where the runtime does not steer (thread workers route
     *         among themselves)
     */
    default OptionalInt socketIndex() {
        return OptionalInt.empty();
    }
}
