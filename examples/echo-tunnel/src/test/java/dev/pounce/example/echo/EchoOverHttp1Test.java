package dev.pounce.example.echo;

import dev.pounce.api.ConfigException;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.runtime.ServerStartException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo tunnel over HTTP/1.1, against a real server that found the plugin by ServiceLoader, spoken to over raw
 * sockets: the switch, the echo, the denial on another path, the plugin's own flag, and backpressure from a client
 * that stops reading.
 */
class EchoOverHttp1Test {

    private ServerHandle server;

    private int start(UnaryOperator<ServerConfig.Builder> more) throws ServerStartException {
        server = Server.builder((scope, receive, send) -> {
            send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
            send.send(new HttpMessage.ResponseBody("app".getBytes(StandardCharsets.US_ASCII), false));
        }, more.apply(ServerConfig.builder().port(0).accessLog(false)).build()).start();
        return server.tcpAddress().orElseThrow().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String upgrade(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n";
    }

    /** Reads a response head (through the blank line). */
    private static String head(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a whole head: " + out);
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] got = in.readNBytes(n);
        assertEquals(n, got.length, "the connection ended early");
        return got;
    }

    @Test
    void switchesThenEchoesThenEndsWhenTheClientEnds() throws Exception {
        int port = start(b -> b);
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(upgrade("/echo").getBytes(StandardCharsets.US_ASCII));
            String head = head(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.toLowerCase().contains("\r\nupgrade: echo\r\n"), head);
            assertTrue(head.toLowerCase().contains("\r\nx-echo: ready\r\n"), head);
            s.getOutputStream().write("hello, tunnel".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello, tunnel", new String(readExactly(s.getInputStream(), 13), StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read(), "the echo ends its side once the client ended");
        }
    }

    @Test
    void anotherPathIsDeniedWith404AndTheConnectionServesTheNextRequest() throws Exception {
        int port = start(b -> b);
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(upgrade("/elsewhere").getBytes(StandardCharsets.US_ASCII));
            String head = head(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 404 "), head);
            assertEquals("no echo tunnel at this path\n", new String(readExactly(s.getInputStream(), 28),
                    StandardCharsets.US_ASCII));
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String next = head(s.getInputStream());
            assertTrue(next.startsWith("HTTP/1.1 200 "), next);
            assertEquals("app", new String(readExactly(s.getInputStream(), 3), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void itsOwnFlagMovesThePath() throws Exception {
        int port = start(b -> b.set("echo.path", "/tunnel"));
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(upgrade("/echo").getBytes(StandardCharsets.US_ASCII));
            assertTrue(head(s.getInputStream()).startsWith("HTTP/1.1 404 "));
        }
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(upgrade("/tunnel").getBytes(StandardCharsets.US_ASCII));
            assertTrue(head(s.getInputStream()).startsWith("HTTP/1.1 101 "));
        }
    }

    @Test
    void aBadValueForItsFlagStopsTheServerNamingTheSetting() {
        var e = assertThrows(ServerStartException.class, () -> start(b -> b.set("echo.path", "tunnel")));
        assertTrue(e.getMessage().contains("echo.path") && e.getMessage().contains("'tunnel'"), e.getMessage());
        var direct = assertThrows(ConfigException.class, () -> EchoSection.PATH.parse("x?y"));
        assertEquals("echo.path", direct.field());
    }

    /**
     * A client that sends and does not read: the echo stops writing when the connection is not writable, gives no
     * credit back, so the server stops reading, and TCP stops the client. What the client got out before its writes
     * stalled is bounded by socket buffers and one window, not by what it tried to send; then it reads everything
     * back, byte for byte.
     */
    @Test
    void aClientThatDoesNotReadIsPushedBackAndLosesNothing() throws Exception {
        int port = start(b -> b);
        byte[] payload = new byte[64 << 20];
        new Random(7).nextBytes(payload);
        try (var ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
             var selector = Selector.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            ch.write(ByteBuffer.wrap(upgrade("/echo").getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_WRITE);
            var out = ByteBuffer.wrap(payload);
            // Write until the writes stall: no write possible for a while. Slowness only makes the bound looser.
            while (out.hasRemaining() && selector.select(2000) > 0) {
                selector.selectedKeys().clear();
                ch.write(out);
            }
            long sent = out.position();
            assertTrue(out.hasRemaining(), "the server took all " + payload.length + " bytes without being read");
            assertTrue(sent < 32 << 20, "the server took " + sent + " bytes from a client that read nothing");
            // Now read everything back while sending the rest.
            ch.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            var in = ByteBuffer.allocate(payload.length + 4096);
            while (in.position() < payload.length + 200) {
                if (selector.select(20_000) == 0) {
                    break;
                }
                selector.selectedKeys().clear();
                if (out.hasRemaining()) {
                    ch.write(out);
                }
                if (ch.read(in) < 0) {
                    break;
                }
                int end = indexOfBlankLine(in);
                if (end > 0 && in.position() - end >= payload.length) {
                    break;
                }
            }
            int start = indexOfBlankLine(in);
            assertTrue(start > 0, "no 101 head");
            byte[] echoed = Arrays.copyOfRange(in.array(), start, in.position());
            assertEquals(payload.length, echoed.length, "echoed bytes");
            assertArrayEquals(payload, echoed);
        }
    }

    private static int indexOfBlankLine(ByteBuffer buffer) {
        byte[] a = buffer.array();
        for (int i = 3; i < buffer.position(); i++) {
            if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
