package dev.pounce.h3;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.SslEarlyDataReadyEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 0-RTT (TLS 1.3 early data, RFC 9001 section 4.6) with Netty's HTTP/3 client resuming a session: with
 * {@code --http3-early-data} a GET sent in 0-RTT is served and its app sees {@code early-data: 1}, a POST sent in 0-RTT
 * gets 425 Too Early without reaching the app (RFC 8470), and the same POST sent again once the handshake is complete
 * is served. The same with ngtcp2's client, an independent stack. Without the switch, the client is never offered
 * 0-RTT.
 *
 * <p>The client learns that it may send early data from Netty's {@link SslEarlyDataReadyEvent}, which comes only on a
 * connection that resumes a session whose ticket allows 0-RTT. A ticket arrives after the handshake, so the tests open
 * connections (up to {@link #ATTEMPTS}) until one is offered 0-RTT. On loopback a handshake ends within a millisecond,
 * before a client's 0-RTT packets may even be read, so for the requests the connection goes through a
 * {@link HandshakeHoldRelay} that keeps the server's handshake from the client until the server has sent 1-RTT
 * datagrams of its own: the requests stay 0-RTT, and the server reads them before its handshake can end.
 */
class EarlyDataTest {

    private static final int ATTEMPTS = 4;

    @TempDir
    Path dir;
    SelfSignedPem pem;
    EventLoopGroup group;
    /** The POSTs the app was given, with the early-data header each carried. */
    final List<String> appPosts = new CopyOnWriteArrayList<>();

    /** {@code /early}: says what {@code early-data} said; a POST's body is echoed after it. */
    private final App app = (scope, receive, send) -> {
        if (!(scope instanceof HttpScope http)) {
            return;
        }
        String early = http.headers().first("early-data").orElse("none");
        var body = new ByteArrayOutputStream();
        while (receive.receive() instanceof HttpMessage.Request r) {
            body.writeBytes(r.body());
            if (!r.more()) {
                break;
            }
        }
        if (http.method().equals("POST")) {
            appPosts.add(early);
        }
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
        send.send(new HttpMessage.ResponseBody(("early-data=" + early + " " + body.toString(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8), false));
    };

    @BeforeEach
    void setUp() throws Exception {
        pem = SelfSignedPem.create(dir);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void safeRequestsAreServedFromZeroRttAndOthersGetTooEarly() throws Exception {
        try (TestServer server = TestServer.start(app, pem, b -> b.set("http3.early-data", "true"));
             var relay = new HandshakeHoldRelay(server.address())) {
            Channel socket = clientSocket(relay.address());
            assertEquals(200, firstConnection(socket, relay.address()).status());
            assertTrue(resumesWithZeroRtt(socket, relay.address()),
                    "no connection was offered 0-RTT in " + ATTEMPTS + " attempts");

            // The server's handshake is held back, so the client's requests go in 0-RTT and the server cannot
            // finish its handshake before it has answered them.
            relay.arm();
            var early = new EarlyRequests();
            QuicChannel quic = connect(socket, relay.address(), early);
            try {
                assertTrue(early.sent.isDone(), "the client was not offered 0-RTT");
                assertEquals(HandshakeHoldRelay.Release.SERVER_SENT_ONE_RTT, relay.released.get(30, TimeUnit.SECONDS),
                        "the server said nothing in 0.5-RTT; the client had to retransmit");
                H3Client.Response get = early.get.response.get(30, TimeUnit.SECONDS);
                assertEquals(200, get.status());
                assertEquals("early-data=1 ", get.text());
                H3Client.Response post = early.post.response.get(30, TimeUnit.SECONDS);
                assertEquals(425, post.status(), post.text());
                assertTrue(post.text().contains("0-RTT"), post.text());
                assertEquals(List.of(), appPosts, "a POST from 0-RTT reached the app");

                // After the handshake the client sends it again (RFC 8470 section 5.2), and it is served.
                H3Client.Response again = request(quic, "POST", "payload").response.get(30, TimeUnit.SECONDS);
                assertEquals(200, again.status());
                assertEquals("early-data=none payload", again.text());
                assertEquals(List.of("none"), appPosts);
            } finally {
                quic.close().sync();
            }
        }
    }

    /**
     * The same with a second, independent stack: ngtcp2's {@code gtlsclient} keeps the session and transport parameters
     * in files and, resuming, sends its request in its first packets, in 0-RTT.
     */
    @Test
    void ngtcp2SendsInZeroRttAndGetsTheSameAnswers() throws Exception {
        assumeTrue(Ngtcp2ClientTest.onPath("gtlsclient"), "gtlsclient is not installed (Debian package ngtcp2-client)");
        try (TestServer server = TestServer.start(app, pem, b -> b.set("http3.early-data", "true"));
             var relay = new HandshakeHoldRelay(server.address())) {
            Path body = java.nio.file.Files.writeString(dir.resolve("body.txt"), "payload");
            InetSocketAddress to = relay.address();
            String first = gtlsclient(to, "first", List.of());
            assertFalse(first.contains("type=0RTT"), "0-RTT without a session: " + first);
            assertTrue(java.nio.file.Files.size(dir.resolve("session")) > 0, "no session ticket kept: " + first);

            relay.arm();
            String get = gtlsclient(to, "get", List.of());
            assertTrue(get.contains("type=0RTT"), "the GET was not sent in 0-RTT: " + get);
            assertEquals("early-data=1 ", java.nio.file.Files.readString(dir.resolve("get").resolve("early")));

            relay.arm();
            String post = gtlsclient(to, "post", List.of("-m", "POST", "-d", body.toString()));
            assertTrue(post.contains("type=0RTT"), "the POST was not sent in 0-RTT: " + post);
            assertTrue(post.contains(":status: 425"), post);
            assertTrue(java.nio.file.Files.readString(dir.resolve("post").resolve("early")).contains("0-RTT"));
            assertEquals(List.of(), appPosts, "a POST from 0-RTT reached the app");
        }
    }

    /** Runs gtlsclient against {@code /early}, resuming from (and saving to) the same files; returns its output. */
    private String gtlsclient(InetSocketAddress server, String name, List<String> options) throws Exception {
        Path download = java.nio.file.Files.createDirectories(dir.resolve(name));
        Path log = dir.resolve(name + ".log");
        List<String> command = new java.util.ArrayList<>(List.of("gtlsclient", "--exit-on-all-streams-close",
                "--no-quic-dump", "--no-http-dump", "--download=" + download,
                "--session-file=" + dir.resolve("session"), "--tp-file=" + dir.resolve("transport-parameters")));
        command.addAll(options);
        command.addAll(List.of("127.0.0.1", String.valueOf(server.getPort()),
                "https://127.0.0.1:" + server.getPort() + "/early"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String out = java.nio.file.Files.readString(log);
            assertTrue(done, "gtlsclient did not finish: " + out);
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void withoutTheSwitchNoClientIsOfferedZeroRtt() throws Exception {
        try (TestServer server = TestServer.start(app, pem)) {
            Channel socket = clientSocket(server.address());
            assertEquals(200, firstConnection(socket, server.address()).status());
            assertFalse(resumesWithZeroRtt(socket, server.address()), "a client was offered 0-RTT");
        }
    }

    /**
     * Connects up to {@link #ATTEMPTS} times, each with one request after the handshake (which also brings the next
     * session ticket), until a connection is offered 0-RTT.
     *
     * @return whether one was
     */
    private boolean resumesWithZeroRtt(Channel socket, InetSocketAddress server) throws Exception {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            var probe = new EarlyRequests(false);
            QuicChannel quic = connect(socket, server, probe);
            try {
                H3Client.Response r = request(quic, "POST", "payload").response.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.status());
                assertEquals("early-data=none payload", r.text());
            } finally {
                quic.close().sync();
            }
            if (probe.sent.isDone()) {
                appPosts.clear();
                return true;
            }
        }
        return false;
    }

    /**
     * The client's UDP socket and QUIC codec. Its TLS context keeps the session tickets the server issues, by host
     * and port, which is why the engine is made for {@code localhost} and the server's port: without a peer, nothing
     * is cached and nothing resumes.
     */
    private Channel clientSocket(InetSocketAddress server) throws Exception {
        int port = server.getPort();
        QuicSslContext ssl = QuicSslContextBuilder.forClient()
                .trustManager(pem.certFile().toFile())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .earlyData(true)
                .build();
        var codec = Http3.newQuicClientCodecBuilder()
                .sslEngineProvider(q -> ssl.newEngine(q.alloc(), "localhost", port))
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(1 << 20)
                .initialMaxStreamDataBidirectionalLocal(1 << 20)
                .build();
        return new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** A full handshake and one request; the server's session ticket comes with it. */
    private H3Client.Response firstConnection(Channel socket, InetSocketAddress server) throws Exception {
        QuicChannel quic = connect(socket, server, new EarlyRequests(false));
        try {
            return request(quic, "GET", null).response.get(30, TimeUnit.SECONDS);
        } finally {
            quic.close().sync();
        }
    }

    private static QuicChannel connect(Channel socket, InetSocketAddress server, EarlyRequests early)
            throws Exception {
        return QuicChannel.newBootstrap(socket)
                .handler(new io.netty.channel.ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        ch.pipeline().addLast(new Http3ClientConnectionHandler(), early);
                    }
                })
                .remoteAddress(server)
                .connect().get(30, TimeUnit.SECONDS);
    }

    /**
     * Sends a GET and a POST of {@code /early} the moment the connection may carry 0-RTT; with {@code send} false it
     * only notes that moment.
     */
    private static final class EarlyRequests extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> sent = new CompletableFuture<>();
        private final boolean send;
        H3Client.Call get;
        H3Client.Call post;

        EarlyRequests() {
            this(true);
        }

        EarlyRequests(boolean send) {
            this.send = send;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslEarlyDataReadyEvent && !send) {
                sent.complete(null);
            } else if (evt instanceof SslEarlyDataReadyEvent) {
                // Before the connect future completes, so these streams go out in 0-RTT packets. Not from inside
                // the event: Netty fires it while it sends the Initial, and holds what is written meanwhile until
                // its next send.
                ctx.channel().eventLoop().execute(() -> {
                    get = request((QuicChannel) ctx.channel(), "GET", null);
                    post = request((QuicChannel) ctx.channel(), "POST", "payload");
                    sent.complete(null);
                });
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * Opens a request stream for {@code /early} and sends the whole request, without waiting (on the connection's
     * event loop while it is in early data).
     */
    private static H3Client.Call request(QuicChannel quic, String method, String body) {
        var call = new H3Client.Call();
        var created = Http3.newRequestStream(quic, call);
        created.addListener(f -> {
            if (!f.isSuccess()) {
                call.response.completeExceptionally(f.cause());
                return;
            }
            QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
            call.stream = stream;
            Http3Headers head = new DefaultHttp3Headers();
            head.method(method).path("/early").scheme("https").authority("localhost");
            stream.write(new DefaultHttp3HeadersFrame(head));
            if (body != null) {
                stream.write(new DefaultHttp3DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
            }
            stream.flush();
            stream.shutdownOutput();
        });
        return call;
    }
}
