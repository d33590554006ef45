package dev.pounce.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The jlink images, end to end: the image the build made serving the demo over HTTP/1.1 and HTTP/2 and stopping on
 * SIGTERM; an app image (the demo linked in) started with no APP; the PROXY protocol plugin switched on by dropping
 * its jar into plugins/, next to a plugin whose dependency is missing; and an image linked without pounce-h2.
 * The extra images are linked once for the class.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImageTest {

    @TempDir
    static Path work;
    static Path appImage;
    static Path noH2Image;
    static Path brokenPlugin;

    static final HttpClient HTTP1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void linkImages() throws Exception {
        appImage = Images.link(work.resolve("app-image"), jar -> false, List.of(Images.extra("pounce-demo.jar")));
        noH2Image = Images.link(work.resolve("no-h2-image"), jar -> jar.startsWith("pounce-h2-"), List.of());
        brokenPlugin = BrokenPlugin.build(work.resolve("broken"));
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theBuiltImageServesTheDemoOverHttp1AndHttp2AndStopsOnSigterm() throws Exception {
        Path image = Images.built();
        assertTrue(Files.isExecutable(image.resolve("bin/pounce")), "bin/pounce in " + image);
        try (var server = ImageProcess.start(image, work.resolve("built.log"),
                Map.of("POUNCE_MODULE_PATH", Images.extra("pounce-demo.jar").toString()))) {
            var response = get(server.port(), "/");
            assertEquals(200, response.statusCode());
            assertEquals("Hello from Pounce!\n", response.body());
            String log = server.output();
            assertTrue(log.contains("epoll") || log.contains("io_uring"),
                    "the native transport is linked and resolved:\n" + log);
            if (log.contains("protocols: ") && log.substring(log.indexOf("protocols: ")).contains("h2")) {
                assertEquals("200 2", curlHttp2(server.port()));
            }
            assertEquals(0, server.terminate(), server.output());
        }
    }

    /**
     * {@code pounce bench} in the image: the built-in app loaded by name through the qualified export, the load
     * client's HTTP/1.1 and h2c codecs linked, each run answered without an error.
     */
    @Test
    void theBuiltImageBenchmarksItselfOverHttp1AndH2c() throws Exception {
        Path image = Images.built();
        Path out = work.resolve("bench.out");
        Process bench = new ProcessBuilder(image.resolve("bin/pounce").toString(), "bench", "--duration", "0.5",
                "--warmup", "0", "--connections", "1", "--streams", "2", "--workloads", "plaintext,echo",
                "--protocols", "h1,h2c", "--log-level", "warning")
                .redirectOutput(out.toFile()).redirectError(work.resolve("bench.err").toFile()).start();
        assertTrue(bench.waitFor(60, TimeUnit.SECONDS), "pounce bench did not finish");
        String table = Files.readString(out);
        assertEquals(0, bench.exitValue(), table + Files.readString(work.resolve("bench.err")));
        for (String run : List.of("plaintext +h1 ", "echo +h1 ", "plaintext +h2c ", "echo +h2c ")) {
            // requests > 0 (a figure not starting with 0) and 0 errors, in the columns of the table.
            String row = "pounce +" + run + " *[1-9][0-9,]* .* 0 +\\S+ +\\S+( MiB)?";
            assertTrue(table.lines().anyMatch(l -> l.matches(row)), run + " in:\n" + table);
        }
    }

    /**
     * The AOT cache from the build's training run: the launcher starts from it (the JVM's own log says it opened
     * it), {@code POUNCE_AOT_CACHE=} starts without, and a file the JVM cannot use is refused on stderr while the
     * server still serves.
     */
    @Test
    void theBuiltImageStartsFromItsAotCacheAndServesWithoutAUsableOne() throws Exception {
        Path image = Images.built();
        assertTrue(Files.size(image.resolve("lib/pounce.aot")) > 1_000_000, "the training run wrote lib/pounce.aot");
        Path junk = Files.writeString(work.resolve("junk.aot"), "not an AOT cache");
        for (var run : List.of(Map.of("POUNCE_JAVA_OPTS", "-Xlog:aot"),
                Map.of("POUNCE_JAVA_OPTS", "-Xlog:aot", "POUNCE_AOT_CACHE", ""),
                Map.of("POUNCE_AOT_CACHE", junk.toString()))) {
            try (var server = ImageProcess.start(image, work.resolve("aot.log"), run,
                    "dev.pounce.cli.bench.BenchApp")) {
                var response = get(server.port(), "/plaintext");
                assertEquals(200, response.statusCode(), run.toString());
                String log = server.output();
                boolean opened = log.contains("Opened AOT cache");
                assertEquals(!run.containsKey("POUNCE_AOT_CACHE"), opened, run + ":\n" + log);
                assertEquals(0, server.terminate(), server.output());
            }
        }
    }

    /** HTTP/2 with prior knowledge, as {@code curl --http2-prior-knowledge} speaks it; skipped without curl. */
    static String curlHttp2(int port) throws IOException, InterruptedException {
        Process curl;
        try {
            curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                    "--max-time", "10", "--http2-prior-knowledge", "http://127.0.0.1:" + port + "/")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "curl is not installed");
            throw e;
        }
        assertTrue(curl.waitFor(15, TimeUnit.SECONDS));
        return new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    }

    @Test
    void anAppImageServesItsAppWithNoAppArgument() throws Exception {
        try (var server = ImageProcess.start(appImage, work.resolve("app.log"), Map.of())) {
            var response = get(server.port(), "/json");
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"client\":\"127.0.0.1:"), response.body());
            assertEquals(0, server.terminate());
        }
    }

    @Test
    void theProxyPluginInPluginsGivesTheScopeTheRealClientAndABrokenPluginIsSkipped() throws Exception {
        Path plugins = appImage.resolve("plugins");
        Path proxyJar = plugins.resolve("pounce-proxy-protocol.jar");
        Path brokenJar = plugins.resolve(brokenPlugin.getFileName());
        Files.copy(Images.extra("pounce-proxy-protocol.jar"), proxyJar, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(brokenPlugin, brokenJar, StandardCopyOption.REPLACE_EXISTING);
        try (var server = ImageProcess.start(appImage, work.resolve("proxy.log"), Map.of())) {
            String log = server.output();
            assertTrue(log.contains("plugin preamble proxy-protocol (dev.pounce.example.proxy"), log);
            assertTrue(log.contains("plugin skipped") && log.contains(brokenJar.getFileName().toString())
                    && log.contains("plugin.dep"), "the broken plugin is named with its missing module:\n" + log);
            String answer = exchange(server.port(), proxyV2(new byte[]{(byte) 203, 0, 113, 9}, 51000,
                    new byte[]{10, 0, 0, 5}, 8080), "/json");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\"client\":\"203.0.113.9:51000\""), answer);
            // Without a header the connection is served as it came.
            assertTrue(get(server.port(), "/json").body().contains("\"client\":\"127.0.0.1:"));
            assertEquals(0, server.terminate());
        } finally {
            Files.deleteIfExists(proxyJar);
            Files.deleteIfExists(brokenJar);
        }
    }

    @Test
    void withoutThePluginAProxyHeaderIsBadInput() throws Exception {
        try (var server = ImageProcess.start(appImage, work.resolve("no-proxy.log"), Map.of())) {
            String v2 = exchange(server.port(), proxyV2(new byte[]{(byte) 203, 0, 113, 9}, 51000,
                    new byte[]{10, 0, 0, 5}, 8080), "/json");
            assertTrue(v2.startsWith("HTTP/1.1 400"), v2);
            String v1 = exchange(server.port(),
                    "PROXY TCP4 203.0.113.9 10.0.0.5 51000 8080\r\n".getBytes(StandardCharsets.US_ASCII), "/json");
            assertTrue(v1.startsWith("HTTP/1.1 400"), v1);
            assertEquals(0, server.terminate());
        }
    }

    @Test
    void anImageWithoutH2ServesHttp1AndSaysHttp2IsAbsent() throws Exception {
        try (var server = ImageProcess.start(noH2Image, work.resolve("no-h2.log"),
                Map.of("POUNCE_MODULE_PATH", Images.extra("pounce-demo.jar").toString()))) {
            assertEquals(200, get(server.port(), "/").statusCode());
            String log = server.output();
            assertTrue(log.contains("absent: HTTP/2"), log);
            assertEquals(0, server.terminate());
        }
    }

    /** A PROXY v2 header for TCP over IPv4 (a PROXY command), as AWS NLB sends it. */
    static byte[] proxyV2(byte[] source, int sourcePort, byte[] destination, int destinationPort) {
        return ByteBuffer.allocate(28)
                .put(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A})
                .put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
                .put(source).put(destination).putShort((short) sourcePort).putShort((short) destinationPort)
                .array();
    }

    /** Sends {@code preamble}, then a GET with Connection: close, and reads until the server closes. */
    static String exchange(int port, byte[] preamble, String path) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(preamble);
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            try {
                in.transferTo(all);
            } catch (SocketException e) {
                // A reset after the answer: the server closed with our unread bytes in its buffer.
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
