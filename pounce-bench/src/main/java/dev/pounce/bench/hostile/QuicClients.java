package dev.pounce.bench.hostile;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's HTTP/3 client as the bench needs it: {@code threads} event loops (epoll where it loads, else NIO), each
 * with one UDP socket that carries any number of QUIC connections (Netty's client codec tells them apart by
 * connection id), and a way to open one more connection on the next socket in turn. Like {@code h2load}, it does not
 * check the server's certificate: the scripts serve a throwaway one.
 */
final class QuicClients implements AutoCloseable {

    /**
     * The client socket's receive buffer. One socket takes the answers of every connection on its thread, and with
     * Linux's default (208 KiB) bursts overflow it: the kernel drops datagrams, QUIC sees loss, and the figures show
     * loss recovery instead of the server. The kernel caps it at {@code net.core.rmem_max} (4 MiB here).
     */
    static final int RECEIVE_BUFFER = 4 << 20;

    private final EventLoopGroup group;
    private final List<Channel> sockets = new ArrayList<>();
    private final InetSocketAddress server;
    private int next;

    /**
     * @param server      where to connect
     * @param threads     event loops, one UDP socket each
     * @param idleSeconds the client's max_idle_timeout: the connection closes after this long without a packet
     */
    QuicClients(InetSocketAddress server, int threads, long idleSeconds) throws InterruptedException {
        this.server = server;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        QuicSslContext ssl = QuicSslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .build();
        try {
            for (int i = 0; i < threads; i++) {
                sockets.add(new Bootstrap().group(group).channel(type).handler(codec(ssl, idleSeconds))
                        .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                        .bind(new InetSocketAddress(server.getAddress(), 0)).sync().channel());
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * One socket's QUIC codec: a 16 MiB connection window and 1 MiB per stream, so the client's windows never hold
     * the server back; the server may open no bidirectional stream (HTTP/3 servers open none).
     */
    private static ChannelHandler codec(QuicSslContext ssl, long idleSeconds) {
        return Http3.newQuicClientCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(idleSeconds, TimeUnit.SECONDS)
                .initialMaxData(16L << 20)
                .initialMaxStreamDataBidirectionalLocal(1L << 20)
                .initialMaxStreamsBidirectional(0)
                .build();
    }

    /** Starts a QUIC connection with HTTP/3 on the next socket; called from one thread at a time. */
    Future<QuicChannel> connect() {
        Channel socket = sockets.get(next++ % sockets.size());
        return QuicChannel.newBootstrap(socket)
                .handler(new Http3ClientConnectionHandler())
                .remoteAddress(server)
                .connect();
    }

    @Override
    public void close() {
        sockets.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
