package dev.pounce.tests;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/3 with {@code --worker-strategy process}, as the README describes it: each child JVM binds its own
 * {@code SO_REUSEPORT} UDP socket and keeps its own QUIC connections, the kernel picks a child by a hash of the
 * client's address over the sockets of the group, in the order they joined it, and no child can pass another's
 * packet on. The server says so when it starts. When a child dies its socket leaves the group and the kernel moves the
 * socket that joined last into its place; the restarted child's socket joins at the end. So restarting the child
 * whose socket joined last costs only its own connections, and restarting another one costs the last one's too.
 *
 * <p>The test makes the order known by restarting worker 0 first (its socket then joins last), and tells a lost
 * connection by the event that ends it, the client's idle timeout, not by a deadline on an answer; the connections
 * that are not lost ask something every few seconds, so they never idle that long. It needs Linux
 * ({@code /proc} tells which child JVM is which worker) and the epoll transport, as process workers do.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class Http3ProcessWorkersTest {

    static final Pattern SERVING = Pattern.compile("serving on https://127\\.0\\.0\\.1:(\\d+)");
    /**
     * The client's idle timeout: how long a connection whose child is gone takes to end on the client. The others
     * never idle that long: every connection asks something every {@link #KEEP_WARM_SECONDS}.
     */
    static final long CLIENT_IDLE_SECONDS = 20;
    static final long KEEP_WARM_SECONDS = 2;
    static final int CONNECTIONS = 16;

    @TempDir
    Path dir;

    @Test
    void eachChildKeepsItsOwnConnectionsAndARestartCostsTheLastJoinedChildsToo() throws Exception {
        Path launcher = Path.of("..", "pounce-cli", "target", "pounce", "bin", "pounce").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), "no launcher at " + launcher + "; package pounce-cli first");
        Path[] pem = Http3LauncherTest.certificate(dir);
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "POUNCE_MODULE_PATH", ChildJvm.productJar("pounce-demo").toString());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (var server = ChildJvm.start(List.of(launcher.toString(), "--host", "127.0.0.1", "--port", "0",
                "--workers", "2", "--worker-strategy", "process", "--no-access-log",
                "--ssl-certfile", pem[0].toString(), "--ssl-keyfile", pem[1].toString(), "--http3",
                "--http3-idle-timeout", "300"), env)) {
            int port = Integer.parseInt(server.awaitStderr(SERVING, ModulePathTest.START_BOUND).group(1));
            server.awaitStderr(Pattern.compile("WARN .*h3 \\(UDP\\) with --worker-strategy process: each child has "
                    + "its own UDP socket"), ModulePathTest.START_BOUND);
            var clients = new Clients(group, new InetSocketAddress("127.0.0.1", port));

            // Worker 0 restarted: its socket now joins the group last, after worker 1's.
            restart(server, 0, 1);

            // Restarting the child whose socket joined last costs only its own connections.
            Map<QuicChannel, String> first = clients.spread();
            restart(server, 0, 2);
            Map<QuicChannel, String> after = clients.again(first);
            for (var e : first.entrySet()) {
                String expected = e.getValue().startsWith("worker=1 ") ? e.getValue() : "lost";
                assertEquals(expected, after.get(e.getKey()), "a connection of " + e.getValue() + "; all: " + after);
            }

            // Restarting worker 1, whose socket joined first, costs worker 0's connections as well.
            Map<QuicChannel, String> second = clients.spread();
            restart(server, 1, 1);
            Map<QuicChannel, String> later = clients.again(second);
            for (var e : second.entrySet()) {
                assertEquals("lost", later.get(e.getKey()), "a connection of " + e.getValue() + "; all: " + later);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Kills worker {@code slot}'s child JVM with SIGKILL and waits until the supervisor has restarted it. */
    private static void restart(ChildJvm server, int slot, int generation) throws Exception {
        ProcessHandle child = childOf(server, slot);
        child.destroyForcibly();
        server.awaitStderr(Pattern.compile("worker " + slot + " restarted \\(generation " + generation + "\\)"),
                ModulePathTest.START_BOUND);
    }

    /** The child JVM of worker {@code slot}: its control socket, in its environment, is named after the slot. */
    private static ProcessHandle childOf(ChildJvm server, int slot) throws IOException {
        var name = Pattern.compile("POUNCE_CONTROL_SOCKET=[^\\x00]*/w" + slot + "-g\\d+\\.sock");
        for (ProcessHandle p : server.process().descendants().toList()) {
            Path environ = Path.of("/proc", String.valueOf(p.pid()), "environ");
            if (p.isAlive() && Files.isReadable(environ)
                    && name.matcher(new String(Files.readAllBytes(environ), StandardCharsets.ISO_8859_1)).find()) {
                return p;
            }
        }
        throw new AssertionError("no child JVM of worker " + slot + "\n" + server.describe());
    }

    /** QUIC connections to the server, each from its own UDP socket, so the kernel hashes each apart. */
    private static final class Clients {
        private final EventLoopGroup group;
        private final InetSocketAddress server;
        private final QuicSslContext ssl = QuicSslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(Http3.supportedApplicationProtocols()).build();

        /** Every connection made: each asks {@code /worker} every {@link #KEEP_WARM_SECONDS}, answered or not. */
        private final List<QuicChannel> all = new java.util.concurrent.CopyOnWriteArrayList<>();

        Clients(EventLoopGroup group, InetSocketAddress server) {
            this.group = group;
            this.server = server;
            group.scheduleAtFixedRate(() -> all.stream().filter(QuicChannel::isActive).forEach(Clients::worker),
                    KEEP_WARM_SECONDS, KEEP_WARM_SECONDS, TimeUnit.SECONDS);
        }

        /** @return {@link #CONNECTIONS} new connections and the worker that answered each, both workers among them */
        Map<QuicChannel, String> spread() throws Exception {
            Map<QuicChannel, String> byConnection = new LinkedHashMap<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(Http3.newQuicClientCodecBuilder().sslContext(ssl)
                                .maxIdleTimeout(CLIENT_IDLE_SECONDS, TimeUnit.SECONDS)
                                .initialMaxData(1 << 20).initialMaxStreamDataBidirectionalLocal(1 << 20).build())
                        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
                QuicChannel quic = QuicChannel.newBootstrap(socket).handler(new Http3ClientConnectionHandler())
                        .remoteAddress(server).connect().get(30, TimeUnit.SECONDS);
                quic.closeFuture().addListener(f -> socket.close());
                all.add(quic);
                byConnection.put(quic, worker(quic).get(30, TimeUnit.SECONDS));
            }
            // Both children must have some, or the test shows nothing; with a fair hash all on one child is a 1 in
            // 30,000 chance.
            assertTrue(byConnection.values().stream().anyMatch(w -> w.startsWith("worker=0 "))
                    && byConnection.values().stream().anyMatch(w -> w.startsWith("worker=1 ")),
                    "every connection went to one child: " + byConnection.values());
            return byConnection;
        }

        /**
         * Asks each connection again: the worker that answers, or {@code lost} once the client's idle timeout has
         * ended a connection that got no answer (its child, or its packets' way to it, is gone).
         */
        Map<QuicChannel, String> again(Map<QuicChannel, String> connections) throws Exception {
            Map<QuicChannel, CompletableFuture<String>> asked = new LinkedHashMap<>();
            for (QuicChannel quic : connections.keySet()) {
                asked.put(quic, worker(quic));
            }
            Map<QuicChannel, String> answers = new LinkedHashMap<>();
            for (var e : asked.entrySet()) {
                String answer;
                try {
                    answer = e.getValue().get(CLIENT_IDLE_SECONDS * 3, TimeUnit.SECONDS);
                } catch (ExecutionException lost) {
                    answer = "lost";
                }
                answers.put(e.getKey(), answer);
            }
            return answers;
        }

        /**
         * {@code GET /worker} on a new request stream.
         *
         * @return completes with the demo's answer ({@code worker=N generation=G}), or exceptionally when the stream
         *         or the connection ends without one
         */
        private static CompletableFuture<String> worker(QuicChannel quic) {
            var answer = new CompletableFuture<String>();
            quic.closeFuture().addListener(f -> answer.completeExceptionally(new IOException("connection closed")));
            var body = new StringBuilder();
            Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler() {
                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                    ReferenceCountUtil.release(frame);
                }

                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                    body.append(frame.content().toString(StandardCharsets.UTF_8));
                    frame.release();
                }

                @Override
                protected void channelInputClosed(ChannelHandlerContext ctx) {
                    answer.complete(body.toString().strip());
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    answer.completeExceptionally(cause);
                }
            }).addListener(f -> {
                if (!f.isSuccess()) {
                    answer.completeExceptionally(f.cause());
                    return;
                }
                var head = new DefaultHttp3Headers().method("GET").path("/worker").scheme("https")
                        .authority("localhost");
                ((QuicStreamChannel) f.getNow()).writeAndFlush(new DefaultHttp3HeadersFrame(head))
                        .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            });
            return answer;
        }
    }
}
