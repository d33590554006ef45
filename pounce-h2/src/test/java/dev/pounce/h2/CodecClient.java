package dev.pounce.h2;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Frame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2WindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An HTTP/2 client on Netty's client codec ({@code Http2FrameCodec}), by prior knowledge, for tests that need a
 * client that decodes every header block and controls its own flow: it returns no credit for DATA unless the test
 * calls {@link #consume}. What it receives is kept, in order, as plain records a test reads with {@link #next}.
 */
final class CodecClient implements AutoCloseable {

    /** A frame as the client received it. */
    sealed interface Got {
        /** @return the stream id, 0 for the connection */
        int stream();
    }

    record Settings(Http2Settings settings) implements Got {
        public int stream() {
            return 0;
        }
    }

    record Headers(int stream, Http2Headers headers, boolean end) implements Got {
        String status() {
            return headers.status().toString();
        }
    }

    /** @param flowControlled the bytes, with padding, to give back with {@link #consume} */
    record Data(int stream, byte[] bytes, boolean end, int flowControlled) implements Got {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    record Reset(int stream, long code) implements Got {
    }

    record WindowUpdate(int stream, int increment) implements Got {
    }

    record Ping(long content, boolean ack) implements Got {
        public int stream() {
            return 0;
        }
    }

    record GoAway(long code) implements Got {
        public int stream() {
            return 0;
        }
    }

    /** Any other frame, such as a SETTINGS acknowledgement. */
    record Other(String frame) implements Got {
        public int stream() {
            return 0;
        }
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final Streams streams;
    private final BlockingQueue<Got> received;

    private CodecClient(EventLoopGroup group, Channel channel, Streams streams) {
        this.group = group;
        this.channel = channel;
        this.streams = streams;
        this.received = streams.received;
    }

    /** Connects with the default settings (a 65,535-byte window for each stream and the connection). */
    static CodecClient connect(int port) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        var streams = new Streams();
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), streams);
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        return new CodecClient(group, channel, streams);
    }

    /**
     * Opens a stream with an extended CONNECT (RFC 8441 section 4) for {@code protocol}, without END_STREAM.
     *
     * @return the stream, its id given
     */
    Http2FrameStream extendedConnect(String protocol, String path) throws InterruptedException {
        Http2Headers headers = new DefaultHttp2Headers().method("CONNECT").scheme("http").path(path)
                .authority("localhost");
        headers.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), protocol);
        return request(headers, false);
    }

    /**
     * Opens a stream with these request fields.
     *
     * @return the stream, its id given
     */
    Http2FrameStream request(Http2Headers headers, boolean end) throws InterruptedException {
        Http2FrameStream stream = streams.newStream();
        write(new DefaultHttp2HeadersFrame(headers, end).stream(stream));
        return stream;
    }

    void data(Http2FrameStream stream, byte[] bytes, boolean end) throws InterruptedException {
        write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), end).stream(stream));
    }

    void reset(Http2FrameStream stream, Http2Error error) throws InterruptedException {
        write(new DefaultHttp2ResetFrame(error).stream(stream));
    }

    void ping(long content) throws InterruptedException {
        write(new DefaultHttp2PingFrame(content));
    }

    /** Gives the server back {@code bytes} of the stream's received DATA: WINDOW_UPDATE for it and the connection. */
    void consume(Http2FrameStream stream, int bytes) throws InterruptedException {
        write(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream));
    }

    void write(Http2Frame frame) throws InterruptedException {
        channel.writeAndFlush(frame).sync();
    }

    /** The next frame received; fails after 10 seconds without one. */
    Got next() throws InterruptedException {
        Got got = received.poll(10, TimeUnit.SECONDS);
        if (got == null) {
            fail("no frame from the server in 10 s");
        }
        return got;
    }

    /** Frames received until one matches, that one last. */
    List<Got> until(Predicate<Got> wanted) throws InterruptedException {
        List<Got> seen = new ArrayList<>();
        Got got;
        do {
            got = next();
            seen.add(got);
        } while (!wanted.test(got));
        return seen;
    }

    /** The next frame of {@code type} on {@code stream}, skipping others. */
    <T extends Got> T next(Class<T> type, int stream) throws InterruptedException {
        Got last = until(g -> type.isInstance(g) && g.stream() == stream).getLast();
        return type.cast(last);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The end of the pipeline, where frames arrive; on the client's event loop. */
    private static final class Streams extends Http2ChannelDuplexHandler {
        private final BlockingQueue<Got> received = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                received.add(switch (msg) {
                    case Http2SettingsFrame s -> new Settings(s.settings());
                    case Http2HeadersFrame h -> new Headers(h.stream().id(), h.headers(), h.isEndStream());
                    case Http2DataFrame d -> new Data(d.stream().id(), ByteBufUtil.getBytes(d.content()),
                            d.isEndStream(), d.initialFlowControlledBytes());
                    case Http2ResetFrame r -> new Reset(r.stream().id(), r.errorCode());
                    case Http2WindowUpdateFrame w -> new WindowUpdate(w.stream().id(), w.windowSizeIncrement());
                    case Http2PingFrame p -> new Ping(p.content(), p.ack());
                    case Http2GoAwayFrame g -> new GoAway(g.errorCode());
                    default -> new Other(msg.toString());
                });
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
