package dev.pounce.example.echo;

import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
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
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2WindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The same echo tunnel over HTTP/2 extended CONNECT (RFC 8441), from Netty's HTTP/2 client codec by prior
 * knowledge. The plugin never learns it is on a stream: the HTTP/2 plugin offers the request, and the stream window
 * is the tunnel's flow control. The client returns no credit unless a test says so.
 */
class EchoOverHttp2Test {

    private ServerHandle server;
    private EventLoopGroup group;
    private Channel channel;
    private final Frames frames = new Frames();

    /** What the client receives, in order. */
    private static final class Frames extends Http2ChannelDuplexHandler {
        final BlockingQueue<Object> got = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2DataFrame d) {
                got.add(new Data(d.stream().id(), ByteBufUtil.getBytes(d.content()), d.isEndStream(),
                        d.initialFlowControlledBytes()));
            } else if (msg instanceof Http2HeadersFrame || msg instanceof Http2SettingsFrame
                    || msg instanceof Http2WindowUpdateFrame) {
                got.add(msg);
            }
            ReferenceCountUtil.release(msg);
        }

        Http2FrameStream stream() {
            return newStream();
        }

        <T> T next(Class<T> type) throws InterruptedException {
            while (true) {
                Object o = got.poll(20, TimeUnit.SECONDS);
                if (o == null) {
                    fail("no " + type.getSimpleName() + " from the server in 20 s");
                }
                if (type.isInstance(o)) {
                    return type.cast(o);
                }
            }
        }
    }

    private record Data(int stream, byte[] bytes, boolean end, int flowControlled) { }

    @BeforeEach
    void start() throws Exception {
        server = Server.builder((scope, receive, send) -> {
            send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
            send.send(new HttpMessage.ResponseBody("app".getBytes(StandardCharsets.US_ASCII), false));
        }, ServerConfig.builder().port(0).accessLog(false).build()).start();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), frames);
                    }
                })
                .connect("127.0.0.1", server.tcpAddress().orElseThrow().getPort()).sync().channel();
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private Http2FrameStream connect(String path) throws InterruptedException {
        Http2Headers headers = new DefaultHttp2Headers().method("CONNECT").scheme("http").path(path)
                .authority("localhost");
        headers.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), "echo");
        Http2FrameStream stream = frames.stream();
        channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false).stream(stream)).sync();
        return stream;
    }

    private void data(Http2FrameStream stream, byte[] bytes, boolean end) {
        channel.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), end).stream(stream));
    }

    private void consume(Http2FrameStream stream, int bytes) throws InterruptedException {
        channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream)).sync();
    }

    @Test
    void theServerEnablesExtendedConnectBecauseAnUpgradeProviderIsPresent() throws Exception {
        var settings = frames.next(Http2SettingsFrame.class).settings();
        assertEquals(Boolean.TRUE, settings.connectProtocolEnabled(), settings.toString());
    }

    @Test
    void acceptsWith200ThenEchoesThenEndsWhenTheClientEnds() throws Exception {
        var stream = connect("/echo");
        Http2HeadersFrame head = frames.next(Http2HeadersFrame.class);
        assertEquals("200", head.headers().status().toString());
        assertEquals("ready", String.valueOf(head.headers().get("x-echo")));
        data(stream, "hello over h2".getBytes(StandardCharsets.US_ASCII), false);
        Data echoed = frames.next(Data.class);
        assertEquals("hello over h2", new String(echoed.bytes(), StandardCharsets.US_ASCII));
        consume(stream, echoed.flowControlled());
        data(stream, new byte[0], true);
        Data last = frames.next(Data.class);
        assertTrue(last.end(), "the echo ends its side once the client ended");
    }

    @Test
    void anotherPathIsDeniedWith404AsAnOrdinaryResponse() throws Exception {
        connect("/elsewhere");
        Http2HeadersFrame head = frames.next(Http2HeadersFrame.class);
        assertEquals("404", head.headers().status().toString());
        var body = new ByteArrayOutputStream();
        Data d;
        do {
            d = frames.next(Data.class);
            body.writeBytes(d.bytes());
        } while (!d.end());
        assertEquals("no echo tunnel at this path\n", body.toString(StandardCharsets.US_ASCII));
    }

    /**
     * A client that sends and returns no credit: the echo can write only one stream window back, then stops
     * consuming, so the server grants no more credit than what it wrote. Once the client reads, everything comes
     * back, byte for byte.
     */
    @Test
    void aClientThatReturnsNoCreditIsPushedBackAndLosesNothing() throws Exception {
        byte[] payload = new byte[512 * 1024];
        new Random(11).nextBytes(payload);
        var stream = connect("/echo");
        assertEquals("200", frames.next(Http2HeadersFrame.class).headers().status().toString());
        for (int off = 0; off < payload.length; off += 16384) {
            data(stream, java.util.Arrays.copyOfRange(payload, off, off + 16384), off + 16384 == payload.length);
        }
        var echoed = new ByteArrayOutputStream();
        long granted = 0;
        int unconsumed = 0;
        // Until the client's own window for the stream (65,535 bytes) is full, without giving any credit back.
        while (echoed.size() < 65_535) {
            Object o = frames.got.poll(20, TimeUnit.SECONDS);
            if (o == null) {
                fail("the echo stopped after " + echoed.size() + " bytes, before filling the client's window");
            }
            if (o instanceof Data d && d.stream() == stream.id()) {
                echoed.writeBytes(d.bytes());
                unconsumed += d.flowControlled();
            } else if (o instanceof Http2WindowUpdateFrame w && w.stream() != null
                    && w.stream().id() == stream.id()) {
                granted += w.windowSizeIncrement();
            }
        }
        assertEquals(65_535, echoed.size(), "the server sent past the client's window");
        assertTrue(granted <= echoed.size(), "the server granted " + granted + " bytes of credit for "
                + echoed.size() + " it had echoed: it held more than one window");
        // Now the client reads: everything comes back.
        consume(stream, unconsumed);
        Data d = null;
        while (d == null || !d.end()) {
            d = frames.next(Data.class);
            if (d.stream() == stream.id()) {
                echoed.writeBytes(d.bytes());
                if (d.flowControlled() > 0) {
                    consume(stream, d.flowControlled());
                }
            }
        }
        assertArrayEquals(payload, echoed.toByteArray());
    }

    @Test
    void aResetStreamEndsOnlyItsTunnel() throws Exception {
        var first = connect("/echo");
        assertEquals("200", frames.next(Http2HeadersFrame.class).headers().status().toString());
        channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(first)).sync();
        // The connection goes on: a second tunnel on it echoes.
        var second = connect("/echo");
        Http2HeadersFrame head = frames.next(Http2HeadersFrame.class);
        assertEquals(second.id(), head.stream().id());
        assertEquals("200", head.headers().status().toString());
        data(second, "still here".getBytes(StandardCharsets.US_ASCII), false);
        Data echoed = frames.next(Data.class);
        assertEquals(second.id(), echoed.stream());
        assertEquals("still here", new String(echoed.bytes(), StandardCharsets.US_ASCII));
    }
}
