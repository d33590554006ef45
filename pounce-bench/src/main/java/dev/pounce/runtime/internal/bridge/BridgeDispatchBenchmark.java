package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.bench.CompareApp;
import dev.pounce.bench.HelloJson;
import dev.pounce.h1.Http1ProtocolHandler;
import dev.pounce.runtime.internal.threads.AppThreads;
import dev.pounce.runtime.internal.threads.CarriedLoop;
import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.UpgradeProvider;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
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
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/1.1 request through a real exchange, with no socket: a Netty in-VM ({@code local}) channel pair, the
 * server side set up by {@link Http1ProtocolHandler#initialize} exactly as a worker sets up a TCP connection, so
 * the bytes cross Pounce's parser, {@code Http1Exchange}, the bridge and the encoder, and come back to a client
 * handler that counts whole responses. Each operation writes one request and waits for its answer.
 *
 * <p>{@code bridge}: {@code bare} is a {@link Bridge} that answers inside {@code serve} on the event loop (the h1
 * plugin's own cost); {@code virtual} and {@code loop} are the runtime's {@link AppBridge} serving
 * {@link CompareApp} with the app thread that {@code --dispatch virtual} (the default) or {@code --dispatch loop}
 * gives it (AppThreads), so the difference to {@code bare} is the bridge's dispatch: scope, request id, the app
 * thread and the hops back. Lives in the bridge's package to reach the runtime's internal constructor; on the class
 * path that needs no opened module. Run with {@code -prof gc} ({@code pounce-bench/jmh.sh}) for bytes per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// --dispatch loop builds virtual threads on a given carrier through java.lang's non-public builder.
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class BridgeDispatchBenchmark {

    private static final byte[] REQUEST = ("GET /plaintext HTTP/1.1\r\nHost: localhost\r\nUser-Agent: jmh\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    /** The end of every response body; nothing in a response head contains it. */
    private static final byte[] BODY_END = "Pounce!\n".getBytes(StandardCharsets.US_ASCII);
    private static final Headers TEXT = Headers.of("content-type", "text/plain",
            "content-length", String.valueOf(HelloJson.PLAINTEXT.length));

    /** Who answers: {@code bare}, or the runtime's bridge with {@code virtual} or {@code loop} app threads. */
    @Param({"bare", "virtual", "loop"})
    public String bridge;

    private EventLoopGroup serverLoop;
    private EventLoopGroup clientLoop;
    private Channel server;
    private Channel client;
    private final Semaphore responses = new Semaphore(0);
    private ByteBuf request;

    /**
     * Starts the in-VM server and connects one client.
     *
     * @throws InterruptedException if interrupted while binding or connecting
     */
    @Setup
    public void setUp() throws InterruptedException {
        // "loop" is the default dispatch: the server's loop carried with its apps (CarriedLoop); "virtual" hops to
        // the JDK's scheduler from an ordinary Netty loop.
        java.util.concurrent.ThreadFactory appThreads = AppThreads.onJdkScheduler(0);
        if (bridge.equals("loop")) {
            CarriedLoop carried = CarriedLoop.start(0, LocalIoHandler.newFactory())
                    .orElseThrow(() -> new IllegalStateException("the carried loop needs --add-opens "
                            + "java.base/java.lang=ALL-UNNAMED"));
            serverLoop = carried.loop();
            appThreads = carried.appThreads();
        } else {
            serverLoop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        }
        clientLoop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        ServerConfig config = ServerConfig.builder().accessLog(false).build();
        Bridge answering = switch (bridge) {
            case "bare" -> new BareBridge();
            default -> new AppBridge(new CompareApp(), config, new WorkerIdentity(0, 0), new HashMap<>(), NO_EVENTS,
                    appThreads, () -> { }, AltSvc.NONE, new Readiness());
        };
        var context = new Context(config, answering);
        var address = new LocalAddress("pounce-jmh-" + System.nanoTime());
        server = new ServerBootstrap().group(serverLoop).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        new Http1ProtocolHandler().initialize(ch, context);
                    }
                }).bind(address).sync().channel();
        client = new Bootstrap().group(clientLoop).channel(LocalChannel.class)
                .handler(new ResponseCounter(responses)).connect(address).sync().channel();
        request = Unpooled.unreleasableBuffer(Unpooled.directBuffer(REQUEST.length).writeBytes(REQUEST));
    }

    /** Closes the channels and stops both loops. */
    @TearDown
    public void tearDown() {
        client.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Blocks rather than spins for the answer: on a 2-core machine a spinning benchmark thread would take a core
     * from the two event loops it waits for.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    public void oneRequest() throws InterruptedException {
        client.writeAndFlush(request.duplicate());
        responses.acquire();
    }

    private static final EventSink NO_EVENTS = new EventSink() {
        @Override
        public void publish(LifecycleEvent event) {
        }

        @Override
        public boolean active() {
            return false;
        }
    };

    /** What a worker gives each connection, with one bridge and no upgrades. */
    private record Context(ServerConfig config, Bridge bridge) implements ConnectionContext {
        @Override
        public ConnectionInfo info() {
            return new ConnectionInfo(1, new WorkerIdentity(0, 0), Optional.of(new Endpoint("127.0.0.1", 50000)),
                    Optional.of(new Endpoint("127.0.0.1", 8000)), false);
        }

        @Override
        public List<UpgradeProvider> upgrades() {
            return List.of();
        }

        @Override
        public List<ConnectionTakeover> takeovers() {
            return List.of();
        }

        @Override
        public boolean draining() {
            return false;
        }
    }

    /** Answers every request inside {@code serve}, on the event loop: no scope, no app, no thread. */
    private static final class BareBridge implements Bridge {
        private static final RequestBodySink IGNORE = new RequestBodySink() {
            @Override
            public void onData(ByteBuf chunk, boolean last) {
                chunk.release();
            }

            @Override
            public void onDisconnect() {
            }
        };

        @Override
        public RequestBodySink serve(HttpExchange exchange) {
            exchange.start(200, TEXT, Unpooled.wrappedBuffer(HelloJson.PLAINTEXT), true);
            return IGNORE;
        }

        @Override
        public WebSocketInbound serveWebSocket(WebSocketSession session) {
            throw new UnsupportedOperationException("no WebSocket in this benchmark");
        }

        @Override
        public Headers rejected(ConnectionInfo connection, int status, String reason) {
            return Headers.of();
        }
    }

    /** Counts the responses whose body ended, matching the body's last bytes across reads. */
    private static final class ResponseCounter extends ChannelInboundHandlerAdapter {
        private final Semaphore responses;
        private int matched;

        ResponseCounter(Semaphore responses) {
            this.responses = responses;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
                    byte b = buf.getByte(i);
                    // No proper prefix of BODY_END is also its suffix, so a mismatch restarts at 0 or 1.
                    matched = b == BODY_END[matched] ? matched + 1 : (b == BODY_END[0] ? 1 : 0);
                    if (matched == BODY_END.length) {
                        matched = 0;
                        responses.release();
                    }
                }
            } finally {
                buf.release();
            }
        }
    }
}
