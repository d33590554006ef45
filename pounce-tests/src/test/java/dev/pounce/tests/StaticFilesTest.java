package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Response;
import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --static} through real clients: the JDK {@code HttpClient} over HTTP/1.1 and HTTP/2 (h2c, upgraded on the
 * client's first request) for every rule that a well-behaved client can ask, raw sockets for the hostile paths a
 * client library would clean up first, and {@code curl} for one range request. Bodies are compared byte for byte
 * with the files on disk; multipart answers are parsed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StaticFilesTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Path ROOT;
    private static final Path SITE;
    /** A file outside the folder, which a traversal would reach. */
    private static final String SECRET = "the secret outside the folder\n";
    private static final byte[] DATA;
    private static final byte[] BIG;
    private static final byte[] GZ;
    private static final byte[] BR = "pretend brotli bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZST = "pretend zstd bytes!".getBytes(StandardCharsets.US_ASCII);

    static {
        try {
            ROOT = Files.createTempDirectory("pounce-static").toRealPath();
            SITE = Files.createDirectories(ROOT.resolve("site"));
            Files.writeString(ROOT.resolve("secret.txt"), SECRET);
            var text = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                text.append("line ").append(i).append('\n');
            }
            DATA = text.toString().getBytes(StandardCharsets.US_ASCII);
            Files.write(SITE.resolve("data.txt"), DATA);
            BIG = new byte[3 * 1024 * 1024 + 17];
            new Random(7).nextBytes(BIG);
            Files.write(SITE.resolve("big.bin"), BIG);
            Files.writeString(SITE.resolve("index.html"), "<h1>root</h1>\n");
            Files.writeString(SITE.resolve("style.css"), "body{}\n");
            Files.writeString(SITE.resolve("app.json"), "{}\n");
            Files.writeString(SITE.resolve("empty.txt"), "");
            Files.writeString(SITE.resolve(".env"), SECRET);
            Files.createDirectories(SITE.resolve(".git"));
            Files.writeString(SITE.resolve(".git/config"), SECRET);
            Files.createDirectories(SITE.resolve(".well-known"));
            Files.writeString(SITE.resolve(".well-known/security.txt"), "Contact: x\n");
            Files.createDirectories(SITE.resolve("docs"));
            Files.writeString(SITE.resolve("docs/index.html"), "<h1>docs</h1>\n");
            Files.createDirectories(SITE.resolve("bare"));
            Files.writeString(SITE.resolve("bare/readme.txt"), "no index here\n");
            Files.createSymbolicLink(SITE.resolve("escape.txt"), ROOT.resolve("secret.txt"));
            Files.createSymbolicLink(SITE.resolve("outside"), ROOT);
            Files.createSymbolicLink(SITE.resolve("alias.txt"), SITE.resolve("data.txt"));
            // Precompressed siblings of data.txt; their bytes say which one was sent.
            var gz = new ByteArrayOutputStream();
            try (var out = new GZIPOutputStream(gz)) {
                out.write(DATA);
            }
            GZ = gz.toByteArray();
            Files.write(SITE.resolve("data.txt.gz"), GZ);
            Files.write(SITE.resolve("data.txt.br"), BR);
            Files.write(SITE.resolve("data.txt.zst"), ZST);
            // A sibling older than its file is stale and never sent.
            Files.writeString(SITE.resolve("style.css.gz"), "stale");
            Files.setLastModifiedTime(SITE.resolve("style.css.gz"), FileTime.from(Instant.now().minusSeconds(3600)));
            // Files whose time is known to the second, for the date conditions.
            Files.setLastModifiedTime(SITE.resolve("app.json"), FileTime.from(Instant.parse("2024-05-06T07:08:09Z")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final PounceServer SERVER = PounceServer.of(
            App.of(request -> Response.text(200, "from the app")),
            c -> c.staticFiles(List.of("/s=" + SITE, "/s/docs=" + SITE.resolve("docs")))
                    .staticCacheControl(List.of("/s=max-age=60")).accessLog(false));

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
        get(h2, "/s/index.html");
    }

    private HttpClient client(Version v) {
        return v == Version.HTTP_1_1 ? h1 : h2;
    }

    private static HttpResponse<byte[]> get(HttpClient client, String path, String... headers) throws Exception {
        return send(client, "GET", path, headers);
    }

    private static HttpResponse<byte[]> send(HttpClient client, String method, String path, String... headers)
            throws Exception {
        var b = HttpRequest.newBuilder(SERVER.uri(path)).timeout(BOUND)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> checked(Version v, HttpResponse<byte[]> r) {
        assertEquals(v.version, r.version(), "the protocol asked for");
        return r;
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    // ---- whole files ----

    @ParameterizedTest
    @EnumSource(Version.class)
    void aFileComesWholeWithItsTypeValidatorsAndCacheControl(Version v) throws Exception {
        var r = checked(v, get(client(v), "/s/data.txt"));
        assertEquals(200, r.statusCode());
        assertArrayEquals(DATA, r.body());
        assertEquals("text/plain; charset=utf-8", header(r, "content-type"));
        assertEquals("nosniff", header(r, "x-content-type-options"));
        assertEquals("max-age=60", header(r, "cache-control"));
        assertEquals("bytes", header(r, "accept-ranges"));
        assertEquals("accept-encoding", header(r, "vary"), "data.txt has precompressed siblings");
        assertEquals(null, header(r, "content-encoding"));
        assertTrue(header(r, "etag").matches("\"[0-9a-f]+-" + Long.toHexString(DATA.length) + "\""),
                header(r, "etag"));
        long modified = Files.getLastModifiedTime(SITE.resolve("data.txt")).toMillis() / 1000;
        assertEquals(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .format(Instant.ofEpochSecond(modified).atOffset(ZoneOffset.UTC)), header(r, "last-modified"));
        var big = checked(v, get(client(v), "/s/big.bin"));
        assertArrayEquals(BIG, big.body());
        assertEquals("application/octet-stream", header(big, "content-type"));
        assertEquals(null, header(big, "vary"), "no sibling, nothing to vary on");
        assertEquals(0, checked(v, get(client(v), "/s/empty.txt")).body().length);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void typesComeFromTheTable(Version v) throws Exception {
        assertEquals("text/css; charset=utf-8", header(get(client(v), "/s/style.css"), "content-type"));
        assertEquals("application/json; charset=utf-8", header(get(client(v), "/s/app.json"), "content-type"));
        assertEquals("text/html; charset=utf-8", header(get(client(v), "/s/index.html"), "content-type"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void headGetsTheFieldsAndNoBody(Version v) throws Exception {
        var r = checked(v, send(client(v), "HEAD", "/s/data.txt"));
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals(String.valueOf(DATA.length), header(r, "content-length"));
        assertEquals(header(get(client(v), "/s/data.txt"), "etag"), header(r, "etag"));
        // Range is defined for GET only: a HEAD with one gets the whole file's fields.
        assertEquals(200, send(client(v), "HEAD", "/s/data.txt", "range", "bytes=0-9").statusCode());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void otherMethodsGet405WithAllowAndTheAppIsNotCalled(Version v) throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
            var r = checked(v, send(client(v), method, "/s/data.txt"));
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", header(r, "allow"), method);
        }
        // A missing file under a prefix is the server's 404, never the app's answer; other paths are the app's.
        var missing = checked(v, get(client(v), "/s/nothing-here.txt"));
        assertEquals(404, missing.statusCode());
        assertEquals("Not Found\n", new String(missing.body(), StandardCharsets.US_ASCII));
        assertEquals("from the app", new String(get(client(v), "/app").body(), StandardCharsets.UTF_8));
        assertEquals("from the app", new String(get(client(v), "/static").body(), StandardCharsets.UTF_8),
                "/static is not below /s");
    }

    // ---- folders ----

    @ParameterizedTest
    @EnumSource(Version.class)
    void aFolderGetsItsIndexOrA404AndNeverAListing(Version v) throws Exception {
        var root = checked(v, get(client(v), "/s/"));
        assertEquals("<h1>root</h1>\n", new String(root.body(), StandardCharsets.UTF_8));
        var bare = checked(v, get(client(v), "/s/bare/"));
        assertEquals(404, bare.statusCode());
        assertFalse(new String(bare.body(), StandardCharsets.UTF_8).contains("readme"));
        // The longest prefix wins: /s/docs is its own mount of the docs folder.
        assertEquals("<h1>docs</h1>\n", new String(get(client(v), "/s/docs/").body(), StandardCharsets.UTF_8));
        assertEquals("<h1>docs</h1>\n", new String(get(client(v), "/s/docs/index.html").body(),
                StandardCharsets.UTF_8));
        assertEquals("Contact: x\n", new String(get(client(v), "/s/.well-known/security.txt").body(),
                StandardCharsets.UTF_8), ".well-known is not hidden (RFC 8615)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/s|/s/", "/s/bare|/s/bare/", "/s/docs|/s/docs/", "/s/bare?x=1|/s/bare/?x=1"})
    void aFolderWithoutItsSlashIsRedirected(String pair) throws Exception {
        String[] p = pair.split("\\|");
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send("GET " + p[0] + " HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse r = conn.readResponse();
            assertEquals(301, r.status(), r.toString());
            assertEquals(Optional.of(p[1]), r.header("location"));
        }
    }

    // ---- conditional requests ----

    @ParameterizedTest
    @EnumSource(Version.class)
    void validatorsAnswer304And412(Version v) throws Exception {
        HttpClient c = client(v);
        String etag = header(get(c, "/s/data.txt"), "etag");
        String modified = header(get(c, "/s/data.txt"), "last-modified");
        var notModified = checked(v, get(c, "/s/data.txt", "if-none-match", etag));
        assertEquals(304, notModified.statusCode());
        assertEquals(0, notModified.body().length);
        assertEquals(etag, header(notModified, "etag"));
        assertEquals("max-age=60", header(notModified, "cache-control"));
        assertEquals("accept-encoding", header(notModified, "vary"));
        assertEquals(304, get(c, "/s/data.txt", "if-none-match", "\"other\", W/" + etag).statusCode(),
                "If-None-Match compares weakly");
        assertEquals(304, get(c, "/s/data.txt", "if-none-match", "*").statusCode());
        assertEquals(200, get(c, "/s/data.txt", "if-none-match", "\"other\"").statusCode());
        assertEquals(304, get(c, "/s/data.txt", "if-modified-since", modified).statusCode());
        assertEquals(200, get(c, "/s/app.json", "if-modified-since", "Mon, 06 May 2024 07:08:08 GMT").statusCode());
        assertEquals(304, get(c, "/s/app.json", "if-modified-since", "Mon, 06 May 2024 07:08:09 GMT").statusCode());
        // If-None-Match wins over If-Modified-Since (RFC 9110 section 13.2.2).
        assertEquals(200, get(c, "/s/data.txt", "if-none-match", "\"other\"", "if-modified-since", modified)
                .statusCode());
        assertEquals(200, get(c, "/s/data.txt", "if-modified-since", "not a date").statusCode());

        assertEquals(412, checked(v, get(c, "/s/data.txt", "if-match", "\"other\"")).statusCode());
        assertEquals(412, get(c, "/s/data.txt", "if-match", "W/" + etag).statusCode(), "If-Match compares strongly");
        assertEquals(200, get(c, "/s/data.txt", "if-match", "\"other\", " + etag).statusCode());
        assertEquals(200, get(c, "/s/data.txt", "if-match", "*").statusCode());
        assertEquals(412, get(c, "/s/app.json", "if-unmodified-since", "Mon, 06 May 2024 07:08:08 GMT")
                .statusCode());
        assertEquals(200, get(c, "/s/app.json", "if-unmodified-since", "Mon, 06 May 2024 07:08:09 GMT")
                .statusCode());
    }

    // ---- ranges ----

    private static byte[] slice(byte[] b, long first, long last) {
        return Arrays.copyOfRange(b, (int) first, (int) last + 1);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aSingleRangeIs206WithContentRange(Version v) throws Exception {
        HttpClient c = client(v);
        long n = BIG.length;
        for (long[] want : new long[][]{{0, 0}, {0, 99}, {1000, 200_000}, {n - 100, n - 1}}) {
            var r = checked(v, get(c, "/s/big.bin", "range", "bytes=" + want[0] + "-" + want[1]));
            assertEquals(206, r.statusCode());
            assertEquals("bytes " + want[0] + "-" + want[1] + "/" + n, header(r, "content-range"));
            assertArrayEquals(slice(BIG, want[0], want[1]), r.body());
        }
        var suffix = get(c, "/s/big.bin", "range", "bytes=-100");
        assertEquals("bytes " + (n - 100) + "-" + (n - 1) + "/" + n, header(suffix, "content-range"));
        assertArrayEquals(slice(BIG, n - 100, n - 1), suffix.body());
        var open = get(c, "/s/big.bin", "range", "bytes=3000000-");
        assertArrayEquals(slice(BIG, 3_000_000, n - 1), open.body());
        var clamped = get(c, "/s/data.txt", "range", "bytes=10-99999999");
        assertEquals("bytes 10-" + (DATA.length - 1) + "/" + DATA.length, header(clamped, "content-range"));
        var longSuffix = get(c, "/s/data.txt", "range", "bytes=-99999999");
        assertArrayEquals(DATA, longSuffix.body());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void severalRangesAreMultipartByteranges(Version v) throws Exception {
        long n = BIG.length;
        long[][] want = {{n - 10, n - 1}, {0, 9}, {100_000, 300_000}};
        var r = checked(v, get(client(v), "/s/big.bin", "range",
                "bytes=-10, 0-9,100000-300000"));
        assertEquals(206, r.statusCode());
        String type = header(r, "content-type");
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        assertEquals(String.valueOf(r.body().length), header(r, "content-length"));
        List<Part> parts = Part.parse(r.body(), boundary);
        assertEquals(3, parts.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("application/octet-stream", parts.get(i).type());
            assertEquals("bytes " + want[i][0] + "-" + want[i][1] + "/" + n, parts.get(i).range());
            assertArrayEquals(slice(BIG, want[i][0], want[i][1]), parts.get(i).body(), "part " + i);
        }
    }

    /** One part of a {@code multipart/byteranges} body. */
    record Part(String type, String range, byte[] body) {
        static List<Part> parse(byte[] body, String boundary) {
            String text = new String(body, StandardCharsets.ISO_8859_1);
            String delimiter = "--" + boundary;
            assertTrue(text.startsWith(delimiter + "\r\n"), "starts with the boundary");
            assertTrue(text.endsWith("\r\n" + delimiter + "--\r\n"), "ends with the closing boundary");
            List<Part> parts = new ArrayList<>();
            int at = 0;
            while (true) {
                int start = text.indexOf(delimiter, at);
                if (text.startsWith("--", start + delimiter.length())) {
                    return parts;
                }
                int headEnd = text.indexOf("\r\n\r\n", start);
                String type = null;
                String range = null;
                for (String line : text.substring(start + delimiter.length() + 2, headEnd).split("\r\n")) {
                    String[] kv = line.split(":", 2);
                    if (kv[0].equalsIgnoreCase("content-type")) {
                        type = kv[1].strip();
                    } else if (kv[0].equalsIgnoreCase("content-range")) {
                        range = kv[1].strip();
                    }
                }
                int next = text.indexOf("\r\n" + delimiter, headEnd + 4);
                parts.add(new Part(type, range, text.substring(headEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1)));
                at = next + 2;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void unsatisfiableIs416AndUnusableRangesGetTheWholeFile(Version v) throws Exception {
        HttpClient c = client(v);
        var r = checked(v, get(c, "/s/data.txt", "range", "bytes=" + DATA.length + "-"));
        assertEquals(416, r.statusCode());
        assertEquals("bytes */" + DATA.length, header(r, "content-range"));
        assertEquals(416, get(c, "/s/data.txt", "range", "bytes=99999999-99999999,-0").statusCode());
        assertEquals(416, get(c, "/s/empty.txt", "range", "bytes=0-").statusCode());
        for (String ignored : List.of("bytes=abc", "bytes=5-1", "items=0-1", "bytes=0-1-2", "bytes=--1",
                "bytes=0-99,50-150", "bytes=0-9,9-20", "bytes=0-,0-,0-")) {
            var whole = get(c, "/s/data.txt", "range", ignored);
            assertEquals(200, whole.statusCode(), ignored);
            assertArrayEquals(DATA, whole.body(), ignored);
        }
        // At most 16 ranges: 16 small ones are served, 17 are refused as an attack would be.
        var sixteen = new StringBuilder("bytes=0-0");
        for (int i = 1; i < 16; i++) {
            sixteen.append(',').append(i * 10).append('-').append(i * 10);
        }
        assertEquals(206, get(c, "/s/data.txt", "range", sixteen.toString()).statusCode());
        assertEquals(200, get(c, "/s/data.txt", "range", sixteen + ",200-200").statusCode());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void ifRangeSendsTheRangesOnlyForTheSameVersion(Version v) throws Exception {
        HttpClient c = client(v);
        String etag = header(get(c, "/s/data.txt"), "etag");
        assertEquals(206, get(c, "/s/data.txt", "range", "bytes=0-9", "if-range", etag).statusCode());
        var changed = get(c, "/s/data.txt", "range", "bytes=0-9", "if-range", "\"older\"");
        assertEquals(200, changed.statusCode());
        assertArrayEquals(DATA, changed.body());
        assertEquals(200, get(c, "/s/data.txt", "range", "bytes=0-9", "if-range", "W/" + etag).statusCode(),
                "a weak tag never matches If-Range");
        assertEquals(206, get(c, "/s/app.json", "range", "bytes=0-0", "if-range", "Mon, 06 May 2024 07:08:09 GMT")
                .statusCode());
        assertEquals(200, get(c, "/s/app.json", "range", "bytes=0-0", "if-range", "Mon, 06 May 2024 07:08:10 GMT")
                .statusCode());
    }

    // ---- precompressed siblings ----

    @ParameterizedTest
    @EnumSource(Version.class)
    void aPrecompressedSiblingIsChosenByAcceptEncoding(Version v) throws Exception {
        HttpClient c = client(v);
        record Case(String acceptEncoding, String coding, byte[] body) {
        }
        for (var k : List.of(
                new Case("gzip", "gzip", GZ),
                new Case("gzip, deflate, br", "br", BR),
                new Case("zstd, br, gzip", "zstd", ZST),
                new Case("*", "zstd", ZST),
                new Case("br;q=0.5, gzip;q=0.8", "gzip", GZ),
                new Case("br;q=0.5, *;q=0.1", "br", BR),
                new Case("zstd;q=0, *", "br", BR),
                new Case("x-gzip", "gzip", GZ),
                new Case("GZIP;Q=1", "gzip", GZ),
                new Case("gzip;q=0", null, DATA),
                new Case("*;q=0", null, DATA),
                new Case("identity", null, DATA),
                new Case("deflate", null, DATA))) {
            var r = checked(v, get(c, "/s/data.txt", "accept-encoding", k.acceptEncoding()));
            assertEquals(200, r.statusCode(), k.acceptEncoding());
            assertEquals(k.coding(), header(r, "content-encoding"), k.acceptEncoding());
            assertEquals("accept-encoding", header(r, "vary"), k.acceptEncoding());
            assertEquals("text/plain; charset=utf-8", header(r, "content-type"), k.acceptEncoding());
            assertArrayEquals(k.body(), r.body(), k.acceptEncoding());
        }
        String gzipTag = header(get(c, "/s/data.txt", "accept-encoding", "gzip"), "etag");
        assertTrue(gzipTag.endsWith("-gzip\""), gzipTag);
        assertNotEquals(header(get(c, "/s/data.txt"), "etag"), gzipTag, "each representation has its own tag");
        var gzRange = get(c, "/s/data.txt", "accept-encoding", "gzip", "range", "bytes=0-9");
        assertArrayEquals(slice(GZ, 0, 9), gzRange.body(), "a range of the encoded bytes");
        // A sibling older than its file is stale.
        var stale = get(c, "/s/style.css", "accept-encoding", "gzip");
        assertEquals(null, header(stale, "content-encoding"));
        assertEquals("body{}\n", new String(stale.body(), StandardCharsets.UTF_8));
    }

    // ---- hostile paths ----

    /** Targets that try to leave the folder or reach a hidden file, sent as is on a raw socket. */
    @ParameterizedTest
    @ValueSource(strings = {
            "/s/../secret.txt", "/s/../../../../etc/passwd", "/s/docs/../../secret.txt", "/s/%2e%2e/secret.txt",
            "/s/%2E%2E/secret.txt", "/s/.%2e/secret.txt", "/s/%2e./secret.txt", "/s/docs/%2e%2e/%2e%2e/secret.txt",
            "/s/%2e%2e%2fsecret.txt", "/s/docs%2f..%2f..%2fsecret.txt", "/s/%2F..%2F..%2Fsecret.txt",
            "/s/..%5csecret.txt", "/s/%5c..%5csecret.txt", "/s/..\\secret.txt", "/s/docs\\..\\..\\secret.txt",
            "/s//etc/passwd", "/s/%2fetc%2fpasswd", "/s/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/s/%c0%ae%c0%ae/secret.txt", "/s/%252e%252e/secret.txt", "/s/data.txt%00.html", "/s/%00",
            "/s/.env", "/s/%2eenv", "/s/.git/config", "/s/%2egit/config", "/s/docs/../.env", "/s/./data.txt",
            "/s/data.txt/", "/s/escape.txt", "/s/outside/secret.txt",
            "/s/bare/", "/s/%zz", "/s/%e2%82"})
    void aHostilePathIs404(String target) throws Exception {
        try (var conn = RawConnection.open(SERVER.address())) {
            conn.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse r = conn.readResponse();
            // The HTTP/1.1 parser may refuse a target outright (400); the files never answer anything but 404.
            assertTrue(r.status() == 404 || r.status() == 400, r.toString());
            assertFalse(r.text().contains("secret"), r.toString());
            assertFalse(r.text().contains("root:"), r.toString());
        }
    }

    @Test
    void theRawHostilePathsAreRefusedByTheFilesNotTheParser() throws Exception {
        // The cases above accept a 400; these must reach the files and get their 404.
        for (String target : List.of("/s/../secret.txt", "/s/%2e%2e/secret.txt", "/s/..%5csecret.txt",
                "/s/.env", "/s/escape.txt", "/s/data.txt%00.html")) {
            try (var conn = RawConnection.open(SERVER.address())) {
                conn.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(404, conn.readResponse().status(), target);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void hostilePathsOverBothProtocols(Version v) throws Exception {
        // A client library removes dot segments itself, so only escaped ones reach the server from it.
        for (String path : List.of("/s/%2e%2e/secret.txt", "/s/%2e%2e%2fsecret.txt", "/s/.env", "/s/escape.txt",
                "/s/outside/secret.txt", "/s/..%5Csecret.txt")) {
            var r = checked(v, get(client(v), path));
            assertEquals(404, r.statusCode(), path);
            assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("secret"), path);
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aSymbolicLinkInsideTheFolderIsServed(Version v) throws Exception {
        var r = checked(v, get(client(v), "/s/alias.txt"));
        assertEquals(200, r.statusCode());
        assertArrayEquals(DATA, r.body());
        // Containment is judged on the real path: a link out of the folder whose target path comes back in serves.
        assertArrayEquals(DATA, checked(v, get(client(v), "/s/outside/site/data.txt")).body());
    }

    // ---- curl ----

    @Test
    void curlGetsARange() throws Exception {
        Path out = Files.createTempFile("pounce-curl", ".bin");
        try {
            var p = new ProcessBuilder("curl", "-s", "-o", out.toString(), "-w", "%{http_code} %{size_download}",
                    "-r", "1000-2999", "http://" + SERVER.host() + ":" + SERVER.port() + "/s/big.bin")
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals("206 2000", said);
            assertArrayEquals(slice(BIG, 1000, 2999), Files.readAllBytes(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
