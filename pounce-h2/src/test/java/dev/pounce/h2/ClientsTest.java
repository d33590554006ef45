package dev.pounce.h2;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real HTTP/2 clients against a real server: curl, nghttp, h2load and the JDK's HttpClient, over h2c. */
class ClientsTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestApps.ROUTES, b -> b.maxRequestBodySize(64L << 20));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void curlWithPriorKnowledge() throws Exception {
        assumeTrue(Tools.present("curl"), "curl is not installed");
        var r = Tools.run(20, "curl", "-sS", "--http2-prior-knowledge", "-w", "%{http_version}", server.url("/version"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("2 GET 127.0.0.1:" + server.port() + "\n2", r.out());
    }

    @Test
    void curlUpgradesFromHttp11() throws Exception {
        assumeTrue(Tools.present("curl"), "curl is not installed");
        var r = Tools.run(20, "curl", "-sS", "-v", "--http2", "-w", "%{http_version}", server.url("/version"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("101 Switching Protocols"), r.err());
        assertEquals("2 GET 127.0.0.1:" + server.port() + "\n2", r.out());
    }

    @Test
    void curlReceivesTrailersAndEarlyHints() throws Exception {
        assumeTrue(Tools.present("curl"), "curl is not installed");
        var r = Tools.run(20, "curl", "-sS", "-i", "--http2-prior-knowledge", server.url("/hints"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("HTTP/2 103"), r.out());
        assertTrue(r.out().contains("HTTP/2 200"), r.out());
        assertTrue(r.out().contains("date: "), r.out());
        var t = Tools.run(20, "nghttp", "-v", server.url("/trailers"));
        assertTrue(t.out().contains("x-checksum: 42"), t.out());
    }

    @Test
    void nghttp() throws Exception {
        assumeTrue(Tools.present("nghttp"), "nghttp is not installed");
        var r = Tools.run(20, "nghttp", "-v", server.url("/"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains(":status: 200"), r.out());
        assertTrue(r.out().contains("Hello from Pounce!"), r.out());
        assertTrue(r.out().contains("server: pounce") || r.out().contains("server: "), r.out());
    }

    @Test
    void jdkHttpClientUpgradesToHttp2() throws Exception {
        try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            // The JDK client asks for h2c with its first request (a GET without a body), then reuses the connection.
            for (int i = 0; i < 3; i++) {
                var response = client.send(HttpRequest.newBuilder(URI.create(server.url("/version"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals(HttpClient.Version.HTTP_2, response.version());
                assertEquals("2 GET 127.0.0.1:" + server.port() + "\n", response.body());
            }
            byte[] body = new byte[3 << 20];
            new Random(7).nextBytes(body);
            var echoed = client.send(HttpRequest.newBuilder(URI.create(server.url("/echo")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(HttpClient.Version.HTTP_2, echoed.version());
            assertArrayEquals(body, echoed.body());
        }
    }

    @Test
    void manyConcurrentStreamsOnOneConnection() throws Exception {
        assumeTrue(Tools.present("h2load"), "h2load is not installed");
        var r = Tools.run(60, "h2load", "-n1000", "-c1", "-m50", server.url("/"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("1000 succeeded, 0 failed, 0 errored"), r.out());
        assertTrue(Pattern.compile("status codes: 1000 2xx").matcher(r.out()).find(), r.out());
    }

    @Test
    void largeUploadAndDownloadNeedFlowControl(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.present("curl"), "curl is not installed");
        byte[] body = new byte[8 << 20];
        new Random(42).nextBytes(body);
        Path in = Files.write(dir.resolve("in.bin"), body);
        Path out = dir.resolve("out.bin");
        var r = Tools.run(60, "curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@" + in,
                "-o", out.toString(), "-w", "%{http_code} %{http_version}", server.url("/echo"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("200 2", r.out());
        assertEquals(sha(body), sha(Files.readAllBytes(out)));

        Path down = dir.resolve("down.bin");
        var d = Tools.run(60, "curl", "-sS", "--http2-prior-knowledge", "-o", down.toString(), "-w", "%{size_download}",
                server.url("/bytes?n=" + (8 << 20)));
        assertEquals(0, d.exit(), d.err());
        assertEquals(Integer.toString(8 << 20), d.out());
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
