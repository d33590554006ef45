package dev.pounce.h3;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.DatagramContext;
import dev.pounce.spi.DatagramProtocol;
import io.netty.channel.Channel;

import java.util.List;
import java.util.Optional;

/**
 * HTTP/3 over QUIC as a Pounce protocol (RFC 9114), on the UDP socket the runtime binds for each worker on the TCP
 * port. Off unless {@code --http3}; needs TLS (QUIC has TLS 1.3 built in, so the runtime refuses to start without a
 * certificate). The runtime loads it once and asks the methods here at startup, on the main thread, except
 * {@link #bind}, which runs on a worker's event loop. Stateless; one instance serves every worker.
 *
 * <p>Nothing in this class touches a QUIC type: the native library is loaded by {@link #unavailable()} and
 * {@link #bind}, which the runtime calls only when {@code --http3} is given (and {@code pounce info}, to tell).
 */
public final class Http3ProtocolHandler implements DatagramProtocol {

    /** Creates the handler; called by {@link java.util.ServiceLoader}. */
    public Http3ProtocolHandler() {
    }

    /** @return {@code h3} */
    @Override
    public String name() {
        return "h3";
    }

    /** @return {@code [h3]}, the ALPN id QUIC's handshake carries (RFC 9114 section 3.1) */
    @Override
    public List<String> alpnIds() {
        return List.of("h3");
    }

    /** @return the {@code http3.enabled} setting: {@code --http3} */
    @Override
    public boolean enabled(ServerConfig config) {
        return config.section(Http3Config.SECTION).enabled();
    }

    /** @return why the native QUIC library does not load here, or empty when it does */
    @Override
    public Optional<String> unavailable() {
        return NativeQuic.unavailable();
    }

    /**
     * @return {@code h3=":PORT"; ma=SECONDS} (RFC 7838 section 3, RFC 9114 section 3.1.1): the same host, this port,
     *         for {@code --http3-alt-svc-max-age}
     */
    @Override
    public Optional<String> altSvc(ServerConfig config, int port) {
        return Optional.of("h3=\":" + port + "\"; ma=" + config.section(Http3Config.SECTION).altSvcMaxAge().toSeconds());
    }

    /** Installs the QUIC codec and HTTP/3 on a worker's UDP socket; see {@link QuicPort}. */
    @Override
    public void bind(Channel channel, DatagramContext context) {
        ReceiveBuffer.apply(channel, context);
        QuicPort.bind(channel, context);
    }

    /** @return {@link QuicSteering}'s program, which reads the socket index {@link QuicPort} puts in connection ids */
    @Override
    public Optional<byte[]> steeringProgram(int sockets) {
        return Optional.of(QuicSteering.program(sockets));
    }
}
