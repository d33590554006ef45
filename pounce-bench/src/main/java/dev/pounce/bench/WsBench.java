package dev.pounce.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket echo load generator, for {@code ws-bench.sh}. Two modes:
 * <ul>
 *   <li>echo: {@code --connections C --size B --duration S --warmup S [--deflate]}: C connections each keep one
 *       text message of B bytes in flight (send, wait for its echo, send the next); prints messages per second
 *       and the latency percentiles of the measured seconds. {@code --deflate} offers permessage-deflate (Netty's
 *       client: context takeover, a 15-bit window), so every message is compressed both ways when the server's
 *       {@code --ws-deflate-min-size} is 0.</li>
 *   <li>idle: {@code --idle N}: opens N sessions, prints {@code open N}, and keeps them open until its standard
 *       input closes, so a script can measure the server's memory meanwhile.</li>
 * </ul>
 * Netty's own WebSocket client on NIO, with {@code --threads} event loops (default 1).
 */
public final class WsBench {

    private WsBench() {
    }

    /** One connection's measured round trips, in nanoseconds. */
    private static final class Samples {
        long[] values = new long[1 << 16];
        int count;

        void add(long nanos) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = nanos;
        }
    }

    /**
     * @param args see the class comment
     * @throws Exception if a connection fails
     */
    public static void main(String[] args) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:8000/ws");
        int connections = 100;
        int size = 64;
        int duration = 10;
        int warmup = 3;
        int idle = 0;
        int threads = 1;
        boolean deflate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> uri = URI.create(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--duration" -> duration = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--deflate" -> deflate = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        var group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            if (idle > 0) {
                idle(group, uri, idle, deflate);
            } else {
                echo(group, uri, connections, "x".repeat(size), duration, warmup, deflate);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static Bootstrap bootstrap(MultiThreadIoEventLoopGroup group, URI uri, boolean deflate,
                                       java.util.function.Supplier<SimpleChannelInboundHandler<TextWebSocketFrame>>
                                               handler, CountDownLatch open) {
        var config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri).allowExtensions(deflate)
                .customHeaders(new DefaultHttpHeaders()).handshakeTimeoutMillis(30_000).build();
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536));
                        if (deflate) {
                            ch.pipeline().addLast(new WebSocketClientCompressionHandler(0));
                        }
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(config), handler.get(),
                                new io.netty.channel.ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                .HANDSHAKE_COMPLETE) {
                                            open.countDown();
                                        }
                                        ctx.fireUserEventTriggered(evt);
                                    }
                                });
                    }
                });
    }

    private static List<Channel> connect(Bootstrap b, URI uri, int n, CountDownLatch open) throws Exception {
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            channels.add(b.connect(uri.getHost(), uri.getPort()).sync().channel());
        }
        if (!open.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(open.getCount() + " of " + n + " handshakes did not complete");
        }
        return channels;
    }

    private static void idle(MultiThreadIoEventLoopGroup group, URI uri, int n, boolean deflate) throws Exception {
        var open = new CountDownLatch(n);
        Bootstrap b = bootstrap(group, uri, deflate, () -> new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
            }
        }, open);
        List<Channel> channels = connect(b, uri, n, open);
        System.out.println("open " + channels.size());
        System.in.transferTo(java.io.OutputStream.nullOutputStream());
        channels.forEach(Channel::close);
    }

    private static void echo(MultiThreadIoEventLoopGroup group, URI uri, int n, String message, int duration,
                             int warmup, boolean deflate) throws Exception {
        var open = new CountDownLatch(n);
        var phase = new AtomicInteger(); // 0 warm-up, 1 measured, 2 done
        List<Samples> all = new ArrayList<>();
        Bootstrap b = bootstrap(group, uri, deflate, () -> {
            var samples = new Samples();
            synchronized (all) {
                all.add(samples);
            }
            return new SimpleChannelInboundHandler<>() {
                long sentAt;

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                        send(ctx);
                    }
                    ctx.fireUserEventTriggered(evt);
                }

                private void send(ChannelHandlerContext ctx) {
                    sentAt = System.nanoTime();
                    ctx.writeAndFlush(new TextWebSocketFrame(message));
                }

                @Override
                protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
                    long rtt = System.nanoTime() - sentAt;
                    int p = phase.get();
                    if (p == 1) {
                        samples.add(rtt);
                    }
                    if (p < 2) {
                        send(ctx);
                    }
                }
            };
        }, open);
        List<Channel> channels = connect(b, uri, n, open);
        Thread.sleep(warmup * 1000L);
        phase.set(1);
        long start = System.nanoTime();
        Thread.sleep(duration * 1000L);
        phase.set(2);
        double seconds = (System.nanoTime() - start) / 1e9;
        channels.forEach(Channel::close);
        long total = 0;
        for (Samples s : all) {
            total += s.count;
        }
        long[] merged = new long[(int) total];
        int at = 0;
        for (Samples s : all) {
            System.arraycopy(s.values, 0, merged, at, s.count);
            at += s.count;
        }
        Arrays.sort(merged);
        System.out.printf("connections=%d size=%d deflate=%s messages=%d seconds=%.1f msgs/s=%.0f "
                        + "p50=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms%n", n, message.length(), deflate, total,
                seconds, total / seconds, pct(merged, 0.50), pct(merged, 0.99), pct(merged, 0.999),
                merged.length == 0 ? 0 : merged[merged.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
                / 1e6;
    }
}
