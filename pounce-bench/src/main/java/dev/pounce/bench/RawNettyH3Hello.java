package dev.pounce.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.io.File;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The baseline for Pounce's HTTP/3 figures: a raw Netty HTTP/3 hello server that answers every request on the event
 * loop as soon as its HEADERS arrive, with no app thread, no bridge and no scope, the demo's body and content type,
 * and the same QUIC settings as Pounce's defaults (128 streams, 256 KiB per stream, 4 MiB per connection). Run by
 * {@code pounce-bench/h3.sh}; by hand:
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -cp 'pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar:pounce-bench/target/lib/*' \
 *     dev.pounce.bench.RawNettyH3Hello 8443 cert.pem key.pem
 * }</pre>
 * Arguments: UDP port, PEM certificate, PEM PKCS#8 key, then optionally {@code --gso} (send QUIC packets in GSO
 * batches of up to 16, as Pounce does where it can) and {@code --answer-later} (answer from a task queued on the event
 * loop, after the read that brought the request, as Pounce's app threads do, rather than inside that read).
 */
public final class RawNettyH3Hello {

    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(
            "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII))).asReadOnly();
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString SERVER = AsciiString.cached("raw-netty");

    private RawNettyH3Hello() {
    }

    /**
     * @param args port certificate key
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        QuicSslContext ssl = QuicSslContextBuilder.forServer(new File(args[2]), null, new File(args[1]))
                .applicationProtocols(Http3.supportedApplicationProtocols()).build();
        boolean later = List.of(args).contains("--answer-later");
        var builder = Http3.newQuicServerCodecBuilder();
        if (List.of(args).contains("--gso")) {
            builder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(16));
        }
        ChannelHandler codec = builder
                .sslContext(ssl)
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(4 << 20)
                .initialMaxStreamDataBidirectionalRemote(256 * 1024)
                .initialMaxStreamDataBidirectionalLocal(256 * 1024)
                .initialMaxStreamDataUnidirectional(64 * 1024)
                .initialMaxStreamsBidirectional(128)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        ch.pipeline().addLast(new Http3ServerConnectionHandler(
                                new ChannelInitializer<QuicStreamChannel>() {
                                    @Override
                                    protected void initChannel(QuicStreamChannel stream) {
                                        stream.pipeline().addLast(new Hello(later));
                                    }
                                }));
                    }
                }).build();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        var group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            Channel ch = new Bootstrap().group(group).channel(type).handler(codec)
                    .bind("127.0.0.1", port).sync().channel();
            System.out.println("raw Netty HTTP/3 hello on https://127.0.0.1:" + port + " (" + (epoll ? "epoll" : "nio")
                    + (later ? ", answering from a task" : "") + ")");
            ch.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /**
     * Answers at the request's HEADERS, or from a task right after the read with {@code --answer-later}; the stream's
     * FIN follows the body. Inside the read, Netty's QUIC codec sends what every stream wrote in one go when the read
     * ends (the response, its FIN and the ACK share packets); from a task, each frame written is sent at once.
     */
    private static final class Hello extends Http3RequestStreamInboundHandler {
        private final boolean later;
        private boolean answered;

        Hello(boolean later) {
            this.later = later;
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            ReferenceCountUtil.release(frame);
            if (answered) {
                return;
            }
            answered = true;
            if (later) {
                ctx.executor().execute(() -> answer(ctx));
            } else {
                answer(ctx);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            var head = new DefaultHttp3HeadersFrame();
            head.headers().status("200").add("content-type", TEXT_PLAIN)
                    .addInt("content-length", HELLO.readableBytes()).add("server", SERVER);
            ctx.write(head);
            ctx.writeAndFlush(new DefaultHttp3DataFrame(HELLO.duplicate()))
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            ReferenceCountUtil.release(frame);
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            // The request's FIN; the answer went at its HEADERS.
        }
    }
}
