package dev.pounce.cli;

import dev.pounce.runtime.PluginInfo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pounce info}: plugins, Java, transport and workers, as text and as JSON. */
class InfoTest {

    private static String[] run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[]{String.valueOf(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void textListsThePluginsAndTheResolvedWorkers() {
        String[] r = run("info", "--workers", "3");
        assertEquals("0", r[0], r[2]);
        // On the class path (these tests) modules are "unnamed"; the image tests see dev.pounce.h1.
        assertTrue(r[1].contains("protocol http/1.1"), r[1]);
        assertTrue(r[1].contains("workers: 3 (thread)"), r[1]);
        assertTrue(r[1].contains("java: " + Runtime.version()), r[1]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("transport: ")), r[1]);
        // Every protocol says whether the flags switch it on and whether it can run here: HTTP/3 is off unless
        // --http3, and available where its native QUIC library loads, as on linux-x86_64.
        assertTrue(r[1].contains("protocols:\n"), r[1]);
        assertTrue(r[1].lines().anyMatch(l -> l.matches("  h2 +on +available")), r[1]);
        assertTrue(r[1].lines().anyMatch(l -> l.matches("  h3 +off +available")), r[1]);
        assertTrue(!r[1].contains("absent:\n"), "every protocol we ship is on the test class path: " + r[1]);
    }

    @Test
    void http3IsOnWithItsFlag() {
        String[] r = run("info", "--http3", "--output-format", "json");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("{\"name\":\"h3\",\"module\":\"unnamed\",\"enabled\":true,\"available\":true}"),
                r[1]);
    }

    @Test
    void absentNamesEachWellKnownProtocolThatNoProtocolOrUpgradeServes() {
        var found = List.of(new PluginInfo("protocol", "http/1.1", "dev.pounce.h1", "1"),
                new PluginInfo("upgrade", "WebSocket", "com.example.ws", "1"),
                new PluginInfo("config", "h2", "com.example.h2config", "1"),
                new PluginInfo("datagram-protocol", "h3", "dev.pounce.h3", "1"));
        assertEquals(List.of("HTTP/2 (add pounce-h2, module dev.pounce.h2)"), WellKnownProtocols.absent(found));
    }

    @Test
    void jsonIsOneObjectWithStableKeys() {
        String[] r = run("info", "--output-format", "json", "--log-level", "info");
        assertEquals("0", r[0], r[2]);
        String json = r[1].strip();
        assertTrue(json.startsWith("{\"pounce\":") && json.endsWith("}"), json);
        for (String key : new String[]{"java", "transport", "workers", "workerStrategy", "plugins", "skipped",
                "absent", "settings", "protocols"}) {
            assertTrue(json.contains("\"" + key + "\":"), key + " in " + json);
        }
        assertTrue(json.contains("{\"kind\":\"protocol\",\"name\":\"http/1.1\",\"module\":"), json);
    }

    @Test
    void theOperatorSettingsAreShown() {
        String[] off = run("info", "--output-format", "json");
        assertTrue(off[1].contains("\"healthPath\":null,\"metricsPath\":null,\"accessLog\":true,\"accessLogFormat\":\"text\","
                + "\"serverTiming\":false,"), off[1]);
        String[] on = run("info", "--output-format", "json", "--health-path", "/healthz", "--access-log-format",
                "json", "--server-timing", "--no-access-log", "--metrics-path", "/metrics");
        assertTrue(on[1].contains("\"healthPath\":\"/healthz\",\"metricsPath\":\"/metrics\",\"accessLog\":false,\"accessLogFormat\":\"json\","
                + "\"serverTiming\":true,\"forwardedAllowIps\":[\"127.0.0.0/8\",\"::1\"],"), on[1]);
        assertTrue(run("info", "--output-format", "json", "--forwarded-allow-ips", "10.0.0.0/8")[1]
                .contains("\"forwardedAllowIps\":[\"10.0.0.0/8\"],"));
        String[] text = run("info", "--health-path", "/readyz");
        assertTrue(text[1].contains("\nhealth: /readyz\nmetrics: off\naccess log: text\nserver timing: off\n"
                + "trusted proxies: 127.0.0.0/8, ::1\n"), text[1]);
    }

    @Test
    void theLoadLimitsAreShown() {
        String[] off = run("info", "--output-format", "json");
        assertTrue(off[1].contains("\"limitConcurrency\":0,\"limitQueue\":0,\"timeoutQueue\":1,\"rateLimit\":false,"
                + "\"rateLimitRequestsPerSecond\":100,\"rateLimitBurst\":200,\"rateLimitMaxTrackedIps\":100000,"
                + "\"rateLimitIpv6Prefix\":64,"), off[1]);
        String[] on = run("info", "--output-format", "json", "--limit-concurrency", "64", "--limit-queue", "16",
                "--timeout-queue", "0.25", "--rate-limit", "--rate-limit-requests-per-second", "0.5",
                "--rate-limit-burst", "20", "--rate-limit-max-tracked-ips", "5000", "--rate-limit-ipv6-prefix", "56");
        assertEquals("0", on[0], on[2]);
        assertTrue(on[1].contains("\"limitConcurrency\":64,\"limitQueue\":16,\"timeoutQueue\":0.25,"
                + "\"rateLimit\":true,\"rateLimitRequestsPerSecond\":0.5,\"rateLimitBurst\":20,"
                + "\"rateLimitMaxTrackedIps\":5000,\"rateLimitIpv6Prefix\":56,"), on[1]);

        String[] textOff = run("info");
        assertTrue(textOff[1].contains("\nconcurrency limit: off\nrate limit: off\n"), textOff[1]);
        String[] text = run("info", "--limit-concurrency", "64", "--limit-queue", "16", "--timeout-queue", "0.25",
                "--rate-limit", "--rate-limit-requests-per-second", "0.5");
        assertTrue(text[1].contains("\nconcurrency limit: 64 requests per worker, then a queue of 16 for up to "
                + "0.25 s\nrate limit: 0.5 requests per second per client and worker, burst 200, 100000 clients "
                + "tracked, IPv6 by /64\n"), text[1]);
        assertTrue(run("info", "--limit-concurrency", "8")[1].contains("\nconcurrency limit: 8 requests per worker, "
                + "no queue\n"));
    }

    @Test
    void theStaticFoldersAreShown() throws Exception {
        String dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toRealPath().toString();
        assertTrue(run("info")[1].contains("\nstatic: off\n"));
        assertTrue(run("info", "--output-format", "json")[1].contains("\"staticFiles\":[],"));
        String[] args = {"info", "--static", "/s=" + dir, "--static", "/assets=" + dir, "--static-cache-control",
                "/assets=max-age=60, immutable"};
        String text = run(args)[1];
        assertTrue(text.contains("\nstatic: \n  /assets -> " + dir + " (cache-control: max-age=60, immutable)\n  /s -> "
                + dir + "\n"), text);
        String[] json = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--output-format", "json")).toArray(String[]::new);
        String out = run(json)[1];
        assertTrue(out.contains("\"staticFiles\":[{\"prefix\":\"/assets\",\"directory\":" + InfoReport.str(dir)
                + ",\"cacheControl\":\"max-age=60, immutable\"},{\"prefix\":\"/s\",\"directory\":"
                + InfoReport.str(dir) + ",\"cacheControl\":null}],"), out);
    }

    @Test
    void compressionIsShown() {
        assertTrue(run("info")[1].contains("\ncompression: zstd, br, gzip (at least 500 bytes; levels gzip 6, "
                + "zstd 3, br 4; types text/*, application/json, "), run("info")[1]);
        assertTrue(run("info", "--no-compression")[1].contains("\ncompression: off\n"));
        String json = run("info", "--output-format", "json", "--compression-encodings", "br,gzip",
                "--compression-min-size", "0", "--compression-types", "text/html")[1];
        assertTrue(json.contains("\"compression\":{\"enabled\":true,\"minSize\":0,\"encodings\":[\"br\",\"gzip\"],"
                + "\"types\":[\"text/html\"],\"gzipLevel\":6,\"zstdLevel\":3,\"brotliLevel\":4}"), json);
    }

    @Test
    void optionsBeforeTheSubcommandAreRefused() {
        assertEquals("2", run("--port", "1", "info")[0]);
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", InfoReport.str("a\"b\\c\n\u0001"));
    }
}
