package dev.pounce.demo;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real browser: Debian's headless Chromium loads {@code /ws-demo?selftest} from the demo over TLS, the page opens a
 * WebSocket to {@code /ws}, sends a text and a binary message, checks both echoes, and posts PASS or FAIL back to
 * the server, where this test reads it. The server, with the HTTP/1.1, HTTP/2 and WebSocket plugins as
 * {@code bin/pounce} serves the demo, records each request's HTTP version and connection, so the test knows which
 * protocol carried the page and the session.
 *
 * <p>What happens, and what the test asserts: ALPN picks {@code h2} for the page, and since the server's SETTINGS
 * carry {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}, Chromium opens the WebSocket as an extended CONNECT (RFC 8441) on
 * a new stream of that same connection: the session's version is "2" and its connection is the page's. Chromium has
 * done so by default since version 91; this one (156) has no switch for it (its binary names a feature only for
 * WebSockets over HTTP/3), so the test passes none. Chromium's own net-log ({@code --log-net-log}, kept beside the
 * test's temporary files and printed when the test fails) shows the same from the browser's side. As root Chromium
 * needs {@code --no-sandbox}; the certificate is trusted by its key's hash
 * ({@code --ignore-certificate-errors-spki-list}), not by turning checks off.
 *
 * <p>Needs {@code chromium-headless-shell} or {@code chromium} ({@code .ci/run} installs the first) and
 * {@code openssl}; skipped without them except on CI.
 */
class BrowserTest {

    private static Optional<Path> chromium() {
        return Stream.of("/usr/bin/chromium-headless-shell", "/usr/bin/chromium").map(Path::of)
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * The demo, with two extras for the test: the page's report, and the start of the page's request and of the
     * session, as the server saw them (version and connection).
     */
    private static final class Watched implements App {
        final App demo = new DemoApp();
        final CompletableFuture<String> report = new CompletableFuture<>();
        final CompletableFuture<LifecycleEvent.RequestStarted> page = new CompletableFuture<>();
        final CompletableFuture<LifecycleEvent.RequestStarted> session = new CompletableFuture<>();

        void onEvent(LifecycleEvent event) {
            if (event instanceof LifecycleEvent.RequestStarted started) {
                switch (started.path()) {
                    case "/ws-demo" -> page.complete(started);
                    case "/ws" -> session.complete(started);
                    default -> { }
                }
            }
        }

        @Override
        public void call(dev.pounce.api.Scope scope, dev.pounce.api.Receive receive, dev.pounce.api.Send send)
                throws Exception {
            if (scope instanceof HttpScope http && http.path().equals("/ws-demo/result")) {
                var body = new ByteArrayOutputStream();
                HttpMessage.Request chunk;
                do {
                    chunk = (HttpMessage.Request) receive.receive();
                    body.writeBytes(chunk.body());
                } while (chunk.more());
                report.complete(body.toString(StandardCharsets.UTF_8));
                send.send(new HttpMessage.ResponseStart(204, Headers.empty()));
                send.send(new HttpMessage.ResponseBody(HttpMessage.EMPTY, false));
                return;
            }
            demo.call(scope, receive, send);
        }
    }

    @Test
    void chromiumEchoesTextAndBinaryOverTheProtocolOfItsPage(@TempDir Path dir) throws Exception {
        Optional<Path> browser = chromium();
        if (browser.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail("CI needs chromium-headless-shell (see .ci/run)");
        }
        assumeTrue(browser.isPresent(), "needs chromium-headless-shell or chromium");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString()));

        var app = new Watched();
        var config = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false)
                .sslCertFile(cert).sslKeyFile(key).build();
        Path netLog = dir.resolve("netlog.json");
        try (ServerHandle server = Server.builder(app, config).listener(app::onEvent).start()) {
            String url = "https://127.0.0.1:" + server.tcpAddress().orElseThrow().getPort() + "/ws-demo?selftest";
            List<String> command = new ArrayList<>(List.of(browser.get().toString(), "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile"),
                    "--ignore-certificate-errors-spki-list=" + spkiHash(cert), "--log-net-log=" + netLog));
            if (browser.get().getFileName().toString().equals("chromium")) {
                command.add("--headless=new");
            }
            command.add(url);
            Process chrome = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("chromium.log").toFile()).start();
            try {
                String report = app.report.get(60, TimeUnit.SECONDS);
                assertTrue(report.startsWith("PASS"), report);
                LifecycleEvent.RequestStarted page = app.page.get(10, TimeUnit.SECONDS);
                LifecycleEvent.RequestStarted session = app.session.get(10, TimeUnit.SECONDS);
                String seen = "page: " + page + ", WebSocket: " + session;
                assertEquals("2", page.httpVersion(), "ALPN did not pick h2 for the page; " + seen);
                assertEquals("CONNECT", session.method(), "not an extended CONNECT; " + seen);
                assertEquals("2", session.httpVersion(), seen);
                assertEquals(page.connectionId(), session.connectionId(),
                        "the WebSocket did not ride the page's HTTP/2 connection; " + seen);
                System.out.println("Chromium: page and WebSocket over HTTP/2 on connection " + page.connectionId()
                        + ": " + report);
            } catch (java.util.concurrent.TimeoutException | AssertionError e) {
                fail(e + "; Chromium's log: " + Files.readString(dir.resolve("chromium.log"))
                        + "; its net-log: " + (Files.exists(netLog) ? Files.readString(netLog) : "none"), e);
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

    /** @return base64(SHA-256(SubjectPublicKeyInfo)), the form Chromium's SPKI allow-list takes */
    private static String spkiHash(Path cert) throws Exception {
        try (InputStream in = Files.newInputStream(cert)) {
            byte[] spki = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
    }
}
