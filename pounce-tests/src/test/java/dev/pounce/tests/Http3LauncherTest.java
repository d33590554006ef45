package dev.pounce.tests;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/3 as users start it: the distribution's launcher on the module path, where Netty's native QUIC module is
 * resolved only because it is named and its QUIC module reads the epoll module only with the launcher's
 * {@code --add-reads}; and a server without {@code --http3}, which must not load a class of QUIC at all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http3LauncherTest {

    static final Pattern SERVING = Pattern.compile("serving on https://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void theLauncherServesHttp3WithGsoBatches() throws Exception {
        Path launcher = Path.of("..", "pounce-cli", "target", "pounce", "bin", "pounce").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), "no launcher at " + launcher + "; package pounce-cli first");
        Path[] pem = certificate(dir);
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "POUNCE_MODULE_PATH", ChildJvm.productJar("pounce-demo").toString(),
                "POUNCE_JAVA_OPTS", "-Dorg.slf4j.simpleLogger.log.pounce.h3=debug");
        try (var child = ChildJvm.start(List.of(launcher.toString(), "--host", "127.0.0.1", "--port", "0",
                "--ssl-certfile", pem[0].toString(), "--ssl-keyfile", pem[1].toString(), "--http3"), env)) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, ModulePathTest.START_BOUND).group(1));
            child.awaitStderr(Pattern.compile("h3 \\(UDP\\)"), ModulePathTest.START_BOUND);
            // The launcher's --add-reads lets Netty's QUIC module use the epoll transport's GSO.
            child.awaitStderr(Pattern.compile("QUIC packets leave in GSO batches"), ModulePathTest.START_BOUND);
            String json = h3Request(port, "GET", "/json", null);
            assertTrue(json.contains("\"http_version\":\"3\""), json + "\n" + child.describe());
            // Enough to go out in GSO batches: a send that the module path does not allow resets the stream.
            String body = "0123456789abcdef".repeat(32 << 10);
            String echoed = h3Request(port, "POST", "/echo", body);
            assertEquals("200\n" + body, echoed, "the echo of 512 KiB came back short or different ("
                    + echoed.length() + " chars)\n" + child.describe());
            child.terminate();
            assertEquals(0, child.awaitExit(ModulePathTest.EXIT_BOUND), child.describe());
            assertFalse(child.stderr().contains("\n\tat "), "a stack trace in the log:\n" + child.describe());
        }
    }

    @Test
    void withoutHttp3NoClassOfQuicIsLoaded() throws Exception {
        Path[] pem = certificate(dir);
        List<String> cmd = new ArrayList<>(ChildJvm.modulePathCommand(ChildJvm.productJars(), List.of("--host",
                "127.0.0.1", "--port", "0", "--ssl-certfile", pem[0].toString(), "--ssl-keyfile", pem[1].toString())));
        // Every class the JVM loads, on stdout.
        cmd.add(1, "-Xlog:class+load=info");
        try (var child = ChildJvm.start(cmd, Map.of())) {
            child.awaitStderr(SERVING, ModulePathTest.START_BOUND);
            child.awaitStderr(Pattern.compile("plugin datagram-protocol h3 \\(dev\\.pounce\\.h3 "),
                    ModulePathTest.START_BOUND);
            child.terminate();
            child.awaitExit(ModulePathTest.EXIT_BOUND);
            String loaded = child.stdout();
            assertTrue(loaded.contains("dev.pounce.h3.Http3ProtocolHandler"), "the class log is there");
            assertFalse(loaded.contains("io.netty.handler.codec.quic."), "a QUIC class was loaded:\n"
                    + loaded.lines().filter(l -> l.contains("codec.quic")).limit(5).toList());
            assertFalse(loaded.contains("io.netty.handler.codec.http3."), "an HTTP/3 class was loaded");
        }
    }

    /**
     * One request over HTTP/3 with Netty's client, trusting any certificate.
     *
     * @return the status, a newline, then the body; or what came before the stream was reset
     */
    static String h3Request(int port, String method, String path, String body) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            var ssl = QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocols(Http3.supportedApplicationProtocols()).build();
            Channel datagram = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(Http3.newQuicClientCodecBuilder().sslContext(ssl)
                            .maxIdleTimeout(30, TimeUnit.SECONDS).initialMaxData(1 << 20)
                            .initialMaxStreamDataBidirectionalLocal(1 << 20)
                            .initialMaxStreamDataBidirectionalRemote(1 << 20).build())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            QuicChannel quic = QuicChannel.newBootstrap(datagram).handler(new Http3ClientConnectionHandler())
                    .remoteAddress(new InetSocketAddress("127.0.0.1", port)).connect().get(30, TimeUnit.SECONDS);
            var received = new StringBuilder();
            var done = new CompletableFuture<String>();
            QuicStreamChannel stream = Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler() {
                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                    received.append(frame.headers().status()).append('\n');
                }

                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                    ByteBuf content = frame.content();
                    received.append(content.toString(StandardCharsets.UTF_8));
                    frame.release();
                }

                @Override
                protected void channelInputClosed(ChannelHandlerContext ctx) {
                    done.complete(received.toString());
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    done.complete(received + "\n(stream failed: " + cause + ")");
                }
            }).get(30, TimeUnit.SECONDS);
            var head = new DefaultHttp3Headers().method(method).path(path).scheme("https").authority("localhost");
            if (body == null) {
                stream.writeAndFlush(new DefaultHttp3HeadersFrame(head))
                        .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            } else {
                stream.write(new DefaultHttp3HeadersFrame(head));
                stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)))
                        .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
            String answer = done.get(30, TimeUnit.SECONDS);
            quic.close().sync();
            datagram.close().sync();
            assertTrue(answer.startsWith("200\n"), answer);
            return answer;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    /** A throwaway self-signed certificate and key, written as PEM: {cert, key}. */
    static Path[] certificate(Path dir) throws Exception {
        return Certificates.selfSigned(dir);
    }
}
