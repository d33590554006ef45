package dev.pounce.h3;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerStartException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting, advertising and draining: what surrounds the requests. */
class LifecycleTest {

    @TempDir
    static Path dir;
    static SelfSignedPem pem;

    @BeforeAll
    static void certificate() throws Exception {
        pem = SelfSignedPem.create(dir);
    }

    @BeforeEach
    void clean() {
        TestApps.reset();
    }

    /**
     * On shutdown: GOAWAY naming the first stream not taken, the stream in flight is answered, then the connection
     * closes and the server stops.
     */
    @Test
    void gracefulShutdownSendsGoAwayAndFinishesTheStreamInFlight() throws Exception {
        TestApps.gate = new CountDownLatch(1);
        var server = TestServer.start(TestApps.ROUTES, pem);
        try (var client = H3Client.connect(server.address(), pem)) {
            H3Client.Call call = client.call("GET", "/wait", null);
            assertTrue(TestApps.arrived.tryAcquire(30, TimeUnit.SECONDS), "the request reaches the app");
            Thread closing = Thread.ofVirtual().start(server::close);
            // Stream 0 was taken: the line is drawn at the next client stream, 4 (RFC 9114 section 5.2).
            assertEquals(4L, client.goAway.get(30, TimeUnit.SECONDS));
            assertTrue(!call.response.isDone(), "the stream in flight is still open");
            TestApps.gate.countDown();
            H3Client.Response r = call.response.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.status());
            assertEquals("waited\n", r.text());
            // The server closes the connection once its last stream is over, and stops.
            client.quic().closeFuture().get(30, TimeUnit.SECONDS);
            closing.join(Duration.ofSeconds(30));
            assertTrue(server.handle().awaitTermination(Duration.ofSeconds(30)), "the server stopped");
        } finally {
            TestApps.gate.countDown();
            server.close();
        }
    }

    @Test
    void http3WithoutACertificateRefusesToStartNamingTheFlags() {
        var e = assertThrows(ServerStartException.class, () -> Server.builder(TestApps.ROUTES, ServerConfig.builder()
                .host("127.0.0.1").port(0).accessLog(false).set("http3.enabled", "true").build()).start());
        assertTrue(e.getMessage().contains("h3") && e.getMessage().contains("--ssl-certfile")
                && e.getMessage().contains("--ssl-keyfile"), e.getMessage());
    }

    /** HTTP/1.1 and HTTP/2 over TLS carry Alt-Svc exactly while HTTP/3 is on, with its port and max age. */
    @Test
    void altSvcIsOnHttp1AndHttp2ExactlyWhileHttp3IsOn() throws Exception {
        try (var server = TestServer.start(TestApps.ROUTES, pem, b -> b.set("http3.alt-svc-max-age", "3600"))) {
            String expected = "h3=\":" + server.port() + "\"; ma=3600";
            assertEquals(Optional.of(expected), altSvc(server.port(), HttpClient.Version.HTTP_1_1));
            assertEquals(Optional.of(expected), altSvc(server.port(), HttpClient.Version.HTTP_2));
            try (var client = H3Client.connect(server.address(), pem)) {
                assertEquals(null, client.get("/").headers().get("alt-svc"), "not on HTTP/3's own responses");
            }
        }
        try (var server = TestServer.start(TestApps.ROUTES, pem, b -> b.set("http3.enabled", "false"))) {
            assertEquals(Optional.empty(), altSvc(server.port(), HttpClient.Version.HTTP_1_1));
            assertEquals(Optional.empty(), altSvc(server.port(), HttpClient.Version.HTTP_2));
        }
    }

    private static Optional<String> altSvc(int port, HttpClient.Version version) throws Exception {
        try (var client = HttpClient.newBuilder().sslContext(trusting()).version(version).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(version, r.version());
            return r.headers().firstValue("alt-svc");
        }
    }

    private static SSLContext trusting() throws Exception {
        var ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem.certFile())) {
            ks.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
