package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.Response;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CORS in a real browser: headless Chromium loads a page from one server ({@code http://127.0.0.1:A}), which sets a
 * cookie and makes a credentialed {@code fetch} ({@code PUT} with a JSON body and an {@code X-Token} field, so a
 * preflight comes first) to a second server on another port, another origin of the same site, so the cookie goes
 * along. The page posts what happened back to its own server, where the test reads it. With the right settings
 * ({@code --cors-allow-origin} naming the page's origin, {@code --cors-allow-credentials}) the page reads the answer,
 * which shows the API saw the cookie; with {@code *} and no credentials, or with no CORS at all, Chromium refuses
 * the preflight and the {@code PUT} never reaches the API.
 *
 * <p>Needs {@code chromium-headless-shell} or {@code chromium} ({@code .ci/run} installs the first); skipped without
 * it except on CI.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CorsBrowserTest {

    private static Optional<Path> chromium() {
        return Stream.of("/usr/bin/chromium-headless-shell", "/usr/bin/chromium").map(Path::of)
                .filter(Files::isExecutable).findFirst();
    }

    /** The API server's CORS settings in each case, given the page's origin. */
    enum Settings {
        /** The page's origin with credentials: the fetch must succeed. */
        RIGHT(true),
        /** Any origin without credentials: Chromium rejects {@code *} for a credentialed request. */
        WILDCARD_WITHOUT_CREDENTIALS(false),
        /** No CORS: the preflight reaches the app, whose answer has no CORS fields. */
        NONE(false);

        final boolean succeeds;

        Settings(boolean succeeds) {
            this.succeeds = succeeds;
        }

        Consumer<ServerConfig.Builder> apply(String pageOrigin) {
            return switch (this) {
                case RIGHT -> c -> c.set("cors.allow-origin", pageOrigin).set("cors.allow-credentials", "true")
                        .set("cors.allow-methods", "PUT").set("cors.allow-headers", "content-type,x-token");
                case WILDCARD_WITHOUT_CREDENTIALS -> c -> c.set("cors.allow-origin", "*");
                case NONE -> c -> { };
            };
        }
    }

    private static String page(int apiPort) {
        return """
                <!doctype html><title>cors</title><script>
                document.cookie = "session=s3cret; path=/; SameSite=Lax";
                fetch("http://127.0.0.1:%d/api", {method: "PUT", credentials: "include",
                        headers: {"Content-Type": "application/json", "X-Token": "t1"}, body: "{}"})
                    .then(r => r.text().then(t => "PASS " + r.status + " " + t))
                    .catch(e => "FAIL " + e)
                    .then(report => fetch("/result", {method: "POST", body: report}));
                </script>
                """.formatted(apiPort);
    }

    @ParameterizedTest
    @EnumSource(Settings.class)
    void aCredentialedFetchFromAnotherOriginWorksOnlyWithTheRightSettings(Settings settings, @TempDir Path dir)
            throws Exception {
        Optional<Path> browser = chromium();
        if (browser.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail("CI needs chromium-headless-shell (see .ci/run)");
        }
        assumeTrue(browser.isPresent(), "needs chromium-headless-shell or chromium");

        var report = new CompletableFuture<String>();
        var apiCalls = new CopyOnWriteArrayList<String>();
        var api = App.of(request -> {
            apiCalls.add(request.scope().method());
            String cookie = request.scope().headers().first("cookie").orElse("none");
            String token = request.scope().headers().first("x-token").orElse("none");
            return Response.text(200, "cookie=" + cookie + " token=" + token);
        });
        int[] apiPort = new int[1];
        var pages = App.of(request -> switch (request.scope().path()) {
            case "/page" -> new Response(200, Headers.of("content-type", "text/html; charset=utf-8"),
                    page(apiPort[0]).getBytes(StandardCharsets.UTF_8));
            case "/result" -> {
                report.complete(new String(request.body(), StandardCharsets.UTF_8));
                yield Response.empty(204);
            }
            default -> Response.text(404, "not here");
        });
        var base = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false);
        try (ServerHandle pageServer = Server.builder(pages, base.build()).start()) {
            String origin = "http://127.0.0.1:" + pageServer.tcpAddress().orElseThrow().getPort();
            var apiConfig = ServerConfig.builder().host("127.0.0.1").port(0).workers(1).accessLog(false);
            settings.apply(origin).accept(apiConfig);
            try (ServerHandle apiServer = Server.builder(api, apiConfig.build()).start()) {
                apiPort[0] = apiServer.tcpAddress().orElseThrow().getPort();
                String result = runChromium(browser.get(), dir, origin + "/page", report);
                if (settings.succeeds) {
                    assertEquals("PASS 200 cookie=session=s3cret token=t1", result,
                            "the page read the API's answer, made with its cookie");
                    assertEquals(List.of("PUT"), apiCalls, "the preflight was answered without the app");
                } else {
                    assertTrue(result.startsWith("FAIL TypeError"), result);
                    assertTrue(!apiCalls.contains("PUT"), "the PUT went out despite the failed preflight: "
                            + apiCalls);
                }
            }
        }
    }

    /** Runs Chromium on the page until the page reports, and returns the report. */
    private static String runChromium(Path browser, Path dir, String url, CompletableFuture<String> report)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile")));
        if (browser.getFileName().toString().equals("chromium")) {
            command.add("--headless=new");
        }
        command.add(url);
        Path log = dir.resolve("chromium.log");
        Process chrome = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return report.get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return fail("the page did not report within 90 s; Chromium's log: " + Files.readString(log), e);
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
