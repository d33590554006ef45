package dev.pounce.h1;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exchange called from app threads, as the bridge does, with a real event loop (Netty's in-JVM transport):
 * every call hops to the loop and takes effect in the order made.
 */
class RealEventLoopTest {

    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelinedRequestsAnsweredFromAppThreadsArriveInOrder() throws Exception {
        var config = Harness.quiet().build();
        var bridge = new ThreadedBridge();
        var address = new LocalAddress("h1-" + System.nanoTime());
        Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        new Http1ProtocolHandler().initialize(ch, new TestContext(config, bridge));
                    }
                }).bind(address).sync().channel();

        String expected = "";
        String requests = "";
        for (int i = 1; i <= 5; i++) {
            requests += "GET /" + i + " HTTP/1.1\r\nHost: a\r\n\r\n";
            expected += ThreadedBridge.response("/" + i);
        }
        var received = new StringBuilder();
        var done = new CompletableFuture<String>();
        int want = expected.length();
        Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        received.append(buf.toString(StandardCharsets.ISO_8859_1));
                        buf.release();
                        if (received.length() >= want) {
                            done.complete(received.toString());
                        }
                    }
                }).connect(address).sync().channel();
        client.writeAndFlush(text(requests));

        assertEquals(expected, done.get(10, TimeUnit.SECONDS));
        client.close().sync();
        server.close().sync();
    }
}
