package dev.pounce.h3;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real browser over HTTP/3: Debian's headless Chromium, forced onto QUIC for the test origin
 * ({@code --origin-to-force-quic-on=127.0.0.1:PORT}, so it does not first go over TCP and wait for {@code Alt-Svc}),
 * loads a page from a Pounce server with {@code --http3}. The page reports what it saw to {@code /result}: the
 * protocol of its own navigation and of a 1 MiB fetch as the browser's Resource Timing says ({@code nextHopProtocol}),
 * the fetched body's length and SHA-256 (Web Crypto), and the server's {@code httpVersion} echoed by {@code /version}.
 * The test checks those against the server's own record of each request's version and the bytes it sent.
 *
 * <p>The certificate is trusted by its key's hash ({@code --ignore-certificate-errors-spki-list}), which Chromium
 * honours for QUIC as for TCP, not by turning checks off. As root Chromium needs {@code --no-sandbox}. Needs
 * {@code chromium-headless-shell} or {@code chromium} ({@code .ci/run} installs the first); skipped without them except
 * on CI, as the demo's WebSocket browser test is.
 */
class ChromiumTest {

    /** The body of {@code /big}: 1 MiB of seeded random bytes, so a lost or reordered packet changes the hash. */
    private static final byte[] BIG = new byte[1 << 20];

    static {
        new Random(20261206).nextBytes(BIG);
    }

    /**
     * The page: everything it learns goes into one JSON report, posted to {@code /result} and also written into the
     * page, where a reader of a failed run's DOM sees it.
     */
    private static final String PAGE = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>h3</title></head>
            <body><pre id="report">running</pre>
            <script>
            (async () => {
              const report = {};
              try {
                report.page = performance.getEntriesByType('navigation')[0].nextHopProtocol;
                report.version = (await (await fetch('/version')).text()).trim();
                const url = new URL('/big', location).href;
                const body = await (await fetch(url, {cache: 'no-store'})).arrayBuffer();
                report.bigLength = body.byteLength;
                const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
                report.bigSha256 = Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
                const timing = performance.getEntriesByName(url);
                report.big = timing.length ? timing[timing.length - 1].nextHopProtocol : 'no timing';
              } catch (e) {
                report.error = String(e);
              }
              const text = JSON.stringify(report);
              document.getElementById('report').textContent = text;
              await fetch('/result', {method: 'POST', body: text});
            })();
            </script></body></html>
            """;

    private static Optional<Path> chromium() {
        return Stream.of("/usr/bin/chromium-headless-shell", "/usr/bin/chromium").map(Path::of)
                .filter(Files::isExecutable).findFirst();
    }

    /** The page's app: serves the page, {@code /version}, {@code /big}, and takes the report; records versions. */
    private static final class Watched implements App {
        final CompletableFuture<String> report = new CompletableFuture<>();
        /** Each path's HTTP version, as the scope the server built for it says. */
        final Map<String, String> versions = new ConcurrentHashMap<>();

        @Override
        public void call(dev.pounce.api.Scope scope, dev.pounce.api.Receive receive, dev.pounce.api.Send send)
                throws Exception {
            if (!(scope instanceof HttpScope http)) {
                return;
            }
            versions.put(http.path(), http.httpVersion());
            var body = new ByteArrayOutputStream();
            while (receive.receive() instanceof HttpMessage.Request chunk) {
                body.writeBytes(chunk.body());
                if (!chunk.more()) {
                    break;
                }
            }
            switch (http.path()) {
                case "/page" -> respond(send, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8));
                case "/version" -> respond(send, "text/plain", http.httpVersion().getBytes(StandardCharsets.UTF_8));
                case "/big" -> respond(send, "application/octet-stream", BIG);
                case "/result" -> {
                    report.complete(body.toString(StandardCharsets.UTF_8));
                    send.send(new HttpMessage.ResponseStart(204, Headers.empty()));
                    send.send(new HttpMessage.ResponseBody(HttpMessage.EMPTY, false));
                }
                default -> {
                    send.send(new HttpMessage.ResponseStart(404, Headers.empty()));
                    send.send(new HttpMessage.ResponseBody(HttpMessage.EMPTY, false));
                }
            }
        }

        private static void respond(dev.pounce.api.Send send, String type, byte[] bytes) throws Exception {
            send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", type, "cache-control",
                    "no-store")));
            send.send(new HttpMessage.ResponseBody(bytes, false));
        }
    }

    @Test
    void chromiumLoadsAPageAndAMebibyteOverHttp3(@TempDir Path dir) throws Exception {
        Optional<Path> browser = chromium();
        if (browser.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail("CI needs chromium-headless-shell (see .ci/run)");
        }
        assumeTrue(browser.isPresent(), "needs chromium-headless-shell or chromium");
        SelfSignedPem pem = SelfSignedPem.create(dir);
        var app = new Watched();
        Path netLog = dir.resolve("netlog.json");
        try (TestServer server = TestServer.start(app, pem)) {
            String origin = "127.0.0.1:" + server.port();
            List<String> command = new ArrayList<>(List.of(browser.get().toString(), "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile"),
                    "--enable-quic", "--origin-to-force-quic-on=" + origin,
                    "--ignore-certificate-errors-spki-list=" + spkiHash(pem.certFile()),
                    "--log-net-log=" + netLog));
            if (browser.get().getFileName().toString().equals("chromium")) {
                command.add("--headless=new");
            }
            command.add("https://" + origin + "/page");
            Process chrome = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("chromium.log").toFile()).start();
            try {
                String report = app.report.get(60, TimeUnit.SECONDS);
                String expected = "{\"page\":\"h3\",\"version\":\"3\",\"bigLength\":" + BIG.length
                        + ",\"bigSha256\":\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(BIG)) + "\",\"big\":\"h3\"}";
                assertEquals(expected, report, "the page's report");
                // Whatever else Chromium asks for (a favicon) must come over HTTP/3 too.
                assertEquals(Map.of("/page", "3", "/version", "3", "/big", "3", "/result", "3"),
                        Map.copyOf(app.versions).entrySet().stream().filter(e -> !e.getValue().equals("3")
                                || List.of("/page", "/version", "/big", "/result").contains(e.getKey()))
                                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                        "the server's scopes");
                System.out.println("Chromium over HTTP/3: " + report);
            } catch (TimeoutException | AssertionError e) {
                fail(e + "; Chromium's log: " + Files.readString(dir.resolve("chromium.log"))
                        + "; its net-log (" + netLog + "): " + head(netLog), e);
            } finally {
                chrome.descendants().forEach(ProcessHandle::destroy);
                chrome.destroy();
                if (!chrome.waitFor(10, TimeUnit.SECONDS)) {
                    chrome.descendants().forEach(ProcessHandle::destroyForcibly);
                    chrome.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** @return the start of a file that may be megabytes long, or "none" */
    private static String head(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return "none";
        }
        String text = Files.readString(file);
        return text.length() <= 20_000 ? text : text.substring(0, 20_000) + "...";
    }

    /** @return base64(SHA-256(SubjectPublicKeyInfo)), the form Chromium's SPKI allow-list takes */
    private static String spkiHash(Path cert) throws Exception {
        try (InputStream in = Files.newInputStream(cert)) {
            byte[] spki = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }
}
