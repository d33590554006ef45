package dev.pounce.h1;

import dev.pounce.api.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.1 on a real TCP socket and a real event loop, with a blocking {@link Socket} as the client: what a client
 * sees at the socket level (answers, end of stream), which an embedded channel cannot show. Every wait is for an
 * event (bytes or end of stream); the socket timeout only turns a hang into a failure.
 */
class RealSocketTest {

    /** Far beyond any wait here, so a test that leans on it times out its socket first and fails. */
    private static final ServerConfig SLOW_TIMERS = Harness.quiet()
            .headerTimeout(Duration.ofSeconds(120)).keepAliveTimeout(Duration.ofSeconds(120)).build();

    private static final int HANG = (int) TimeUnit.SECONDS.toMillis(20);

    private final EchoProvider echo = new EchoProvider();
    private EventLoopGroup group;
    private Channel server;

    @BeforeEach
    void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        var bridge = new ThreadedBridge();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        new Http1ProtocolHandler().initialize(ch,
                                new TestContext(SLOW_TIMERS, bridge, List.of(echo), List.of(), () -> false));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Socket connect() throws IOException {
        var socket = new Socket();
        socket.connect(server.localAddress(), HANG);
        socket.setSoTimeout(HANG);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads until {@code end} has been read, or the stream ends. */
    private static String readThrough(Socket socket, String end) throws IOException {
        InputStream in = socket.getInputStream();
        var read = new StringBuilder();
        int b;
        while (!read.toString().endsWith(end) && (b = in.read()) >= 0) {
            read.append((char) b);
        }
        return read.toString();
    }

    /** Reads until the server ends the stream. */
    private static String readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    // The last response says Connection: close when the FIN came before it started, which is a race with the app's
    // thread; either way the answers must be whole and the stream must end.
    private static String withoutConnectionClose(String answer) {
        return answer.replace("Connection: close\r\n", "");
    }

    @Test
    void aRequestThenShutdownOutputIsAnsweredThenTheStreamEnds() throws IOException {
        try (var socket = connect()) {
            send(socket, "GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
            socket.shutdownOutput();
            assertEquals(ThreadedBridge.response("/one"), withoutConnectionClose(readToEnd(socket)));
        }
    }

    @Test
    void twoPipelinedRequestsThenShutdownOutputAreBothAnsweredThenTheStreamEnds() throws IOException {
        try (var socket = connect()) {
            send(socket, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            socket.shutdownOutput();
            assertEquals(ThreadedBridge.response("/1") + ThreadedBridge.response("/2"),
                    withoutConnectionClose(readToEnd(socket)));
        }
    }

    private static final String ECHO = "GET /echo HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\n";

    @Test
    void anUpgradeAcceptedFromAnotherThreadCarriesBytesBothWaysAndEndsCleanly() throws Exception {
        try (var socket = connect()) {
            send(socket, ECHO + "early");
            assertEquals("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: echo\r\n"
                    + "x-echo: on\r\n\r\n", readThrough(socket, "\r\n\r\n"));
            assertEquals("early", readThrough(socket, "early"), "bytes sent before the answer come first");
            send(socket, "ping");
            assertEquals("ping", readThrough(socket, "ping"));
            socket.shutdownOutput();
            assertEquals("", readToEnd(socket), "the provider ends when the client ends");
            assertTrue(echo.closed.get(HANG, TimeUnit.MILLISECONDS), "both sides ended: a clean close");
        }
    }

    @Test
    void anUpgradeDeniedFromAnotherThreadLeavesAKeptAliveConnection() throws IOException {
        try (var socket = connect()) {
            send(socket, ECHO.replace("/echo", "/deny") + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            socket.shutdownOutput();
            assertEquals("HTTP/1.1 403 Forbidden\r\nContent-Length: 7\r\n\r\nno echo"
                    + ThreadedBridge.response("/after"), withoutConnectionClose(readToEnd(socket)));
        }
    }

    @Test
    void aTlsClientHelloIsAnsweredAtOnceAndTheConnectionEnds() throws IOException {
        try (var socket = connect()) {
            send(socket, NonHttpInputTest.CLIENT_HELLO);
            String answer = readToEnd(socket);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\n" + RequestLineScanner.TLS_ON_CLEARTEXT + "\n"), answer);
        }
    }
}
