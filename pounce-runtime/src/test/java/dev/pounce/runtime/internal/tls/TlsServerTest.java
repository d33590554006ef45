package dev.pounce.runtime.internal.tls;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.runtime.ServerStartException;
import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real server with TLS on a free port, spoken to by the JDK's HttpClient and SSLSocket, by curl, and by
 * hand-made ClientHellos; each case runs on both engines. The app answers with the scope's scheme and version.
 */
class TlsServerTest {

    @TempDir
    static Path dir;
    static TestCertificates pki;

    private ServerHandle server;

    /** Holds {@code /block} requests until the test opens it. */
    private static volatile CountDownLatch release = new CountDownLatch(0);
    /** Opened once a {@code /block} request reached the app. */
    private static volatile CountDownLatch entered = new CountDownLatch(1);

    /** Answers every request with "scheme version", so a test sees what the scope said. */
    private static final App APP = (scope, receive, send) -> {
        if (!(scope instanceof HttpScope http)) {
            throw new UnsupportedOperationException("this test app serves HTTP only");
        }
        if (http.path().equals("/block")) {
            entered.countDown();
            release.await();
        }
        while (receive.receive() instanceof HttpMessage.Request chunk && chunk.more()) {
            // The body is not needed.
        }
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
        send.send(new HttpMessage.ResponseBody((http.scheme() + " " + http.httpVersion())
                .getBytes(StandardCharsets.US_ASCII), false));
    };

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestCertificates.create(dir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty(ServerTls.ENGINE_PROPERTY);
    }

    private int start(String engine, UnaryOperator<ServerConfig.Builder> more) throws ServerStartException {
        boolean shipped = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        // OpenSSL must load where we ship its native jar; elsewhere its case is skipped.
        assumeTrue(engine.equals("jdk") || shipped || OpenSsl.isAvailable(), "no OpenSSL native library here");
        System.setProperty(ServerTls.ENGINE_PROPERTY, engine);
        var config = more.apply(ServerConfig.builder().port(0).accessLog(false)
                .sslCertFile(pki.serverChain).sslKeyFile(pki.serverKey)).build();
        server = Server.builder(APP, config).start();
        return server.tcpAddress().orElseThrow().getPort();
    }

    private HttpResponse<String> get(int port, boolean clientCertificate) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(pki.clientContext(clientCertificate)).connectTimeout(Duration.ofSeconds(10)).build();
        try (client) {
            return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void scopeSaysHttpsAndTheStartupAddressToo(String engine) throws Exception {
        int port = start(engine, b -> b);
        assertEquals(List.of("https://127.0.0.1:" + port), server.addresses());
        HttpResponse<String> response = get(port, false);
        assertEquals(200, response.statusCode());
        assertEquals("https 1.1", response.body());
        assertTrue(response.sslSession().orElseThrow().getProtocol().equals("TLSv1.3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void negotiatesHttp11ByAlpnWhenNoHttp2PluginIsPresent(String engine) throws Exception {
        int port = start(engine, b -> b);
        try (SSLSocket socket = (SSLSocket) pki.clientContext(false).getSocketFactory()
                .createSocket("localhost", port)) {
            SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(params);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertEquals("http/1.1", socket.getApplicationProtocol());
            socket.getOutputStream().write("GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("HTTP/1.1 200 "), reply);
            assertTrue(reply.endsWith("https 1.1"), reply);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void requiredClientCertificateMissingIsRefused(String engine) throws Exception {
        int port = start(engine, b -> b.sslCaCerts(pki.caCert).sslClientAuth("require"));
        assertThrows(IOException.class, () -> get(port, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void requiredClientCertificatePresentIsServed(String engine) throws Exception {
        int port = start(engine, b -> b.sslCaCerts(pki.caCert).sslClientAuth("require"));
        HttpResponse<String> response = get(port, true);
        assertEquals(200, response.statusCode());
        assertEquals("https 1.1", response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void optionalClientCertificateMayBeLeftOut(String engine) throws Exception {
        int port = start(engine, b -> b.sslCaCerts(pki.caCert).sslClientAuth("optional"));
        assertEquals(200, get(port, false).statusCode());
        assertEquals(200, get(port, true).statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void refusesTls11AndAcceptsTls12(String engine) throws Exception {
        int port = start(engine, b -> b);
        // The control: the same hello at TLS 1.2 gets a ServerHello, so the refusal below is about the version.
        byte[] tls12 = exchangeHello(port, 0x0303);
        assertEquals(0x16, tls12[0], "a TLS 1.2 hello gets a handshake record");
        assertEquals(0x02, tls12[5], "whose first message is ServerHello");
        byte[] tls11 = exchangeHello(port, 0x0302);
        assertEquals(0x15, tls11[0], "a TLS 1.1 hello gets an alert record");
        assertEquals(2, tls11[5], "fatal");
        assertEquals(70, tls11[6], "protocol_version (RFC 8446 section 6.2)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void plainHttpOnTheTlsPortGetsNoHttpAnswer(String engine) throws Exception {
        int port = start(engine, b -> b);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = readUntilClosed(socket.getInputStream());
            assertTrue(reply.length == 0 || reply[0] == 0x15, "expected nothing or a TLS alert, got "
                    + new String(reply, StandardCharsets.ISO_8859_1));
        }
        // The server is still serving.
        assertEquals(200, get(port, false).statusCode());
    }

    /**
     * Issue 9: a connection that arrives while the server drains gets the drain 503 over TLS too, through the
     * normal handshake and protocol, instead of being closed unanswered.
     */
    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void lateArrivalDuringADrainGetsTheDrain503OverTls(String engine) throws Exception {
        release = new CountDownLatch(1);
        entered = new CountDownLatch(1);
        int port = start(engine, b -> b.gracefulShutdownTimeout(Duration.ofSeconds(30)));
        var inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return request(port, "/block");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());
        try {
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the blocking request never reached the app");
            server.shutdown();
            // The drain has begun once a new connection is answered by it; until then the app still answers.
            String late = "";
            for (int i = 0; i < 200 && !late.startsWith("HTTP/1.1 503 "); i++) {
                late = request(port, "/hello");
            }
            assertTrue(late.startsWith("HTTP/1.1 503 "), late);
            assertTrue(late.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 1"), late);
            assertTrue(late.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), late);
            assertTrue(late.endsWith("Server shutting down..."), late);
            assertFalse(inFlight.isDone(), "the in-flight request ended early");
        } finally {
            release.countDown();
        }
        assertTrue(inFlight.get(20, TimeUnit.SECONDS).startsWith("HTTP/1.1 200 "));
        assertTrue(server.awaitTermination(Duration.ofSeconds(20)), "the server did not stop after the drain");
    }

    /**
     * A datagram protocol gets the server's key material as plain values (QUIC runs its own TLS): the chain, the key
     * and its own ALPN ids, not the stream protocols'.
     */
    @Test
    void aDatagramProtocolIsHandedTheTlsMaterialWithItsOwnAlpnIds() throws Exception {
        int port = start("jdk", b -> b.set("udp-echo.enabled", "true"));
        try (var socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(10_000);
            byte[] out = "hi".getBytes(StandardCharsets.UTF_8);
            socket.send(new java.net.DatagramPacket(out, out.length, new java.net.InetSocketAddress("127.0.0.1", port)));
            var in = new java.net.DatagramPacket(new byte[2048], 2048);
            socket.receive(in);
            String reply = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
            assertTrue(reply.contains(" tls=CN=localhost alpn=[udp-echo/1] "), reply);
            assertTrue(reply.contains(" secure=true "), reply);
        }
    }

    /** One request on a new TLS connection; the whole reply as text. */
    private String request(int port, String target) throws IOException {
        SSLContext context;
        try {
            context = pki.clientContext(false);
        } catch (Exception e) {
            throw new IOException(e);
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nhost: localhost\r\n"
                    + "connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void silentClientIsClosedAfterTheHeaderTimeout(String engine) throws Exception {
        int port = start(engine, b -> b.headerTimeout(Duration.ofMillis(300)));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // Far longer than the handshake timeout: reaching it fails the test with SocketTimeoutException.
            socket.setSoTimeout(10_000);
            long started = System.nanoTime();
            byte[] reply = readUntilClosed(socket.getInputStream());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(reply.length == 0 || reply[0] == 0x15, "expected nothing or a TLS alert");
            assertTrue(millis >= 250 && millis < 30_000, "closed after " + millis + " ms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void curlWithTheCaServesHttpsAndPresentsAClientCertificate(String engine) throws Exception {
        Path curl = Path.of("/usr/bin/curl");
        assumeTrue(Files.isExecutable(curl), "curl is not installed");
        int port = start(engine, b -> b.sslCaCerts(pki.caCert).sslClientAuth("require"));
        String url = "https://localhost:" + port + "/";
        assertEquals("https 1.1|1.1|0", curl(curl.toString(), "-sS", "--cacert", pki.caCert.toString(),
                "--cert", pki.clientCert.toString(), "--key", pki.clientKey.toString(),
                "-w", "|%{http_version}|%{ssl_verify_result}", url));
        // Without the client certificate the handshake is refused: no body, and curl fails.
        assertNotEquals("https 1.1", curl(curl.toString(), "-sS", "--cacert", pki.caCert.toString(), url));
    }

    @Test
    void startupFailsWithTheFileNamedThroughServerStart() {
        Path missing = dir.resolve("missing-cert.pem");
        var config = ServerConfig.builder().port(0).sslCertFile(missing).sslKeyFile(pki.serverKey).build();
        var e = assertThrows(ServerStartException.class, () -> Server.builder(APP, config).start());
        assertEquals("--ssl-certfile " + missing + " does not exist", e.getMessage());
        assertThrows(ServerStartException.class, () -> Server.preflight(config));
    }

    private static String curl(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
        return out.strip();
    }

    /** Sends a ClientHello at {@code version} and returns what the server answers before it closes or waits. */
    private static byte[] exchangeHello(int port, int version) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(clientHello(version));
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(7);
            assertEquals(7, header.length, "the server closed without answering");
            return header;
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    /**
     * A TLS 1.2-or-older ClientHello (RFC 5246 section 7.4.1.2) offering ECDHE suites with GCM and CBC, so a
     * server that accepted TLS 1.1 would find one to use. No supported_versions extension: the version field rules.
     */
    private static byte[] clientHello(int version) {
        var body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {0xc02f, 0xc030, 0xc02b, 0xc013, 0xc014, 0x002f};
        body.write(0);
        body.write(suites.length * 2);
        for (int s : suites) {
            body.write(s >> 8);
            body.write(s);
        }
        body.write(1); // compression methods: null only
        body.write(0);
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(new byte[] {0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17}); // groups
        extensions.add(new byte[] {0x00, 0x0b, 0x00, 0x02, 0x01, 0x00}); // ec_point_formats
        extensions.add(new byte[] {0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x08, 0x04, 0x04, 0x01, 0x04, 0x03}); // sigalgs
        extensions.add(new byte[] {(byte) 0xff, 0x01, 0x00, 0x01, 0x00}); // renegotiation_info
        int extLength = extensions.stream().mapToInt(e -> e.length).sum();
        body.write(extLength >> 8);
        body.write(extLength);
        extensions.forEach(body::writeBytes);
        byte[] hello = body.toByteArray();
        var record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01});
        int handshakeLength = hello.length + 4;
        record.write(handshakeLength >> 8);
        record.write(handshakeLength);
        record.write(0x01); // client_hello
        record.write(0);
        record.write(hello.length >> 8);
        record.write(hello.length);
        record.writeBytes(hello);
        return record.toByteArray();
    }
}
