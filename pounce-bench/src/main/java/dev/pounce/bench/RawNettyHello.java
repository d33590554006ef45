package dev.pounce.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The raw-Netty baseline for "what our layers cost": the least a Netty HTTP/1.1 server can do to answer
 * {@code GET /} with the same bytes as the Pounce demo app, on the same transport, with the same worker layout.
 *
 * <p>Usage: {@code RawNettyHello [--port N] [--threads N]}; port 8000 and one thread by default, port 0 picks a
 * free one. It prints {@code listening on <port>} once every listener is bound and runs until it is killed.
 *
 * <p>What it does per request: Netty's {@link HttpServerCodec} decodes, and one handler answers every request
 * with 200, {@code content-type: text/plain}, {@code content-length: 19} and {@code Hello from Pounce!\n} (but
 * {@code GET /json} with a {@link HelloJson} object serialised for that request, as {@code compare.sh} asks), adding
 * {@code connection: close} and closing when the request is not keep-alive. It writes in {@code channelRead} and
 * flushes once in {@code channelReadComplete}, as Netty's own hello-world example does, so a batch of pipelined
 * requests costs one flush. It sends no {@code date} or {@code server} header, reads no body and runs no app on
 * another thread: the gap between this and Pounce is the price of everything Pounce adds.
 *
 * <p>Worker layout: epoll through {@link MultiThreadIoEventLoopGroup} with {@link EpollIoHandler#newFactory()},
 * falling back to NIO where epoll is missing, as Pounce does. With {@code --threads N} above 1 each event loop
 * gets its own listening socket bound with {@code SO_REUSEPORT} and serves only the connections its socket
 * accepts. This, rather than one acceptor handing connections to N child loops, is the fair comparison because it
 * is exactly how Pounce's default {@code thread} worker strategy lays out {@code --workers N} (DESIGN.md section
 * 4): the kernel spreads connections across the sockets, there is no cross-thread hand-off on accept, and each
 * connection lives and dies on one loop. A single shared acceptor would measure a different design. Under the NIO
 * fallback there is no {@code SO_REUSEPORT} option in Netty's NIO channel, so one acceptor loop distributes to the
 * N loops, like Pounce's accept distributor.
 */
public final class RawNettyHello {

    private static final byte[] BODY = "Hello from Pounce!\n".getBytes(StandardCharsets.US_ASCII);

    private RawNettyHello() {
    }

    /**
     * Starts the server and blocks until it is killed.
     *
     * @param args {@code --port N --threads N}
     * @throws InterruptedException if the main thread is interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        // Netty logs through SLF4J; only its warnings belong on the console of a benchmark.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int port = 8000;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = intArg(args, ++i, "--port", 0, 65535);
                case "--threads" -> threads = intArg(args, ++i, "--threads", 1, 1024);
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        var group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("raw-netty-loop"), io);
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly(),
                "raw-netty-shutdown"));

        List<Channel> listeners = new ArrayList<>();
        if (epoll && threads > 1) {
            for (EventExecutor executor : group) {
                var loop = (EventLoop) executor;
                var b = bootstrap(loop, loop, channelType).option(EpollChannelOption.SO_REUSEPORT, true);
                Channel ch = b.bind(port).sync().channel();
                // With port 0 the first bind picks the port; the others must share it.
                port = ((InetSocketAddress) ch.localAddress()).getPort();
                listeners.add(ch);
            }
        } else {
            listeners.add(bootstrap(group, group, channelType).bind(port).sync().channel());
            port = ((InetSocketAddress) listeners.getFirst().localAddress()).getPort();
        }
        // Exactly this line on stdout: scripts wait for it. The details go to stderr.
        System.out.println("listening on " + port);
        System.out.flush();
        System.err.println("RawNettyHello: " + (epoll ? "epoll" : "nio") + ", " + threads + " event loop(s), "
                + (epoll && threads > 1 ? "one SO_REUSEPORT listener each" : "one listener"));
        for (Channel ch : listeners) {
            ch.closeFuture().sync();
        }
    }

    private static ServerBootstrap bootstrap(EventLoopGroup parent, EventLoopGroup child,
                                             Class<? extends ServerChannel> channelType) {
        return new ServerBootstrap()
                .group(parent, child)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HelloHandler());
                    }
                });
    }

    private static int intArg(String[] args, int i, String flag, int min, int max) {
        if (i >= args.length) {
            usage(flag + " needs a number");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        usage(flag + " must be a whole number from " + min + " to " + max + ", got '" + args[i] + "'");
        return min;
    }

    private static void usage(String problem) {
        System.err.println("RawNettyHello: " + problem);
        System.err.println("usage: RawNettyHello [--port N] [--threads N]");
        System.exit(2);
    }

    /** Answers every request head; bodies and trailers are dropped (SimpleChannelInboundHandler releases them). */
    private static final class HelloHandler extends SimpleChannelInboundHandler<HttpObject> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest request)) {
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            // compare.sh's JSON test: a fresh object serialised per request, with the writer the Pounce side uses.
            boolean json = request.uri().equals("/json");
            byte[] body = json ? HelloJson.greeting() : BODY;
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE,
                            json ? HttpHeaderValues.APPLICATION_JSON : HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                if (!request.protocolVersion().isKeepAliveDefault()) {
                    // An HTTP/1.0 client asked for keep-alive and must be told it got it.
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                ctx.write(response);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset by the load generator at the end of a run is normal; just drop the connection.
            ctx.close();
        }
    }
}
