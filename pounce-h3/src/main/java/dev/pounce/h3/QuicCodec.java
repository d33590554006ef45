package dev.pounce.h3;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.DatagramContext;
import dev.pounce.spi.TlsMaterial;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.SslSessionTicketKey;
import io.netty.handler.ssl.ClientAuth;

import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * Builds the QUIC server codec of one worker's UDP socket from the {@code http3} settings and the TLS material the
 * runtime hands over: TLS 1.3 with ALPN {@code h3} inside QUIC, the transport parameters (windows, stream count, idle
 * timeout), the connection ids of {@link QuicPort}, and each connection's {@link QuicConnection}.
 */
final class QuicCodec {

    /** UDP datagrams given to the kernel in one send with GSO (UDP_SEGMENT), where the epoll transport has it. */
    private static final int SEGMENTS = 16;

    /** Room on each unidirectional stream (control, QPACK encoder and decoder): SETTINGS, GOAWAY, table updates. */
    private static final int UNIDIRECTIONAL_WINDOW = 64 * 1024;

    /**
     * Connection ids of the client's the server keeps at once (active_connection_id_limit, RFC 9000 section 18.2). A
     * client whose address changes (a NAT rebinding) reaches the server on a new path, and the server needs a fresh
     * id of the client's to validate each path; with QUIC's default of 2 a second change in a row cannot be
     * validated and the connection stalls.
     */
    private static final int ACTIVE_CONNECTION_IDS = 8;

    private QuicCodec() {
    }

    static ChannelHandler server(Channel socket, DatagramContext context, int connectionIdLength,
                                 QuicConnectionIdGenerator ids) {
        ServerConfig config = context.config();
        Http3Config h3 = config.section(Http3Config.SECTION);
        // The runtime refuses to start HTTP/3 without a certificate, so the material is always there.
        TlsMaterial tls = context.tls().orElseThrow(() -> new IllegalStateException("HTTP/3 needs TLS material"));
        QuicServerCodecBuilder builder = Http3.newQuicServerCodecBuilder()
                .sslContext(sslContext(tls, h3.earlyData()))
                .maxIdleTimeout(h3.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(h3.connectionWindow())
                .initialMaxStreamDataBidirectionalRemote(h3.streamWindow())
                .initialMaxStreamDataBidirectionalLocal(h3.streamWindow())
                .initialMaxStreamsBidirectional(h3.maxConcurrentStreams())
                .initialMaxStreamDataUnidirectional(UNIDIRECTIONAL_WINDOW)
                .activeConnectionIdLimit(ACTIVE_CONNECTION_IDS)
                .localConnectionIdLength(connectionIdLength)
                .connectionIdAddressGenerator(ids)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel channel) {
                        QuicConnection.install(channel, context);
                    }
                });
        if (segmentedSends(socket)) {
            builder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(SEGMENTS));
            QuicConnection.LOG.debug("worker {}: QUIC packets leave in GSO batches of up to {}",
                    context.worker().id(), SEGMENTS);
        } else {
            QuicConnection.LOG.debug("worker {}: QUIC packets leave one per send ({})", context.worker().id(),
                    socket instanceof EpollDatagramChannel ? "Netty's QUIC module does not read the epoll module: "
                            + "--add-reads io.netty.codec.classes.quic=io.netty.transport.classes.epoll,"
                            + "io.netty.transport.unix.common is missing"
                            : "not the epoll transport");
        }
        return builder.build();
    }

    /**
     * Whether QUIC may hand the kernel several packets in one send (GSO). Only on the epoll transport, and only where
     * Netty's QUIC module reads the epoll module: Netty 4.2.18's descriptor names it wrongly
     * ({@code requires static io.netty.classes.epoll}), so on the module path it reads it only with
     * {@code --add-reads io.netty.codec.classes.quic=io.netty.transport.classes.epoll,io.netty.transport.unix.common},
     * which our launchers pass: the second module holds {@code SegmentedDatagramPacket}, which the GSO allocator
     * makes, and without it every batched send fails with {@code IllegalAccessError}, resetting the stream. Without
     * both, packets go one per send. On the class path (an embedder's), every module reads every other.
     */
    private static boolean segmentedSends(Channel socket) {
        if (!(socket instanceof EpollDatagramChannel)) {
            return false;
        }
        Module quic = EpollQuicUtils.class.getModule();
        Module epoll = EpollDatagramChannel.class.getModule();
        // Looked up by name: this module does not read it either, so its classes cannot be named here.
        boolean unixCommon = java.util.Optional.ofNullable(epoll.getLayer())
                .flatMap(layer -> layer.findModule("io.netty.transport.unix.common"))
                .map(quic::canRead).orElse(true);
        return quic.canRead(epoll) && unixCommon;
    }

    /**
     * The server's TLS inside QUIC. With {@code --http3-early-data}, BoringSSL offers 0-RTT in the session tickets it
     * issues and accepts early data from a client that resumes one; {@link RequestStream} then holds back what an
     * attacker could replay (RFC 9001 section 9.2). Its tickets are sealed with the JVM's {@link #TICKET_KEY}, so a
     * client resumes (and sends 0-RTT) whichever thread worker's socket its next connection lands on; each worker's
     * context would otherwise make its own key, and a ticket from one worker would mean a full handshake on another.
     */
    private static QuicSslContext sslContext(TlsMaterial tls, boolean earlyData) {
        QuicSslContextBuilder b = QuicSslContextBuilder.forServer(tls.key(), null,
                        tls.chain().toArray(X509Certificate[]::new))
                .applicationProtocols(tls.alpn().toArray(String[]::new))
                // Off unless asked for: 0-RTT requests could be replayed (RFC 9001 section 9.2).
                .earlyData(earlyData)
                .clientAuth(switch (tls.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case OPTIONAL -> ClientAuth.OPTIONAL;
                    case REQUIRE -> ClientAuth.REQUIRE;
                });
        if (!tls.trustRoots().isEmpty()) {
            b.trustManager(tls.trustRoots().toArray(X509Certificate[]::new));
        }
        QuicSslContext context = b.build();
        if (earlyData) {
            context.sessionContext().setTicketKeys(TICKET_KEY);
        }
        return context;
    }

    /**
     * The session ticket key of every HTTP/3 socket in this JVM while 0-RTT is on: random, made once, never written
     * anywhere, so tickets die with the process (a restart is the rotation). Process workers each make their own, so
     * a client that comes back to another child JVM resumes nothing and does a full handshake, without 0-RTT.
     */
    private static final SslSessionTicketKey TICKET_KEY = newTicketKey();

    private static SslSessionTicketKey newTicketKey() {
        var random = new java.security.SecureRandom();
        byte[] name = new byte[SslSessionTicketKey.NAME_SIZE];
        byte[] hmac = new byte[SslSessionTicketKey.HMAC_KEY_SIZE];
        byte[] aes = new byte[SslSessionTicketKey.AES_KEY_SIZE];
        random.nextBytes(name);
        random.nextBytes(hmac);
        random.nextBytes(aes);
        return new SslSessionTicketKey(name, hmac, aes);
    }
}
