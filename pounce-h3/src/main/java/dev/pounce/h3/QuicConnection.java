package dev.pounce.h3;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionEvent;
import dev.pounce.spi.DatagramContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server side of one QUIC connection: it registers the connection with the runtime once the handshake is done
 * (the worker's connection limit, drain and close, lifecycle events), keeps the set of open request streams, and
 * drains: GOAWAY naming the first stream it will not serve (RFC 9114 section 5.2), the streams below it finish, then
 * CONNECTION_CLOSE with H3_NO_ERROR. Netty's {@link Http3ServerConnectionHandler}, after it in the pipeline, runs the
 * control and QPACK streams and gives each request stream a {@link RequestStream}. Runs on the worker's event loop
 * only.
 */
final class QuicConnection extends ChannelInboundHandlerAdapter {

    static final Logger LOG = LoggerFactory.getLogger("pounce.h3");

    /** QUIC's CONNECTION_REFUSED transport error (RFC 9000 section 20.1), for a worker at its connection limit. */
    private static final int CONNECTION_REFUSED = 0x2;

    private final DatagramContext datagram;
    private final ServerConfig config;
    private final Set<RequestStream> open = new HashSet<>();
    private final boolean extendedConnect;

    private ChannelHandlerContext ctx;
    private QuicChannel channel;
    private ConnectionContext context;
    private boolean refused;
    private boolean draining;
    private boolean closing;
    /** The first request stream id not yet seen: where a GOAWAY draws the line. */
    private long nextStreamId;
    private long goAwayId = Long.MAX_VALUE;
    private long served;

    private QuicConnection(DatagramContext datagram) {
        this.datagram = datagram;
        this.config = datagram.config();
        this.extendedConnect = !datagram.upgrades().isEmpty();
    }

    /**
     * Sets up a new connection's pipeline: this handler, then Netty's HTTP/3 connection handler with our SETTINGS.
     */
    static void install(QuicChannel channel, DatagramContext datagram) {
        var connection = new QuicConnection(datagram);
        Http3Config h3 = datagram.config().section(Http3Config.SECTION);
        Http3Settings settings = Http3Settings.defaultSettings()
                // RFC 9114 section 7.2.4.1: the field section of a request, as --limit-request-header-size bounds it.
                .maxFieldSectionSize(datagram.config().limits().maxHeaderSize())
                .qpackMaxTableCapacity(h3.qpackMaxTableCapacity())
                .qpackBlockedStreams(h3.qpackBlockedStreams())
                // RFC 9220 section 3: extended CONNECT is offered while an upgrade provider (WebSocket) is enabled.
                .enableConnectProtocol(connection.extendedConnect());
        var streams = new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel stream) {
                stream.pipeline().addLast("pounce-h3-request", new RequestStream(connection));
            }
        };
        channel.pipeline().addLast("pounce-h3-connection", connection);
        channel.pipeline().addLast("pounce-h3", new Http3ServerConnectionHandler(streams, null, null,
                new DefaultHttp3SettingsFrame(settings), h3.qpackMaxTableCapacity() == 0));
    }

    // ---- Netty callbacks ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = (QuicChannel) ctx.channel();
        if (config.section(Http3Config.SECTION).earlyData()) {
            // Netty's QUIC channel begins to read when it turns active, at the handshake's end; streams that came
            // in 0-RTT would wait until then. Read from the start, so that 0-RTT requests are served in 0.5-RTT.
            channel.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        register();
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ConnectionEvent.DRAIN) {
            drain();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getClass().getPackageName().startsWith("io.netty.handler.codec")) {
            // A client that goes away or breaks the protocol is traffic, not a fault of ours.
            LOG.debug("connection {}: {}", id(), cause.toString());
        } else {
            LOG.warn("connection {} failed", id(), cause);
        }
    }

    // ---- for the request streams ----

    /**
     * The connection's context from the runtime; registers the connection first if the handshake's end has not been
     * seen yet.
     *
     * @return the context, or empty when the worker refused the connection
     */
    Optional<ConnectionContext> context() {
        register();
        return Optional.ofNullable(context);
    }

    /**
     * A client opened a request stream.
     *
     * @return whether to serve it: false for a stream at or past the GOAWAY line, which is then rejected
     */
    boolean streamOpened(RequestStream stream, long id) {
        if (id >= goAwayId || refused) {
            return false;
        }
        open.add(stream);
        nextStreamId = Math.max(nextStreamId, id + 4);
        served++;
        int max = config.limits().maxRequestsPerConnection();
        if (max > 0 && served >= max) {
            ctx.executor().execute(this::drain);
        }
        return true;
    }

    /** A request stream is over; a draining connection closes with its last one. */
    void streamClosed(RequestStream stream) {
        if (open.remove(stream) && draining && open.isEmpty()) {
            closeGracefully();
        }
    }

    /** @return whether the worker drains, or this connection said GOAWAY */
    boolean draining() {
        return draining || context != null && context.draining();
    }

    /**
     * @return whether the handshake has not completed yet, so what the client sent came in 0-RTT (TLS 1.3 early
     *         data) and could be a replay: Netty's QUIC channel turns active when quiche has the client's Finished,
     *         and streams read before that can only have come in 0-RTT packets. A replayed connection never gets
     *         that far (the attacker has no handshake keys), so what is read once active is no replay.
     */
    boolean inEarlyData() {
        return !channel.isActive();
    }

    /** @return whether SETTINGS_ENABLE_CONNECT_PROTOCOL was sent, so {@code :protocol} may come */
    boolean extendedConnect() {
        return extendedConnect;
    }

    ServerConfig config() {
        return config;
    }

    long id() {
        return context == null ? -1 : context.info().id();
    }

    // ---- lifetime ----

    private void register() {
        // Open, not yet active: a request arrived in 0-RTT, before the handshake completed (--http3-early-data).
        if (context != null || refused || !channel.isOpen()) {
            return;
        }
        var peer = (InetSocketAddress) channel.remoteSocketAddress();
        Optional<ConnectionContext> given = datagram.connectionOpened(channel, peer);
        if (given.isEmpty()) {
            refused = true;
            channel.close(false, CONNECTION_REFUSED, reason("server busy"));
            return;
        }
        context = given.get();
        LOG.trace("connection {} from {} established", id(), peer);
        if (context.draining()) {
            drain();
        }
    }

    /**
     * GOAWAY with the first stream id not seen (RFC 9114 section 5.2): the client may retry the later ones elsewhere;
     * the ones below it are served. The connection closes when the last of them ends, or when the worker's graceful
     * timeout runs out and the runtime closes it.
     */
    private void drain() {
        if (draining || !channel.isActive()) {
            return;
        }
        draining = true;
        goAwayId = nextStreamId;
        LOG.debug("connection {} draining with {} open streams", id(), open.size());
        // Open tunnels are told, so that their providers finish too.
        List.copyOf(open).forEach(RequestStream::serverDraining);
        QuicStreamChannel control = Http3.getLocalControlStream(channel);
        if (control != null) {
            control.writeAndFlush(new DefaultHttp3GoAwayFrame(goAwayId)).addListener(f -> {
                if (open.isEmpty()) {
                    closeGracefully();
                }
            });
        } else if (open.isEmpty()) {
            closeGracefully();
        }
    }

    private void closeGracefully() {
        if (closing || !channel.isActive()) {
            return;
        }
        closing = true;
        LOG.trace("connection {} closing", id());
        channel.close(true, Http3ErrorCode.H3_NO_ERROR.code(), reason("shutting down"));
    }

    private ByteBuf reason(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
