package dev.pounce.h3;

import dev.pounce.spi.DatagramContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicCodecDispatcher;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every UDP socket of this JVM bound on one address, with {@code SO_REUSEPORT}: one per worker, and during a rolling
 * reload one more per new worker. The kernel spreads datagrams over them by a hash of the client's address, which
 * changes whenever a socket joins or leaves the group (a reload, a restart) or the client moves (a new port after a
 * NAT rebinding). So the connection ids the server hands out name the socket whose codec owns the connection (Netty's
 * {@link QuicCodecDispatcher}: two bytes of index ahead of the random part), and a short-header packet that lands on
 * another worker's socket is passed to the owner's pipeline, on the owner's event loop. Packets of a connection whose
 * worker is gone, and long-header packets (a handshake, which keeps its client address), go to the codec of the socket
 * that read them.
 *
 * <p>One instance per bound address, as Netty requires, shared by the sockets' event loops; kept while at least one of
 * its sockets is open. Process workers (several JVMs) cannot pass a packet to another JVM; there the parent opens the
 * sockets once, one per slot, so each keeps its place in the port's group, and steers packets in the kernel with
 * {@link QuicSteering}'s program. Each child has an instance of its own whose ids carry the slot, its socket's place
 * ({@link DatagramContext#socketIndex}), in place of the socket's index in this JVM.
 */
final class QuicPort extends QuicCodecDispatcher {

    private static final ConcurrentMap<InetSocketAddress, QuicPort> PORTS = new ConcurrentHashMap<>();
    /** The worker's context, handed from {@link #bind} to {@link #initChannel} on the same thread. */
    private static final AttributeKey<DatagramContext> CONTEXT = AttributeKey.valueOf(QuicPort.class, "context");

    /** Sockets open on the address; changed only inside the map's compute functions. */
    private int sockets;
    /** The index every id carries, in place of the socket's among this JVM's: its place in the port's group. */
    private final OptionalInt fixedIndex;

    private QuicPort() {
        this(OptionalInt.empty());
    }

    private QuicPort(OptionalInt fixedIndex) {
        this.fixedIndex = fixedIndex;
    }

    @Override
    protected QuicConnectionIdGenerator newIdGenerator(int idx) {
        return super.newIdGenerator(fixedIndex.orElse(idx));
    }

    @Override
    protected int decodeIndex(ByteBuf connectionId) {
        // With a fixed index this JVM has one socket on the address, the kernel's choice, at position 0.
        return fixedIndex.isPresent() ? 0 : super.decodeIndex(connectionId);
    }

    /**
     * Adds the port's dispatcher and a QUIC codec to a worker's freshly bound UDP socket. On the socket's loop.
     *
     * @param channel the bound socket
     * @param context the worker's view
     */
    static void bind(Channel channel, DatagramContext context) {
        if (context.socketIndex().isPresent()) {
            // A process worker's socket: the only one of its address in this JVM, whose place in the port's group
            // the runtime's steering program reads from the ids (QuicSteering).
            channel.attr(CONTEXT).set(context);
            channel.pipeline().addLast("pounce-h3-port", new QuicPort(context.socketIndex()));
            return;
        }
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        QuicPort port = PORTS.compute(local, (address, known) -> {
            QuicPort p = known == null ? new QuicPort() : known;
            p.sockets++;
            return p;
        });
        channel.closeFuture().addListener(f -> PORTS.computeIfPresent(local,
                (address, p) -> --p.sockets == 0 ? null : p));
        channel.attr(CONTEXT).set(context);
        // handlerAdded calls initChannel at once, on this thread, with this socket's index in the id generator.
        channel.pipeline().addLast("pounce-h3-port", port);
    }

    @Override
    protected void initChannel(Channel channel, int localConnectionIdLength, QuicConnectionIdGenerator ids) {
        DatagramContext context = channel.attr(CONTEXT).getAndSet(null);
        channel.pipeline().addLast("pounce-h3-quic", QuicCodec.server(channel, context, localConnectionIdLength, ids));
    }
}
