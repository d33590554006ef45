package dev.pounce.h3;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3GoAwayFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Netty's HTTP/3 client, as a test needs it: one QUIC connection to the server (trusting the test certificate), on
 * which each {@link Call} is one request stream whose frames the test watches and drives. Everything a test waits
 * for is a future or a queue.
 */
final class H3Client implements AutoCloseable {

    /** What a finished response carried. */
    record Response(int status, Http3Headers headers, byte[] body, Http3Headers trailers) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The client's stream window: what the server may send on one stream before the client reads. */
    static final int STREAM_WINDOW = 1 << 20;

    private final EventLoopGroup group;
    private final Channel datagram;
    private final QuicChannel quic;
    /** The id of the first GOAWAY the server sent. */
    final CompletableFuture<Long> goAway;
    /** The server's SETTINGS. */
    final CompletableFuture<io.netty.handler.codec.http3.Http3SettingsFrame> settings;

    private H3Client(EventLoopGroup group, Channel datagram, QuicChannel quic, CompletableFuture<Long> goAway,
                     CompletableFuture<io.netty.handler.codec.http3.Http3SettingsFrame> settings) {
        this.group = group;
        this.datagram = datagram;
        this.quic = quic;
        this.goAway = goAway;
        this.settings = settings;
    }

    static H3Client connect(InetSocketAddress server, SelfSignedPem pem) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            QuicSslContext ssl = QuicSslContextBuilder.forClient()
                    .trustManager(pem.certFile().toFile())
                    // The chain is checked; the name is not, as the client connects to an address, not a host.
                    .endpointIdentificationAlgorithm(null)
                    .applicationProtocols(Http3.supportedApplicationProtocols())
                    .build();
            var codec = Http3.newQuicClientCodecBuilder()
                    .sslContext(ssl)
                    .maxIdleTimeout(60, TimeUnit.SECONDS)
                    .initialMaxData(64L << 20)
                    .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
                    .initialMaxStreamsBidirectional(0)
                    .build();
            Channel datagram = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            var goAway = new CompletableFuture<Long>();
            var settings = new CompletableFuture<io.netty.handler.codec.http3.Http3SettingsFrame>();
            var control = new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof Http3GoAwayFrame g) {
                        goAway.complete(g.id());
                    } else if (msg instanceof io.netty.handler.codec.http3.Http3SettingsFrame f) {
                        settings.complete(io.netty.handler.codec.http3.DefaultHttp3SettingsFrame.copyOf(f));
                    }
                    ReferenceCountUtil.release(msg);
                }
            };
            QuicChannel quic = QuicChannel.newBootstrap(datagram)
                    .handler(new Http3ClientConnectionHandler(control, null, null, null, true))
                    .remoteAddress(server)
                    .connect().get(30, TimeUnit.SECONDS);
            return new H3Client(group, datagram, quic, goAway, settings);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    QuicChannel quic() {
        return quic;
    }

    /** GET {@code path} and wait for the whole response. */
    Response get(String path) throws Exception {
        return call("GET", path, null).response.get(30, TimeUnit.SECONDS);
    }

    /** Sends a whole request, its body (if any) in one DATA frame, and returns the call. */
    Call call(String method, String path, byte[] body) throws Exception {
        Call c = open(method, path, h -> { }, true);
        if (body != null && body.length > 0) {
            c.data(body);
        }
        c.end();
        return c;
    }

    /**
     * Opens a request stream and sends the head, without ending the request.
     *
     * @param extra    adds fields to the head
     * @param autoRead false for a client that reads nothing of the response
     */
    Call open(String method, String path, Consumer<Http3Headers> extra, boolean autoRead) throws Exception {
        var call = new Call();
        QuicStreamChannel stream = Http3.newRequestStreamBootstrap(quic, call)
                .option(ChannelOption.AUTO_READ, autoRead)
                .create().get(30, TimeUnit.SECONDS);
        call.stream = stream;
        Http3Headers head = new DefaultHttp3Headers(false);
        head.method(method).path(path).scheme("https").authority("localhost");
        extra.accept(head);
        stream.writeAndFlush(new DefaultHttp3HeadersFrame(head)).sync();
        return call;
    }

    @Override
    public void close() {
        quic.close();
        datagram.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** One request stream: what came back, and the means to go on. */
    static final class Call extends Http3RequestStreamInboundHandler {
        QuicStreamChannel stream;
        final CompletableFuture<Http3Headers> head = new CompletableFuture<>();
        final List<Http3Headers> interim = new CopyOnWriteArrayList<>();
        /** Each DATA frame's bytes, as they come. */
        final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        final CompletableFuture<Response> response = new CompletableFuture<>();
        /** Every exception the stream saw: a reset carries the server's error code. */
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        /** Completes with the first exception the stream saw. */
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();
        /** Completes when the stream channel closes. */
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http3Headers trailers;

        void data(byte[] bytes) throws InterruptedException {
            stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(bytes))).sync();
        }

        /**
         * Queues bytes without waiting for them to go: a client whose request the server may stop (STOP_SENDING) must
         * not wait for a write that Netty's client may then neither complete nor fail.
         */
        void queue(byte[] bytes) {
            stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(bytes)));
        }

        /** @return the error code of the server's RESET_STREAM, once it came or the stream closed; -1 if none came */
        long resetCode() throws Exception {
            CompletableFuture.anyOf(failed, closed).get(30, TimeUnit.SECONDS);
            return errors.stream().filter(e -> e instanceof io.netty.handler.codec.quic.QuicStreamResetException)
                    .mapToLong(e -> ((io.netty.handler.codec.quic.QuicStreamResetException) e)
                            .applicationProtocolCode()).findFirst().orElse(-1);
        }

        void end() throws InterruptedException {
            stream.shutdownOutput().sync();
        }

        void reset(long code) {
            stream.shutdown((int) code);
        }

        void read() {
            stream.read();
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            Http3Headers h = frame.headers();
            if (!head.isDone()) {
                if (h.status() != null && h.status().charAt(0) == '1') {
                    interim.add(h);
                } else {
                    head.complete(h);
                }
            } else {
                trailers = h;
            }
            ReferenceCountUtil.release(frame);
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            byte[] bytes = new byte[frame.content().readableBytes()];
            frame.content().readBytes(bytes);
            frame.release();
            body.writeBytes(bytes);
            chunks.add(bytes);
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            if (head.isDone()) {
                Http3Headers h = head.join();
                response.complete(new Response(Integer.parseInt(h.status().toString()), h, body.toByteArray(),
                        trailers));
            } else {
                response.completeExceptionally(new IllegalStateException("the stream ended without a response"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
            failed.complete(cause);
            response.completeExceptionally(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            response.completeExceptionally(new ClosedChannelException());
            closed.complete(null);
            super.channelInactive(ctx);
        }
    }
}
