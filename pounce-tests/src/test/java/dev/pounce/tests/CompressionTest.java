package dev.pounce.tests;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStream;
import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifespanMessage;
import dev.pounce.api.LifespanScope;
import dev.pounce.api.Receive;
import dev.pounce.api.Send;
import dev.pounce.testing.PounceServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Response compression through real clients: the JDK {@code HttpClient} over HTTP/1.1 and HTTP/2 (h2c) and
 * {@code curl --compressed}. Every body that comes back encoded is decoded here and compared byte for byte with what
 * the app sent; a server-sent event stream is read event by event while the app waits for the test between events.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompressionTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    /** A JSON body of about 20 KiB, compressible but not trivially so. */
    static final byte[] JSON = json(20 << 10);
    private static final byte[] SMALL = "x".repeat(499).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AT_MIN = "x".repeat(500).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PNG = new byte[4096];
    private static final byte[] GZIPPED;
    /** What the app sends in chunks on {@code /stream}. */
    private static final List<String> PARTS = List.of("first part, ".repeat(20), "second part, ".repeat(30), "end");
    /** The latches that SSE requests wait on between their events, by the request's id. */
    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    static {
        new Random(3).nextBytes(PNG);
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(JSON);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        GZIPPED = out.toByteArray();
    }

    /** The app: one path per kind of response the rules tell apart. */
    static final App APP = (scope, receive, send) -> {
        switch (scope) {
            case HttpScope http -> serve(http, send);
            case LifespanScope l -> lifespan(receive, send);
            default -> { }
        }
    };

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(APP, c -> c.accessLog(false));

    /** The same app with {@code --no-compression}. */
    @RegisterExtension
    static final PounceServer OFF = PounceServer.of(APP, c -> c.accessLog(false).compression(false));

    /** The same app offering gzip alone, with a minimum size of 0. */
    @RegisterExtension
    static final PounceServer GZIP_ONLY = PounceServer.of(APP,
            c -> c.accessLog(false).compressionEncodings(List.of("gzip")).compressionMinSize(0));

    @BeforeAll
    static void brotli() {
        Brotli4jLoader.ensureAvailability();
    }

    static byte[] json(int size) {
        var b = new StringBuilder("[");
        var random = new Random(11);
        for (int i = 0; b.length() < size; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item-")
                    .append(Integer.toHexString(random.nextInt())).append("\",\"price\":")
                    .append(random.nextInt(100_000) / 100.0).append(",\"tags\":[\"a\",\"b\"],\"ok\":")
                    .append(random.nextBoolean()).append('}');
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void serve(HttpScope http, Send send) throws Exception {
        switch (http.path()) {
            case "/json" -> whole(send, 200, JSON, "content-type", "application/json",
                    "content-length", Integer.toString(JSON.length), "etag", "\"v1\"", "vary", "Origin");
            case "/small" -> whole(send, 200, SMALL, "content-type", "text/plain");
            case "/at-min" -> whole(send, 200, AT_MIN, "content-type", "text/plain");
            case "/image" -> whole(send, 200, PNG, "content-type", "image/png");
            case "/untyped" -> whole(send, 200, JSON);
            case "/encoded" -> whole(send, 200, GZIPPED, "content-type", "application/json",
                    "content-encoding", "gzip");
            case "/no-transform" -> whole(send, 200, JSON, "content-type", "application/json",
                    "cache-control", "no-transform");
            case "/partial" -> whole(send, 206, JSON, "content-type", "application/json",
                    "content-range", "bytes 0-" + (JSON.length - 1) + "/" + (JSON.length * 2));
            case "/vary-star" -> whole(send, 200, JSON, "content-type", "application/json", "vary", "*");
            case "/empty" -> send.send(new HttpMessage.ResponseStart(204, Headers.empty()));
            case "/not-modified" -> send.send(new HttpMessage.ResponseStart(304, Headers.of("etag", "\"v1\"")));
            case "/declared-small" -> {
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain",
                        "content-length", "6")));
                send.send(new HttpMessage.ResponseBody("abc".getBytes(StandardCharsets.US_ASCII), true));
                send.send(new HttpMessage.ResponseBody("def".getBytes(StandardCharsets.US_ASCII), false));
            }
            case "/stream" -> {
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
                for (int i = 0; i < PARTS.size(); i++) {
                    send.send(new HttpMessage.ResponseBody(PARTS.get(i).getBytes(StandardCharsets.US_ASCII),
                            i < PARTS.size() - 1));
                }
            }
            case "/sse" -> {
                CountDownLatch gate = GATES.get(http.queryString());
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/event-stream",
                        "cache-control", "no-cache")));
                send.send(new HttpMessage.ResponseBody(event(1), true));
                // The second event waits until the test has read the first: held back, the test would hang here.
                if (gate == null || !gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never read the first event");
                }
                send.send(new HttpMessage.ResponseBody(event(2), true));
                send.send(new HttpMessage.ResponseBody(HttpMessage.EMPTY, false));
            }
            default -> whole(send, 404, HttpMessage.EMPTY);
        }
    }

    static byte[] event(int n) {
        return ("id: " + n + "\ndata: {\"event\":" + n + ",\"text\":\"" + "tick ".repeat(10) + "\"}\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void whole(Send send, int status, byte[] body, String... headers) throws Exception {
        send.send(new HttpMessage.ResponseStart(status, Headers.of(headers)));
        send.send(new HttpMessage.ResponseBody(body, false));
    }

    private static void lifespan(Receive receive, Send send) throws Exception {
        while (true) {
            switch (receive.receive()) {
                case LifespanMessage.Startup s -> send.send(new LifespanMessage.StartupComplete());
                case LifespanMessage.Shutdown s -> {
                    send.send(new LifespanMessage.ShutdownComplete());
                    return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** The two protocols every rule is checked over. */
    enum Version {
        HTTP_1_1(HttpClient.Version.HTTP_1_1), HTTP_2(HttpClient.Version.HTTP_2);

        final HttpClient.Version version;

        Version(HttpClient.Version version) {
            this.version = version;
        }
    }

    private HttpClient h1;
    private HttpClient h2;

    @BeforeEach
    void clients() throws Exception {
        h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The JDK client upgrades its first cleartext request to h2c; after it, every request is HTTP/2.
        send(h2, SERVER, "GET", "/small");
    }

    private HttpClient client(Version v) {
        return v == Version.HTTP_1_1 ? h1 : h2;
    }

    private static HttpResponse<byte[]> send(HttpClient client, PounceServer server, String method, String path,
                                             String... headers) throws Exception {
        var b = HttpRequest.newBuilder(server.uri(path)).timeout(BOUND)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(Version v, String path, String acceptEncoding) throws Exception {
        var r = acceptEncoding == null ? send(client(v), SERVER, "GET", path)
                : send(client(v), SERVER, "GET", path, "accept-encoding", acceptEncoding);
        assertEquals(v.version, r.version(), "the protocol asked for");
        return r;
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** @return the body decoded as its {@code Content-Encoding} says */
    static byte[] decoded(HttpResponse<byte[]> r) throws IOException {
        String coding = header(r, "content-encoding");
        return coding == null ? r.body() : decoding(coding, new ByteArrayInputStream(r.body())).readAllBytes();
    }

    static InputStream decoding(String coding, InputStream in) throws IOException {
        return switch (coding) {
            case "gzip" -> new GZIPInputStream(in, 64);
            case "zstd" -> new ZstdInputStream(in);
            case "br" -> {
                // Without eager output brotli4j asks its source for more before it hands out what it decoded.
                var br = new BrotliInputStream(in, 64);
                br.enableEagerOutput();
                yield br;
            }
            default -> throw new AssertionError("unknown coding " + coding);
        };
    }

    // ---- each coding ----

    static Stream<Arguments> codings() {
        List<Arguments> out = new ArrayList<>();
        for (Version v : Version.values()) {
            for (String coding : List.of("zstd", "br", "gzip")) {
                out.add(Arguments.of(v, coding));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("codings")
    void eachCodingDecodesToTheOriginalBytes(Version v, String coding) throws Exception {
        var r = get(v, "/json", coding);
        assertEquals(200, r.statusCode());
        assertEquals(coding, header(r, "content-encoding"));
        assertArrayEquals(JSON, decoded(r));
        assertTrue(r.body().length < JSON.length / 2, coding + " made " + JSON.length + " bytes into "
                + r.body().length);
        // The app's Vary keeps its member; its strong ETag is made weak, since the bytes are no longer the same.
        assertEquals("Origin, Accept-Encoding", header(r, "vary"));
        assertEquals("W/\"v1\"", header(r, "etag"));
        // The app declared the plain length; a body sent in one message gets the encoded one instead.
        if (v == Version.HTTP_1_1) {
            assertEquals(Integer.toString(r.body().length), header(r, "content-length"));
        }
    }

    // ---- negotiation ----

    static Stream<Arguments> negotiation() {
        return Stream.of(
                // The server's order wins over the client's q-values (zstd > br > gzip), as in the Python Pounce.
                Arguments.of("gzip, br, zstd;q=0.9", "zstd"),
                Arguments.of("gzip;q=1.0, br;q=0.5", "br"),
                Arguments.of("gzip", "gzip"),
                Arguments.of("GZIP;Q=0.5", "gzip"),
                Arguments.of("x-gzip", "gzip"),
                // q=0 refuses a coding; an unparsable or out-of-range q-value refuses it too.
                Arguments.of("zstd;q=0, br;q=0.000, gzip", "gzip"),
                Arguments.of("zstd;q=0, br;q=0, gzip;q=0", null),
                Arguments.of("gzip;q=abc", null),
                Arguments.of("gzip;q=1.5", null),
                // * stands for every coding not named; a named one keeps its own q-value.
                Arguments.of("*", "zstd"),
                Arguments.of("*, zstd;q=0", "br"),
                Arguments.of("*;q=0, gzip", "gzip"),
                Arguments.of("*;q=0", null),
                // identity is always acceptable as the answer, even when refused: nothing else can be sent.
                Arguments.of("identity", null),
                Arguments.of("identity;q=0", null),
                Arguments.of("identity;q=0, gzip;q=0", null),
                Arguments.of("deflate, compress", null),
                Arguments.of("", null));
    }

    @ParameterizedTest(name = "Accept-Encoding: {0} -> {1}")
    @MethodSource("negotiation")
    void theServersFirstAcceptedCodingIsChosen(String acceptEncoding, String expected) throws Exception {
        for (Version v : Version.values()) {
            var r = get(v, "/json", acceptEncoding);
            assertEquals(expected, header(r, "content-encoding"), v.name());
            assertArrayEquals(JSON, decoded(r), v.name());
            // Compressed or not, a cache must know another client may get another body.
            assertEquals("Origin, Accept-Encoding", header(r, "vary"), v.name());
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void noAcceptEncodingMeansIdentityWithVary(Version v) throws Exception {
        var r = get(v, "/json", null);
        assertNull(header(r, "content-encoding"));
        assertArrayEquals(JSON, r.body());
        assertEquals(Integer.toString(JSON.length), v == Version.HTTP_1_1 ? header(r, "content-length")
                : Integer.toString(r.body().length));
        assertEquals("\"v1\"", header(r, "etag"), "an identity body keeps its strong tag");
        assertEquals("Origin, Accept-Encoding", header(r, "vary"));
    }

    @Test
    void theServersListSetsWhatIsOffered() throws Exception {
        var r = send(h1, GZIP_ONLY, "GET", "/json", "accept-encoding", "zstd, br, gzip;q=0.1");
        assertEquals("gzip", header(r, "content-encoding"));
        assertArrayEquals(JSON, decoded(r));
        var none = send(h1, GZIP_ONLY, "GET", "/json", "accept-encoding", "zstd, br");
        assertNull(header(none, "content-encoding"));
        // With a minimum of 0, even one byte is compressed.
        var small = send(h1, GZIP_ONLY, "GET", "/small", "accept-encoding", "gzip");
        assertEquals("gzip", header(small, "content-encoding"));
        assertArrayEquals(SMALL, decoded(small));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void noCompressionSendsEveryBodyAsItIs(Version v) throws Exception {
        var client = v == Version.HTTP_1_1 ? h1 : HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        var r = send(client, OFF, "GET", "/json", "accept-encoding", "zstd, br, gzip");
        assertNull(header(r, "content-encoding"));
        assertArrayEquals(JSON, r.body());
        assertEquals("Origin", header(r, "vary"));
        assertEquals("\"v1\"", header(r, "etag"));
    }

    // ---- what is sent as it is ----

    static Stream<Arguments> untouched() {
        List<Arguments> out = new ArrayList<>();
        for (Version v : Version.values()) {
            out.add(Arguments.of(v, "/small", "below --compression-min-size (499 bytes in one message)"));
            out.add(Arguments.of(v, "/declared-small", "a Content-Length below the minimum, in two messages"));
            out.add(Arguments.of(v, "/image", "image/png is compressed already"));
            out.add(Arguments.of(v, "/untyped", "no Content-Type"));
            out.add(Arguments.of(v, "/encoded", "the app encoded it itself"));
            out.add(Arguments.of(v, "/no-transform", "Cache-Control: no-transform"));
            out.add(Arguments.of(v, "/partial", "206, a part of a representation"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("untouched")
    void someResponsesAreSentAsTheyAre(Version v, String path, String why) throws Exception {
        var plain = get(v, path, null);
        var asked = get(v, path, "zstd, br, gzip");
        assertEquals(plain.statusCode(), asked.statusCode());
        assertArrayEquals(plain.body(), asked.body(), why);
        assertEquals(path.equals("/encoded") ? "gzip" : null, header(asked, "content-encoding"), why);
        assertNull(header(asked, "vary"), why);
        if (path.equals("/encoded")) {
            assertArrayEquals(GZIPPED, asked.body(), "the app's own gzip bytes, not encoded twice");
        }
    }

    @Test
    void theMinimumSizeIsCompressedAndOneByteLessIsNot() throws Exception {
        var at = get(Version.HTTP_1_1, "/at-min", "gzip");
        assertEquals("gzip", header(at, "content-encoding"));
        assertArrayEquals(AT_MIN, decoded(at));
        assertNull(header(get(Version.HTTP_1_1, "/small", "gzip"), "content-encoding"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void headNoContentAndNotModifiedAreLeftAlone(Version v) throws Exception {
        var head = send(client(v), SERVER, "HEAD", "/json", "accept-encoding", "gzip");
        assertEquals(200, head.statusCode());
        assertNull(header(head, "content-encoding"));
        assertEquals(0, head.body().length);
        var empty = get(v, "/empty", "gzip");
        assertEquals(204, empty.statusCode());
        assertNull(header(empty, "content-encoding"));
        assertNull(header(empty, "vary"));
        var notModified = get(v, "/not-modified", "gzip");
        assertEquals(304, notModified.statusCode());
        assertNull(header(notModified, "content-encoding"));
        assertEquals("\"v1\"", header(notModified, "etag"));
    }

    @Test
    void aVaryOfStarIsKept() throws Exception {
        var r = get(Version.HTTP_1_1, "/vary-star", "gzip");
        assertEquals("gzip", header(r, "content-encoding"));
        assertEquals("*", header(r, "vary"));
    }

    // ---- streams ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("codings")
    void aStreamedBodyIsCompressedWithoutALength(Version v, String coding) throws Exception {
        var r = get(v, "/stream", coding);
        assertEquals(coding, header(r, "content-encoding"));
        assertNull(header(r, "content-length"));
        assertEquals(String.join("", PARTS), new String(decoded(r), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("codings")
    void serverSentEventsArriveOneByOneWhileCompressed(Version v, String coding) throws Exception {
        String id = UUID.randomUUID().toString();
        var gate = new CountDownLatch(1);
        GATES.put(id, gate);
        try {
            var request = HttpRequest.newBuilder(SERVER.uri("/sse?" + id)).header("accept-encoding", coding).build();
            var r = client(v).send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(coding, r.headers().firstValue("content-encoding").orElse(null));
            assertEquals("text/event-stream", r.headers().firstValue("content-type").orElse(null));
            try (InputStream events = decoding(coding, r.body())) {
                // The app sends the second event only after this: a first event held in the encoder would hang.
                assertEquals(new String(event(1), StandardCharsets.UTF_8), readEvent(events));
                gate.countDown();
                assertEquals(new String(event(2), StandardCharsets.UTF_8), readEvent(events));
                assertEquals(-1, events.read());
            }
        } finally {
            gate.countDown();
            GATES.remove(id);
        }
    }

    /** Reads one byte at a time up to the blank line that ends an event, so no decoder waits for more. */
    private static String readEvent(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the stream ended inside an event: " + out);
            }
            out.write(b);
            String s = out.toString(StandardCharsets.UTF_8);
            if (s.endsWith("\n\n")) {
                return s;
            }
        }
    }

    // ---- the module path, with and without the optional codecs ----

    /**
     * On the module path the runtime reads zstd-jni and brotli4j through {@code requires static}: found when they
     * are there, and left out with one log line when they are not, as in the jlink image, where gzip serves alone.
     */
    @Test
    void onTheModulePathTheOptionalCodecsAreUsedWhenPresent() throws Exception {
        byte[] text = new String(JSON, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        try (var child = ModulePathTest.serve(ChildJvm.productJars())) {
            int port = Integer.parseInt(child.awaitStderr(ModulePathTest.SERVING, ModulePathTest.START_BOUND)
                    .group(1));
            for (String coding : List.of("zstd", "br", "gzip")) {
                var r = echo(port, text, coding);
                assertEquals(coding, header(r, "content-encoding"), child.describe());
                assertArrayEquals(text, decoded(r));
            }
            assertTrue(!child.stderr().contains("is not offered"), child.describe());
            child.terminate();
            assertEquals(0, child.awaitExit(ModulePathTest.EXIT_BOUND), child.describe());
        }
        List<Path> withoutCodecs = ChildJvm.productJars().stream()
                .filter(p -> !p.getFileName().toString().matches("(zstd-jni|brotli4j|native-linux|service)-.*"))
                .toList();
        try (var child = ModulePathTest.serve(withoutCodecs)) {
            int port = Integer.parseInt(child.awaitStderr(ModulePathTest.SERVING, ModulePathTest.START_BOUND)
                    .group(1));
            child.awaitStderr(java.util.regex.Pattern.compile("compression: zstd is not offered"),
                    ModulePathTest.START_BOUND);
            child.awaitStderr(java.util.regex.Pattern.compile("compression: br is not offered"),
                    ModulePathTest.START_BOUND);
            var r = echo(port, text, "zstd, br, gzip");
            assertEquals("gzip", header(r, "content-encoding"), child.describe());
            assertArrayEquals(text, decoded(r));
            child.terminate();
            assertEquals(0, child.awaitExit(ModulePathTest.EXIT_BOUND), child.describe());
            assertTrue(!child.stderr().contains("\n\tat "), "a stack trace in the log:\n" + child.describe());
        }
    }

    /** The demo's {@code /echo}: the body comes back streamed, with the request's type. */
    private HttpResponse<byte[]> echo(int port, byte[] body, String acceptEncoding) throws Exception {
        return h1.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/echo"))
                .timeout(BOUND).header("content-type", "text/plain").header("accept-encoding", acceptEncoding)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // ---- curl ----

    @ParameterizedTest(name = "curl {0}")
    @MethodSource("curlCases")
    void curlDecodesWhatItAskedFor(String protocol, String acceptEncoding, String expected) throws Exception {
        Path headers = Files.createTempFile("pounce-curl", ".txt");
        Path body = Files.createTempFile("pounce-curl", ".json");
        try {
            List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--compressed",
                    "-D", headers.toString(), "-o", body.toString()));
            if (protocol.equals("h2c")) {
                cmd.add("--http2-prior-knowledge");
            }
            if (acceptEncoding != null) {
                cmd.addAll(List.of("-H", "Accept-Encoding: " + acceptEncoding));
            }
            cmd.add(SERVER.uri("/json").toString());
            var curl = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, curl.waitFor(), output);
            String head = Files.readString(headers).toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.contains("content-encoding: " + expected + "\r\n"), head);
            assertArrayEquals(JSON, Files.readAllBytes(body), "curl's decoding of " + expected);
        } finally {
            Files.deleteIfExists(headers);
            Files.deleteIfExists(body);
        }
    }

    static Stream<Arguments> curlCases() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : List.of("http/1.1", "h2c")) {
            // curl --compressed asks for every coding it can decode: this one asks for zstd, br, gzip and deflate.
            out.add(Arguments.of(protocol, null, "zstd"));
            out.add(Arguments.of(protocol, "br", "br"));
            out.add(Arguments.of(protocol, "gzip", "gzip"));
        }
        return out.stream();
    }
}
