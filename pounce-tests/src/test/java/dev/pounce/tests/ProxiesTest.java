package dev.pounce.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --forwarded-allow-ips} through the {@code pounce} command and the demo app's {@code /whoami}, over HTTP/1.1
 * and HTTP/2: a trusted proxy's client, scheme and host reach the scope and the access log, an untrusted peer's
 * fields are not believed, and a bad value is ignored without failing the request. The test's own connections come
 * from loopback, so "untrusted" is a list without it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProxiesTest {

    private static final Pattern SERVING = Pattern.compile("serving on http://\\S+?:(\\d+) ");
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static ChildJvm serve(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(List.of(args));
        return ChildJvm.start(ChildJvm.modulePathCommand(ChildJvm.productJars(), all), Map.of());
    }

    private static HttpResponse<String> get(HttpClient client, String url, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aTrustedProxyInACidrRangeIsBelievedOverHttp1AndHttp2AndInTheAccessLog() throws Exception {
        try (var child = serve("--host", "127.0.0.1", "--forwarded-allow-ips", "127.0.0.0/30",
                "--access-log-format", "json");
             var h1 = client(HttpClient.Version.HTTP_1_1);
             var h2 = client(HttpClient.Version.HTTP_2)) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, BOUND).group(1));
            String base = "http://127.0.0.1:" + port;

            // X-Forwarded-For walked from the right: 127.0.0.3 is a trusted hop (in the /30), 198.51.100.7 is not.
            var r = get(h1, base + "/whoami", "X-Forwarded-For", "203.0.113.9, 198.51.100.7, 127.0.0.3",
                    "X-Forwarded-Proto", "https", "X-Forwarded-Host", "shop.example:8443",
                    "X-Request-ID", "proxied-h1");
            assertEquals("client=198.51.100.7:0 scheme=https host=shop.example:8443\n", r.body(), child.describe());
            assertEquals("proxied-h1", r.headers().firstValue("x-request-id").orElseThrow());

            // RFC 7239 over HTTP/2, with a quoted IPv6 client and port; it wins over X-Forwarded-For.
            assertEquals(200, get(h2, base + "/").statusCode());
            var r2 = get(h2, base + "/whoami", "Forwarded", "for=\"[2001:db8::1]:4711\";proto=https;host=api.example",
                    "X-Forwarded-For", "203.0.113.9", "X-Request-ID", "proxied-h2");
            assertEquals(HttpClient.Version.HTTP_2, r2.version());
            assertEquals("client=[2001:db8:0:0:0:0:0:1]:4711 scheme=https host=api.example\n", r2.body());

            // Bad values are not believed, and the request is served all the same.
            var bad = get(h1, base + "/whoami", "X-Forwarded-For", "not-an-address", "X-Forwarded-Proto",
                    "javascript", "X-Forwarded-Host", "two words", "X-Request-ID", "proxied-bad");
            assertEquals(200, bad.statusCode());
            assertTrue(bad.body().matches("client=127\\.0\\.0\\.1:\\d+ scheme=http host=127\\.0\\.0\\.1:" + port
                    + "\n"), bad.body());

            child.awaitStdout(Pattern.compile("\"req_id\":\"proxied-bad\""), BOUND);
            var lines = OperationsTest.JsonLines.parse(child.stdout());
            assertEquals("\"198.51.100.7:0\"", OperationsTest.JsonLines.only(lines, "proxied-h1").get("client"));
            assertEquals("\"[2001:db8:0:0:0:0:0:1]:4711\"",
                    OperationsTest.JsonLines.only(lines, "proxied-h2").get("client"));
            assertTrue(OperationsTest.JsonLines.only(lines, "proxied-bad").get("client")
                    .matches("\"127\\.0\\.0\\.1:\\d+\""));
            child.terminate();
            assertEquals(0, child.awaitExit(BOUND), child.describe());
        }
    }

    @Test
    void anUntrustedPeerIsNotBelievedAndAnIpv6ProxyIs() throws Exception {
        boolean ipv6 = ipv6Loopback();
        // Bound to every address when IPv6 is there, so the same server sees a peer on ::1 and one on 127.0.0.1.
        try (var child = serve("--host", ipv6 ? "::" : "127.0.0.1", "--forwarded-allow-ips", "10.0.0.0/8,::1");
             var h1 = client(HttpClient.Version.HTTP_1_1);
             var h2 = client(HttpClient.Version.HTTP_2)) {
            int port = Integer.parseInt(child.awaitStderr(SERVING, BOUND).group(1));
            String base = "http://127.0.0.1:" + port;
            String[] claims = {"X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "shop.example", "Forwarded", "for=198.51.100.8", "X-Request-ID", "chosen"};
            for (var client : List.of(h1, h2)) {
                get(client, base + "/");
                var r = get(client, base + "/whoami", claims);
                assertTrue(r.body().matches("client=\\S+ scheme=http host=127\\.0\\.0\\.1:" + port + "\n"),
                        r.version() + ": " + r.body());
                assertTrue(!r.body().contains("198.51.100"), r.body());
                assertNotEquals("chosen", r.headers().firstValue("x-request-id").orElseThrow());
            }
            if (ipv6) {
                String v6 = "http://[::1]:" + port;
                for (var client : List.of(h1, h2)) {
                    get(client, v6 + "/");
                    var r = get(client, v6 + "/whoami", claims);
                    assertEquals("client=198.51.100.8:0 scheme=http host=[::1]:" + port + "\n", r.body(),
                            r.version() + ": Forwarded wins, and it has no proto or host");
                    assertEquals("chosen", r.headers().firstValue("x-request-id").orElseThrow());
                }
            }
            child.terminate();
            assertEquals(0, child.awaitExit(BOUND), child.describe());
        }
    }

    private static boolean ipv6Loopback() {
        try (var s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
