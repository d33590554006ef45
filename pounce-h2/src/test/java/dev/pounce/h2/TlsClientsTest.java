package dev.pounce.h2;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** HTTP/2 over TLS, chosen by ALPN: the JDK HttpClient and curl. Skipped while the runtime has no TLS. */
class TlsClientsTest {

    @TempDir
    static Path dir;
    private static SelfSignedPem pem;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        pem = SelfSignedPem.create(dir);
        server = TestServer.start(TestApps.ROUTES, b -> b.sslCertFile(pem.certFile()).sslKeyFile(pem.keyFile()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String url(String path) {
        assumeTrue(server.handle().addresses().stream().anyMatch(a -> a.startsWith("https")),
                "the runtime has no TLS yet");
        return "https://localhost:" + server.port() + path;
    }

    @Test
    void jdkHttpClientNegotiatesH2ByAlpn() throws Exception {
        String url = url("/version");
        var trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem.certFile())) {
            trust.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (var client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build()) {
            var response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals("2 GET localhost:" + server.port() + "\n", response.body());
        }
    }

    @Test
    void curlNegotiatesH2ByAlpn() throws Exception {
        String url = url("/version");
        assumeTrue(Tools.present("curl"), "curl is not installed");
        var r = Tools.run(20, "curl", "-sS", "--http2", "--cacert", pem.certFile().toString(), "-w",
                "%{http_version}", url);
        assertEquals(0, r.exit(), r.err());
        assertEquals("2 GET localhost:" + server.port() + "\n2", r.out());
    }
}
