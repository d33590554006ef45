package dev.pounce.h3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The runtime's middleware reaches HTTP/3 as every protocol, through the bridge: a CORS preflight answered without
 * the app and a credentialed answer with the origin echoed, and the security headers with HSTS (HTTP/3 is always
 * TLS).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MiddlewareOverHttp3Test {

    private static final String PAGE = "https://page.example";

    @TempDir
    static Path dir;
    static TestServer server;
    static H3Client client;

    @BeforeAll
    static void start() throws Exception {
        var pem = SelfSignedPem.create(dir);
        server = TestServer.start(TestApps.ROUTES, pem, b -> b.set("cors.allow-origin", PAGE)
                .set("cors.allow-credentials", "true").set("security-headers.enabled", "true")
                .set("security-headers.hsts-max-age", "600"));
        client = H3Client.connect(server.address(), pem);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static H3Client.Response send(String method, String path, String... fields) throws Exception {
        H3Client.Call call = client.open(method, path, h -> {
            for (int i = 0; i < fields.length; i += 2) {
                h.add(fields[i], fields[i + 1]);
            }
        }, true);
        call.end();
        return call.response.get(30, TimeUnit.SECONDS);
    }

    private static String field(H3Client.Response r, String name) {
        CharSequence v = r.headers().get(name);
        return v == null ? null : v.toString();
    }

    @Test
    void aPreflightIsAnsweredWithoutTheApp() throws Exception {
        var r = send("OPTIONS", "/version", "origin", PAGE, "access-control-request-method", "PUT");
        assertEquals(204, r.status());
        assertEquals(PAGE, field(r, "access-control-allow-origin"));
        assertEquals("true", field(r, "access-control-allow-credentials"));
        assertEquals("", r.text(), "the app would have said its version");
        var refused = send("OPTIONS", "/version", "origin", "https://evil.example",
                "access-control-request-method", "PUT");
        assertEquals(403, refused.status());
        assertNull(field(refused, "access-control-allow-origin"));
    }

    @Test
    void theAppsAnswerGetsCorsAndSecurityFieldsWithHsts() throws Exception {
        var r = send("GET", "/version", "origin", PAGE);
        assertEquals(200, r.status());
        assertEquals("3 GET", r.text().substring(0, 5));
        assertEquals(PAGE, field(r, "access-control-allow-origin"));
        assertEquals("Origin", field(r, "vary"));
        assertEquals("nosniff", field(r, "x-content-type-options"));
        assertEquals("DENY", field(r, "x-frame-options"));
        assertEquals("max-age=600", field(r, "strict-transport-security"));
    }
}
