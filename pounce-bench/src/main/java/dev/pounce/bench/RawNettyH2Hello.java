package dev.pounce.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

import java.nio.charset.StandardCharsets;

/**
 * The baseline for Pounce's HTTP/2 figures: a raw Netty h2c (prior knowledge) hello server that answers every
 * request on the event loop, with no app thread, no bridge and no scope, the same body and content type as the
 * demo's {@code GET /} (but {@code GET /json} with a {@link HelloJson} object serialised per request, as
 * {@code compare.sh} asks). Netty's own {@code Http2ConnectionHandler}, as Pounce's HTTP/2 plugin uses. Run by
 * {@code pounce-bench/h2load.sh}; by hand:
 * <pre>{@code
 * java -cp 'pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar:pounce-bench/target/lib/*' \
 *     dev.pounce.bench.RawNettyH2Hello 8081 1
 * h2load -c16 -m32 -n200000 http://127.0.0.1:8081/
 * }</pre>
 * Arguments: port, event-loop threads (default 1, as one Pounce worker).
 */
public final class RawNettyH2Hello {

    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(
            "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII))).asReadOnly();
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final AsciiString JSON_PATH = AsciiString.cached("/json");
    private static final AsciiString SERVER = AsciiString.cached("raw-netty");

    private RawNettyH2Hello() {
    }

    /**
     * @param args port [threads]
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> server = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        var group = new MultiThreadIoEventLoopGroup(threads, io);
        try {
            Channel ch = new ServerBootstrap().group(group).channel(server)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HelloBuilder().build());
                        }
                    }).bind("127.0.0.1", port).sync().channel();
            System.out.println("raw Netty h2c hello on http://127.0.0.1:" + port + " (" + (epoll ? "epoll" : "nio")
                    + ", " + threads + " threads)");
            ch.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static final class HelloBuilder extends AbstractHttp2ConnectionHandlerBuilder<Hello, HelloBuilder> {
        @Override
        protected Hello build() {
            return super.build();
        }

        @Override
        protected Hello build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            var hello = new Hello(decoder, encoder, settings);
            frameListener(hello.listener());
            return hello;
        }
    }

    private static final class Hello extends Http2ConnectionHandler {
        /** Streams whose request asked for /json and whose body has not ended yet; touched on the event loop only. */
        private final IntObjectMap<Boolean> jsonStreams = new IntObjectHashMap<>();

        Hello(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            super(decoder, encoder, settings);
        }

        Http2FrameAdapter listener() {
            return new Http2FrameAdapter() {
                @Override
                public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                                      boolean endOfStream) {
                    if (endOfStream) {
                        respond(ctx, streamId, jsonStreams.remove(streamId) != null);
                    }
                    return data.readableBytes() + padding;
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                                          int padding, boolean endOfStream) {
                    boolean json = JSON_PATH.contentEquals(headers.path());
                    if (endOfStream) {
                        respond(ctx, streamId, json);
                    } else if (json) {
                        jsonStreams.put(streamId, Boolean.TRUE);
                    }
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                                          int streamDependency, short weight, boolean exclusive, int padding,
                                          boolean endOfStream) {
                    onHeadersRead(ctx, streamId, headers, padding, endOfStream);
                }
            };
        }

        // Written on the event loop; Netty flushes at the end of the read.
        private void respond(ChannelHandlerContext ctx, int streamId, boolean json) {
            ByteBuf body = json ? Unpooled.wrappedBuffer(HelloJson.greeting()) : HELLO.duplicate();
            Http2Headers headers = new DefaultHttp2Headers(false, 4).status(AsciiString.of("200"))
                    .add("content-type", json ? APPLICATION_JSON : TEXT_PLAIN)
                    .addInt("content-length", body.readableBytes())
                    .add("server", SERVER);
            encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.voidPromise());
            encoder().writeData(ctx, streamId, body, 0, true, ctx.voidPromise());
        }
    }
}
