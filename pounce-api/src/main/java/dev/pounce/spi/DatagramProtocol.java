package dev.pounce.spi;

import io.netty.channel.Channel;

import java.util.Optional;

/**
 * A protocol on datagrams: QUIC over UDP (HTTP/3). For each worker, the runtime binds a UDP socket on the same host
 * and port as the TCP listener ({@code SO_REUSEPORT} where several workers each have one) and hands it, with the TLS
 * material and the worker's context, to {@link #bind}. The protocol installs its codec on that channel and reports
 * each connection it accepts through {@link DatagramContext#connectionOpened}, which gives it the same
 * {@link ConnectionContext} a stream connection gets.
 */
public non-sealed interface DatagramProtocol extends ProtocolHandler {

    /**
     * Whether the protocol can run without TLS. QUIC cannot: the runtime then refuses to start with this protocol
     * enabled and no certificate, naming the flags.
     *
     * @return false (the default) when TLS is required
     */
    default boolean cleartextAllowed() {
        return false;
    }

    /**
     * Installs the protocol's handlers on a worker's bound UDP channel. Called on the channel's event loop (the
     * worker's) once per worker generation, after the channel is bound and before it reads. Must not block.
     *
     * @param channel the bound datagram channel
     * @param context the worker's view: config, bridge, TLS material, and the means to register connections
     */
    void bind(Channel channel, DatagramContext context);

    /**
     * A classic BPF program that picks, for each datagram, the socket of the port's {@code SO_REUSEPORT} group that
     * reads it: the runtime attaches it ({@code SO_ATTACH_REUSEPORT_CBPF}) to the group of sockets it opens once for
     * process workers, one per slot, so that a packet reaches the process whose {@link DatagramContext#socketIndex}
     * the protocol wrote into it. The program sees the UDP payload and returns a socket index; a value of
     * {@code sockets} or more lets the kernel pick by the client's address, as without a program.
     *
     * @param sockets how many sockets the group has
     * @return the instructions ({@code struct sock_filter}, 8 bytes each in the machine's byte order), or empty for
     *         no program (the default)
     */
    default Optional<byte[]> steeringProgram(int sockets) {
        return Optional.empty();
    }
}
