package dev.pounce.ws;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket over HTTP/2 (RFC 8441) at the frame level, on Netty's HTTP/2 client codec, by prior knowledge (h2c) or
 * over TLS with ALPN {@code h2}: the JDK client does not speak RFC 8441. Each session is a stream opened by an
 * extended CONNECT whose DATA frames carry masked WebSocket frames ({@link RawWebSocket#encode}). The client gives
 * the server flow-control credit for what it receives as it arrives, unless a session {@link Session#holdCredit}s.
 */
final class H2WebSocketClient implements AutoCloseable {

    /** A GOAWAY, as the connection's queue holds it. */
    record GoAway(long code) {
    }

    /** The client's end of one stream, as its queue holds it. */
    private record End(Optional<Long> resetCode) {
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final Frames frames;

    private H2WebSocketClient(EventLoopGroup group, Channel channel, Frames frames) {
        this.group = group;
        this.channel = channel;
        this.frames = frames;
    }

    /**
     * Connects and sends the preface: in the clear, or over TLS trusting {@code tls}'s certificate and asking ALPN for
     * {@code h2} only.
     */
    static H2WebSocketClient connect(InetSocketAddress server, Optional<TestTls> tls) throws Exception {
        var sslContext = tls.isPresent() ? SslContextBuilder.forClient().trustManager(tls.get().cert().toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2)).build() : null;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        var frames = new Frames();
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (sslContext != null) {
                            ch.pipeline().addLast(sslContext.newHandler(ch.alloc(), "localhost", server.getPort()));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), frames);
                    }
                })
                .connect(server).sync().channel();
        if (sslContext != null) {
            channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
        }
        return new H2WebSocketClient(group, channel, frames);
    }

    /** @return the protocol ALPN agreed on, empty in the clear */
    Optional<String> alpn() {
        return Optional.ofNullable(channel.pipeline().get(SslHandler.class)).map(SslHandler::applicationProtocol);
    }

    /** @return the server's first SETTINGS */
    Http2Settings settings() throws InterruptedException {
        return next(frames.connection, Http2Settings.class);
    }

    /** @return the next GOAWAY */
    GoAway goAway() throws InterruptedException {
        return next(frames.connection, GoAway.class);
    }

    private static <T> T next(BlockingQueue<Object> queue, Class<T> type) throws InterruptedException {
        while (true) {
            Object o = queue.poll(10, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("no " + type.getSimpleName() + " from the server within 10 s");
            }
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
    }

    /**
     * Opens a session: an extended CONNECT (RFC 8441 section 4) with {@code :protocol websocket} and
     * {@code sec-websocket-version: 13}, no key (section 5), and these extra fields, name and value in turn.
     */
    Session open(String target, String... fields) throws InterruptedException {
        return open(false, target, fields);
    }

    /** Opens a session that gives no credit for what it receives until {@link Session#holdCredit} is cleared. */
    Session openHoldingCredit(String target) throws InterruptedException {
        return open(true, target);
    }

    private Session open(boolean holdCredit, String target, String... fields) throws InterruptedException {
        Http2Headers headers = new DefaultHttp2Headers().method("CONNECT").scheme(alpn().isPresent() ? "https" : "http")
                .path(target).authority("localhost").set("sec-websocket-version", Handshake.VERSION);
        headers.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), "websocket");
        for (int i = 0; i < fields.length; i += 2) {
            headers.add(fields[i], fields[i + 1]);
        }
        Http2FrameStream stream = frames.newStream();
        var session = new Session(stream);
        session.holdCredit = holdCredit;
        frames.sessions.put(stream, session);
        write(new DefaultHttp2HeadersFrame(headers, false).stream(stream));
        return session;
    }

    private void write(Object frame) throws InterruptedException {
        channel.writeAndFlush(frame).sync();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One WebSocket session, one stream. Its reads are the test thread's. */
    final class Session {
        final Http2FrameStream stream;
        /** The response's {@link Http2Headers}, DATA as {@code byte[]}, then one {@link End}. */
        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final DataStream data = new DataStream();
        /** While true, DATA received is not credited back, so the server's send window runs dry. */
        volatile boolean holdCredit;
        private Optional<Long> endedWith;

        private Session(Http2FrameStream stream) {
            this.stream = stream;
        }

        /** @return the response's fields, {@code :status} among them */
        Http2Headers response() throws InterruptedException {
            return next(received, Http2Headers.class);
        }

        /** Sends one masked, final WebSocket frame in a DATA frame. */
        Session send(int opcode, byte[] payload) throws InterruptedException {
            return sendFrame(RawWebSocket.encode(true, 0, opcode, payload, true));
        }

        Session sendFrame(byte[] frame) throws InterruptedException {
            write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(frame), false).stream(stream));
            return this;
        }

        Session text(String text) throws InterruptedException {
            return send(FrameReader.TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        Session close(int code, String reason) throws InterruptedException {
            return send(FrameReader.CLOSE, RawWebSocket.closePayload(code, reason));
        }

        /** Ends the client's direction: an empty DATA frame with END_STREAM. */
        void endStream() throws InterruptedException {
            write(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true).stream(stream));
        }

        void reset() throws InterruptedException {
            write(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(stream));
        }

        /** Returns {@code bytes} of credit to the server: WINDOW_UPDATE for the stream and the connection. */
        void credit(int bytes) throws InterruptedException {
            write(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream));
        }

        /** @return the next WebSocket frame from the stream's DATA */
        RawWebSocket.Frame read() throws IOException {
            return RawWebSocket.read(data);
        }

        /** @return the payload of the next DATA frame as it came, whatever WebSocket frames it holds */
        byte[] readData() throws IOException {
            return data.nextChunk();
        }

        /** @return the DATA up to the end of the stream, which {@link #end} then gives */
        byte[] rest() throws IOException {
            return data.readAllBytes();
        }

        /**
         * Reads to the stream's end, which must come with no more DATA.
         *
         * @return empty for END_STREAM, or the RST_STREAM's error code
         */
        Optional<Long> end() throws IOException {
            if (data.read() >= 0) {
                throw new AssertionError("more DATA before the end of the stream");
            }
            return endedWith;
        }

        /** The stream's DATA as bytes, read by the test thread; the end of the stream is the end of input. */
        private final class DataStream extends InputStream {
            private byte[] chunk = new byte[0];
            private int at;

            @Override
            public int read() throws IOException {
                return fill() ? chunk[at++] & 0xFF : -1;
            }

            byte[] nextChunk() throws IOException {
                if (!fill()) {
                    throw new EOFException("stream " + stream.id() + " ended");
                }
                byte[] rest = java.util.Arrays.copyOfRange(chunk, at, chunk.length);
                at = chunk.length;
                return rest;
            }

            /** @return true when bytes are there to read, false at the end of the stream */
            private boolean fill() throws IOException {
                while (at == chunk.length) {
                    if (endedWith != null) {
                        return false;
                    }
                    Object next;
                    try {
                        next = received.poll(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                    switch (next) {
                        case null -> throw new EOFException("no DATA on stream " + stream.id() + " within 10 s");
                        case byte[] bytes -> {
                            chunk = bytes;
                            at = 0;
                        }
                        case End end -> endedWith = end.resetCode();
                        default -> throw new IOException("unexpected on stream " + stream.id() + ": " + next);
                    }
                }
                return true;
            }
        }
    }

    /** The end of the pipeline: files each frame under its stream, on the client's event loop. */
    private static final class Frames extends Http2ChannelDuplexHandler {
        /** What the server said on stream 0: {@link Http2Settings} (acknowledgements left out) and {@link GoAway}. */
        final BlockingQueue<Object> connection = new LinkedBlockingQueue<>();
        final Map<Http2FrameStream, Session> sessions = Collections.synchronizedMap(new IdentityHashMap<>());

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                switch (msg) {
                    case Http2SettingsFrame s -> connection.add(s.settings());
                    case Http2GoAwayFrame g -> connection.add(new GoAway(g.errorCode()));
                    case Http2HeadersFrame h -> session(h.stream()).ifPresent(s -> {
                        s.received.add(h.headers());
                        if (h.isEndStream()) {
                            s.received.add(new End(Optional.empty()));
                        }
                    });
                    case Http2DataFrame d -> session(d.stream()).ifPresent(s -> {
                        // Decided before the test can see the bytes: held bytes are the test's to give back.
                        if (!s.holdCredit && d.initialFlowControlledBytes() > 0) {
                            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes())
                                    .stream(d.stream()));
                        }
                        s.received.add(ByteBufUtil.getBytes(d.content()));
                        if (d.isEndStream()) {
                            s.received.add(new End(Optional.empty()));
                        }
                    });
                    case Http2ResetFrame r -> session(r.stream()).ifPresent(s ->
                            s.received.add(new End(Optional.of(r.errorCode()))));
                    default -> { }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private Optional<Session> session(Http2FrameStream stream) {
            return Optional.ofNullable(sessions.get(stream));
        }
    }
}
