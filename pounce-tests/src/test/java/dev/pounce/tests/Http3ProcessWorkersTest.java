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
import io.netty.handler.codec.quic.QuicConnectionAddress;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/3 with {@code --worker-strategy process}, as the README describes it: the parent opens one UDP socket per slot
 * once and hands it to each of the slot's children, so the port's {@code SO_REUSEPORT} group never changes, and a
 * classic BPF program in the kernel steers each packet to the socket whose child owns its connection, by the slot the
 * server's connection ids carry (a client's first Initial by its random id, modulo the number of children). So a
 * child's restart costs only its own connections, a client whose address changes keeps its child, and which child
 * gets a new connection follows from the client's first connection id.
 *
 * <p>A lost connection is told by the event that ends it, the client's idle timeout, not by a deadline on an answer;
 * the connections that are not lost ask something every few seconds, so they never idle that long. It needs Linux
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

    private EventLoopGroup group;

    @BeforeEach
    void clientLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stopClientLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /**
     * Each child is restarted in turn (SIGKILL): the other child's connections answer on, from the same child, and
     * the restarted child's own end, since their state died with it. Before the parent kept the sockets, a child's
     * socket left the group when it died and the kernel moved another into its place, which cost that one's
     * connections too.
     */
    @Test
    void aRestartCostsOnlyTheRestartedChildsOwnConnections() throws Exception {
        try (var server = start()) {
            var clients = new Clients(group, server.address);
            for (int slot = 0; slot < 2; slot++) {
                Map<QuicChannel, String> before = clients.spread();
                restart(server.jvm, slot, 1);
                Map<QuicChannel, String> after = clients.again(before);
                String survivor = "worker=" + (1 - slot) + " ";
                for (var e : before.entrySet()) {
                    String expected = e.getValue().startsWith(survivor) ? e.getValue() : "lost";
                    assertEquals(expected, after.get(e.getKey()), "restarting worker " + slot + ", a connection of "
                            + e.getValue() + "; all: " + after);
                }
            }
        }
    }

    /**
     * A client whose packets leave from a new port (a NAT rebinding, through a relay), four times, keeps being
     * answered by the child it started with: the kernel's hash of the new address would pick either child, but its
     * short-header packets name the owner's socket in their connection id. Four connections, so that a hash that
     * happened to agree every time (1 in 2^16) cannot pass for steering.
     */
    @Test
    void aClientWhoseAddressChangesKeepsItsChild() throws Exception {
        try (var server = start()) {
            var clients = new Clients(group, server.address);
            for (int c = 0; c < 4; c++) {
                try (var relay = new NatRelay(server.address)) {
                    QuicChannel quic = clients.connect(relay.address(), Optional.empty());
                    String owner = Clients.worker(quic).get(30, TimeUnit.SECONDS);
                    for (int i = 0; i < 4; i++) {
                        relay.rebind();
                        assertEquals(owner, Clients.worker(quic).get(CLIENT_IDLE_SECONDS * 3, TimeUnit.SECONDS),
                                "connection " + c + " after rebinding " + (i + 1));
                    }
                    quic.close().sync();
                }
            }
        }
    }

    /**
     * What the steering program reads, driven with real packets: a client's first Initial (a long header) carries
     * a connection id the client chose, and its first two bytes modulo the number of children pick the child
     * (0, 1, 2, ... go to worker 0, 1, 0, ...); the handshake's other long-header packets and every short-header
     * packet after it then carry the id that child issued, so the same child answers all the requests. With the
     * kernel's hash instead, eight connections would agree with that by chance once in 256 runs.
     */
    @Test
    void theFirstConnectionIdPicksTheChildAndItsIdsKeepIt() throws Exception {
        try (var server = start()) {
            var clients = new Clients(group, server.address);
            var random = new java.security.SecureRandom();
            for (int i = 0; i < 8; i++) {
                byte[] id = new byte[20];
                random.nextBytes(id);
                id[1] = (byte) i;
                int index = (id[0] & 0xFF) << 8 | i;
                QuicChannel quic = clients.connect(server.address, Optional.of(id));
                for (int request = 0; request < 3; request++) {
                    String answer = Clients.worker(quic).get(30, TimeUnit.SECONDS);
                    assertTrue(answer.startsWith("worker=" + index % 2 + " "), "a first connection id beginning "
                            + (id[0] & 0xFF) + ", " + i + " (" + index + ") went to " + answer);
                }
                quic.close().sync();
            }
        }
    }

    /** A running server and its address, UDP and TCP alike. */
    private record Server(ChildJvm jvm, InetSocketAddress address) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            jvm.close();
        }
    }

    /** Starts the demo with two process workers and HTTP/3, and waits until it says it steers by connection id. */
    private Server start() throws Exception {
        Path launcher = Path.of("..", "pounce-cli", "target", "pounce", "bin", "pounce").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), "no launcher at " + launcher + "; package pounce-cli first");
        Path[] pem = Http3LauncherTest.certificate(dir);
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "POUNCE_MODULE_PATH", ChildJvm.productJar("pounce-demo").toString());
        var server = ChildJvm.start(List.of(launcher.toString(), "--host", "127.0.0.1", "--port", "0",
                "--workers", "2", "--worker-strategy", "process", "--no-access-log",
                "--ssl-certfile", pem[0].toString(), "--ssl-keyfile", pem[1].toString(), "--http3",
                "--http3-idle-timeout", "300"), env);
        try {
            int port = Integer.parseInt(server.awaitStderr(SERVING, ModulePathTest.START_BOUND).group(1));
            server.awaitStderr(Pattern.compile("INFO .*h3 \\(UDP\\) with --worker-strategy process: the server keeps "
                    + "one UDP socket per worker for its whole life and the kernel steers each packet"),
                    ModulePathTest.START_BOUND);
            // --http3-receive-buffer's default, and what the kernel made of it, said once at startup.
            server.awaitStderr(Pattern.compile("h3 \\(UDP\\): receive buffer of each UDP socket: 4194304 bytes asked "
                    + "\\(--http3-receive-buffer\\), \\d+ bytes as the kernel counts them"), ModulePathTest.START_BOUND);
            return new Server(server, new InetSocketAddress("127.0.0.1", port));
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
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
                QuicChannel quic = connect(server, Optional.empty());
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
         * A new QUIC connection from a UDP socket of its own, so the kernel hashes each apart.
         *
         * @param target  where to send: the server, or a relay in front of it
         * @param firstId the destination connection id of the client's first Initial, or empty for a random one
         * @return the connection, established
         */
        QuicChannel connect(InetSocketAddress target, Optional<byte[]> firstId) throws Exception {
            Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(Http3.newQuicClientCodecBuilder().sslContext(ssl)
                            .maxIdleTimeout(CLIENT_IDLE_SECONDS, TimeUnit.SECONDS)
                            .initialMaxData(1 << 20).initialMaxStreamDataBidirectionalLocal(1 << 20).build())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            var bootstrap = QuicChannel.newBootstrap(socket).handler(new Http3ClientConnectionHandler())
                    .remoteAddress(target);
            firstId.ifPresent(id -> bootstrap.remoteConnectionAddress(new QuicConnectionAddress(id)));
            QuicChannel quic = bootstrap.connect().get(30, TimeUnit.SECONDS);
            quic.closeFuture().addListener(f -> socket.close());
            all.add(quic);
            return quic;
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
        static CompletableFuture<String> worker(QuicChannel quic) {
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
