package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.Response;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The built-in security headers through the JDK {@code HttpClient}: the set on the app's answers, on the server's
 * {@code 500} and on static files, over HTTP/1.1 and HTTP/2; every field the app set kept as it is; each per-field
 * setting; and HSTS only over TLS, never on a plain-HTTP answer of the same settings.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityHeadersTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Path DIR;
    private static final Path[] CERT;

    static {
        try {
            DIR = Files.createTempDirectory("pounce-security-headers").toRealPath();
            Files.createDirectories(DIR.resolve("site"));
            Files.writeString(DIR.resolve("site/page.html"), "<h1>static</h1>\n");
            CERT = Certificates.selfSigned(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code /own} sets every field the middleware would; {@code /fail} throws. */
    private static final App APP = App.of(request -> switch (request.scope().path()) {
        case "/own" -> new Response(200, Headers.of("x-frame-options", "SAMEORIGIN",
                "content-security-policy", "default-src 'self'", "referrer-policy", "no-referrer",
                "x-content-type-options", "nosniff", "strict-transport-security", "max-age=5"), "own".getBytes());
        case "/fail" -> throw new IllegalStateException("the app failed on purpose");
        default -> Response.text(200, "from the app");
    });

    private static void secure(dev.pounce.api.ServerConfig.Builder c) {
        c.accessLog(false).staticFiles(List.of("/s=" + DIR.resolve("site")))
                .set("security-headers.enabled", "true")
                .set("security-headers.hsts-max-age", "31536000")
                .set("security-headers.hsts-include-subdomains", "true");
    }

    @RegisterExtension
    static final PounceServer PLAIN = PounceServer.of(APP, SecurityHeadersTest::secure);

    @RegisterExtension
    static final PounceServer TLS = PounceServer.of(APP, c -> {
        secure(c);
        c.sslCertFile(CERT[0]).sslKeyFile(CERT[1]);
    });

    /** Every per-field setting away from its default. */
    @RegisterExtension
    static final PounceServer TUNED = PounceServer.of(APP, c -> c.accessLog(false)
            .set("security-headers.enabled", "true")
            .set("security-headers.frame-options", "sameorigin")
            .set("security-headers.referrer-policy", "off")
            .set("security-headers.content-type-options", "false"));

    /** The two protocols every rule is checked over. */
    enum Version {
        HTTP_1_1(HttpClient.Version.HTTP_1_1), HTTP_2(HttpClient.Version.HTTP_2);

        final HttpClient.Version version;

        Version(HttpClient.Version version) {
            this.version = version;
        }
    }

    private static HttpResponse<String> get(Version v, URI uri) throws Exception {
        var client = HttpClient.newBuilder().version(v.version).sslContext(trusting()).build();
        // Cleartext HTTP/2 starts with an h2c upgrade on the first request, so the second one is checked.
        var request = HttpRequest.newBuilder(uri).timeout(BOUND).build();
        client.send(request, HttpResponse.BodyHandlers.ofString());
        var r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(v.version, r.version(), "the protocol asked for");
        return r;
    }

    private static SSLContext trusting() throws Exception {
        var store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(CERT[0])) {
            store.setCertificateEntry("pounce", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        var ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        return ssl;
    }

    private static URI https(String path) {
        return URI.create("https://127.0.0.1:" + TLS.port() + path);
    }

    private static List<String> all(HttpResponse<?> r, String name) {
        return r.headers().allValues(name);
    }

    private static void theSet(HttpResponse<?> r) {
        assertEquals(List.of("nosniff"), all(r, "x-content-type-options"));
        assertEquals(List.of("strict-origin-when-cross-origin"), all(r, "referrer-policy"));
        assertEquals(List.of("DENY"), all(r, "x-frame-options"));
        assertEquals(List.of("frame-ancestors 'none'"), all(r, "content-security-policy"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void thePlainServerAddsTheSetButNeverHsts(Version v) throws Exception {
        var r = get(v, PLAIN.uri("/"));
        assertEquals("from the app", r.body());
        theSet(r);
        assertEquals(List.of(), all(r, "strict-transport-security"), "RFC 6797 section 7.2: not over plain HTTP");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void theTlsServerAddsHstsToo(Version v) throws Exception {
        var r = get(v, https("/"));
        theSet(r);
        assertEquals(List.of("max-age=31536000; includeSubDomains"), all(r, "strict-transport-security"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void everyFieldTheAppSetIsKept(Version v) throws Exception {
        for (var r : List.of(get(v, PLAIN.uri("/own")), get(v, https("/own")))) {
            assertEquals(List.of("SAMEORIGIN"), all(r, "x-frame-options"));
            assertEquals(List.of("default-src 'self'"), all(r, "content-security-policy"));
            assertEquals(List.of("no-referrer"), all(r, "referrer-policy"));
            assertEquals(List.of("nosniff"), all(r, "x-content-type-options"));
        }
        assertEquals(List.of("max-age=5"), all(get(v, https("/own")), "strict-transport-security"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void theServersOwn500AndStaticFilesGetTheSet(Version v) throws Exception {
        var failed = get(v, https("/fail"));
        assertEquals(500, failed.statusCode());
        theSet(failed);
        assertEquals(List.of("max-age=31536000; includeSubDomains"), all(failed, "strict-transport-security"));
        var file = get(v, PLAIN.uri("/s/page.html"));
        assertEquals("<h1>static</h1>\n", file.body());
        theSet(file);
        var client = HttpClient.newBuilder().version(v.version).build();
        var post = HttpRequest.newBuilder(PLAIN.uri("/s/page.html")).timeout(BOUND)
                .POST(HttpRequest.BodyPublishers.ofString("x")).build();
        client.send(post, HttpResponse.BodyHandlers.ofString());
        var refused = client.send(post, HttpResponse.BodyHandlers.ofString());
        assertEquals(405, refused.statusCode(), "a static folder takes GET and HEAD only");
        theSet(refused);
    }

    @Test
    void eachFieldHasItsOwnSetting() throws Exception {
        var r = get(Version.HTTP_1_1, TUNED.uri("/"));
        assertEquals(List.of("SAMEORIGIN"), all(r, "x-frame-options"));
        assertEquals(List.of("frame-ancestors 'self'"), all(r, "content-security-policy"));
        assertEquals(List.of(), all(r, "referrer-policy"));
        assertEquals(List.of(), all(r, "x-content-type-options"));
        assertEquals(List.of(), all(r, "strict-transport-security"));
    }
}
