package dev.pounce.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings from the config file and {@code POUNCE_*} variables, through the real entry ({@link Main#run} with an
 * environment of the test's own and a working directory in {@link TempDir}), as a person meets them: which source
 * wins, what {@code pounce config show} prints, and the one line an unknown key or a bad value gives.
 */
class ConfigSourcesTest {

    @TempDir
    Path dir;

    record Outcome(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Outcome run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Environment.of(env, dir));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void file(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    /** One key's object in {@code config show --output-format json}, up to its source. */
    private static String shown(String key, String value, String source, String from) {
        return "{\"key\":\"" + key + "\",\"value\":" + value + ",\"source\":\"" + source + "\",\"from\":"
                + (from == null ? "null" : "\"" + from + "\"") + ",";
    }

    /**
     * A setting given by the file, a variable and a flag, each its own value, and what {@code config show} says for
     * it from each source and by default.
     */
    record Layered(String key, String file, int fileLine, String variable, String env, List<String> flag,
                   String flagShown, String fromFile, String fromEnv, String fromFlag, String byDefault) {
    }

    static Stream<Layered> layered() {
        return Stream.of(
                new Layered("workers", "workers = 2", 1, "POUNCE_WORKERS", "3", List.of("--workers", "4"), "--workers",
                        "2", "3", "4", "1"),
                new Layered("timeout-keep-alive", "timeout-keep-alive = 2.5", 1, "POUNCE_TIMEOUT_KEEP_ALIVE", "3",
                        List.of("--timeout-keep-alive", "0.25"), "--timeout-keep-alive", "2.5", "3", "0.25", "5"),
                new Layered("forwarded-allow-ips", "forwarded-allow-ips = [\"10.0.0.0/8\"]", 1,
                        "POUNCE_FORWARDED_ALLOW_IPS", "192.0.2.0/24,::1", List.of("--forwarded-allow-ips", "203.0.113.7"),
                        "--forwarded-allow-ips", "[\"10.0.0.0/8\"]", "[\"192.0.2.0/24\",\"::1\"]", "[\"203.0.113.7\"]",
                        "[\"127.0.0.0/8\",\"::1\"]"),
                new Layered("access-log", "access-log = false", 1, "POUNCE_ACCESS_LOG", "true",
                        List.of("--no-access-log"), "--no-access-log", "false", "true", "false", "true"),
                new Layered("reuse-port", "reuse-port = false", 1, "POUNCE_REUSE_PORT", "yes",
                        List.of("--no-reuse-port"), "--no-reuse-port", "false", "true", "false", "true"),
                new Layered("server-timing", "server-timing = true", 1, "POUNCE_SERVER_TIMING", "off",
                        List.of("--server-timing"), "--server-timing", "true", "false", "true", "false"),
                new Layered("sample.max-items", "[sample]\nmax-items = 200", 2, "POUNCE_SAMPLE_MAX_ITEMS", "300",
                        List.of("--sample-max-items", "400"), "--sample-max-items", "200", "300", "400", "16"),
                new Layered("sample.enabled", "sample.enabled = false", 1, "POUNCE_SAMPLE_ENABLED", "true",
                        List.of("--no-sample"), "--no-sample", "false", "true", "false", "true"));
    }

    static Stream<Arguments> everyCombination() {
        return layered().flatMap(l -> Stream.of(0, 1, 2, 3, 4, 5, 6, 7).map(bits ->
                Arguments.of(l, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0)));
    }

    @ParameterizedTest(name = "{0} file={1} env={2} flag={3}")
    @MethodSource("everyCombination")
    void flagsWinOverVariablesOverTheFileOverTheDefaults(Layered l, boolean inFile, boolean inEnv, boolean asFlag)
            throws IOException {
        if (inFile) {
            file("pounce.toml", l.file() + "\n");
        }
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin", "POUNCE_JAVA_OPTS", "-Xmx64m"));
        if (inEnv) {
            env.put(l.variable(), l.env());
        }
        List<String> args = new ArrayList<>(List.of("config", "show", "--output-format", "json"));
        if (asFlag) {
            args.addAll(l.flag());
        }
        var o = run(env, args.toArray(String[]::new));
        assertEquals("", o.err());
        assertEquals(0, o.status());
        String expected = asFlag ? shown(l.key(), l.fromFlag(), "flag", l.flagShown())
                : inEnv ? shown(l.key(), l.fromEnv(), "env", l.variable())
                : inFile ? shown(l.key(), l.fromFile(), "file", "pounce.toml:" + l.fileLine())
                : shown(l.key(), l.byDefault(), "default", null);
        assertTrue(o.out().contains(expected), expected + " in " + o.out());
        assertTrue(o.out().startsWith("{\"file\":" + (inFile ? "\"pounce.toml\"" : "null") + ","), o.out());
    }

    @Test
    void aFlagGivenWinsEvenWhenItEqualsTheDefault() throws IOException {
        file("pounce.toml", "workers = 2\nserver-header = \"edge\"\n");
        var o = run(Map.of("POUNCE_PORT", "9001"), "config", "show", "--output-format", "json", "--workers", "1",
                "--port", "8000", "--server-header", "pounce");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains(shown("workers", "1", "flag", "--workers")), o.out());
        assertTrue(o.out().contains(shown("port", "8000", "flag", "--port")), o.out());
        assertTrue(o.out().contains(shown("server-header", "\"pounce\"", "flag", "--server-header")), o.out());
    }

    @Test
    void compressionKeysMayStandInATableOfTheirOwn() throws IOException {
        file("pounce.toml", """
                [compression]
                min-size = 1000
                encodings = ["gzip", "br"]
                brotli-level = 5
                """);
        var info = run(Map.of("POUNCE_COMPRESSION_GZIP_LEVEL", "9"), "info");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("\ncompression: gzip, br (at least 1000 bytes; levels gzip 9, zstd 3, br 5; "),
                info.out());
        file("pounce.toml", "[compression]\nenabled = false\n");
        var off = run(Map.of(), "info");
        assertTrue(off.out().contains("\ncompression: off\n"), off.out());
        file("pounce.toml", "[compression]\ngzip-level = 10\n");
        var bad = run(Map.of(), "info");
        assertEquals(List.of("pounce: pounce.toml:2:14: compression.gzip-level must be between 1 and 9, got 10"),
                bad.err().lines().toList());
    }

    @Test
    void theSettingsReachTheConfigurationThatInfoAndCheckUse() throws IOException {
        file("pounce.toml", """
                # What a deployment might keep beside the app.
                app = "%s"
                port = 0
                workers = 3
                [sample]
                max-items = 250
                """.formatted(TestApps.class.getName() + "$Hello"));
        var info = run(Map.of("POUNCE_SAMPLE_GRACE", "0.5"), "info");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("workers: 3 (thread)"), info.out());
        assertTrue(info.out().contains("    --sample-max-items  250\n"), info.out());
        assertTrue(info.out().contains("    --sample-grace      0.5\n"), info.out());

        var check = run(Map.of(), "check", "--log-level", "error");
        assertEquals("", check.err());
        assertEquals("ok: " + TestApps.class.getName() + "$Hello would serve on http://127.0.0.1:0\n", check.out());
        assertEquals(0, check.status());
    }

    @Test
    void configShowPrintsEachValueWithItsSourceAndHidesSecrets() throws IOException {
        file("pounce.toml", """
                port = 9000
                ssl-certfile = "/etc/pounce/cert.pem"
                ssl-keyfile = "/etc/pounce/key.pem"
                ssl-keyfile-password = "hunter2"
                [keyring]
                passphrase = "open sesame"
                """);
        var o = run(Map.of("POUNCE_WORKERS", "2"), "config", "show", "--server-header", "edge");
        assertEquals("", o.err());
        assertEquals(0, o.status());
        List<String> lines = o.out().lines().toList();
        assertEquals("config file: pounce.toml", lines.getFirst());
        for (String row : List.of(
                "port +9000 +pounce\\.toml:1",
                "workers +2 +env POUNCE_WORKERS",
                "server-header +edge +flag --server-header",
                "host +127\\.0\\.0\\.1 +default",
                "ssl-keyfile-password +\\*\\*\\* +pounce\\.toml:4",
                "keyring\\.passphrase +\\*\\*\\* +pounce\\.toml:6",
                "ssl-ca-certs +none +default",
                "http2\\.max-concurrent-streams +128 +default")) {
            assertTrue(lines.stream().anyMatch(l -> l.matches(row)), row + " in\n" + o.out());
        }
        assertFalse(o.out().contains("hunter2") || o.out().contains("sesame"), o.out());

        var json = run(Map.of("POUNCE_WORKERS", "2"), "config", "show", "--output-format", "json",
                "--server-header", "edge");
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().startsWith("{\"file\":\"pounce.toml\",\"settings\":[{\"key\":\"app\",\"value\":null,"
                + "\"source\":\"default\",\"from\":null,\"flag\":\"APP\",\"env\":\"POUNCE_APP\"},"), json.out());
        for (String entry : List.of(
                shown("port", "9000", "file", "pounce.toml:1") + "\"flag\":\"--port\",\"env\":\"POUNCE_PORT\"}",
                shown("workers", "2", "env", "POUNCE_WORKERS"),
                shown("server-header", "\"edge\"", "flag", "--server-header"),
                shown("ssl-keyfile-password", "\"***\"", "file", "pounce.toml:4"),
                shown("keyring.passphrase", "\"***\"", "file", "pounce.toml:6"),
                shown("ssl-ca-certs", "null", "default", null),
                shown("timeout-write", "30", "default", null),
                shown("reuse-port", "true", "default", null)
                        + "\"flag\":\"--no-reuse-port\",\"env\":\"POUNCE_REUSE_PORT\"}")) {
            assertTrue(json.out().contains(entry), entry + " in " + json.out());
        }
        assertFalse(json.out().contains("hunter2") || json.out().contains("sesame"), json.out());
        assertTrue(json.out().endsWith("}]}\n"), json.out());
    }

    @Test
    void aSecretFromAVariableIsHiddenToo() {
        var o = run(Map.of("POUNCE_KEYRING_PASSPHRASE", "open sesame"), "config", "show");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("keyring\\.passphrase +\\*\\*\\* +env "
                + "POUNCE_KEYRING_PASSPHRASE")), o.out());
        assertFalse(o.out().contains("sesame"), o.out());
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                // Unknown keys, by name, with the nearest known key.
                Arguments.of("worker = 2", 2, "pounce: pounce.toml:1:1: unknown key 'worker'; did you mean 'workers'?"),
                Arguments.of("port = 1\n[sample]\nmax-itmes = 5", 2,
                        "pounce: pounce.toml:3:1: unknown key 'sample.max-itmes'; did you mean 'sample.max-items'?"),
                Arguments.of("[smaple]\nmax-items = 5", 2, "pounce: pounce.toml:2:1: unknown key 'smaple.max-items': "
                        + "no plugin on the module path has the section 'smaple'; did you mean 'sample.max-items'?"),
                Arguments.of("[acme]\nlimit = 5", 2, "pounce: pounce.toml:2:1: unknown key 'acme.limit': no plugin on "
                        + "the module path has the section 'acme' (pounce info lists the plugins found)"),
                Arguments.of("timeout_keepalive = 1", 2,
                        "pounce: pounce.toml:1:1: unknown key 'timeout_keepalive'; did you mean 'timeout-keep-alive'?"),
                Arguments.of("frobnicate = 1", 2,
                        "pounce: pounce.toml:1:1: unknown key 'frobnicate' (pounce config show lists every key)"),
                Arguments.of("config = \"other.toml\"", 2, "pounce: pounce.toml:1:1: a config file cannot name another "
                        + "one; give --config on the command line or set POUNCE_CONFIG"),
                Arguments.of("keep_alive_timeout = 2\ntimeout-keep-alive = 3", 2, "pounce: pounce.toml:2:1: "
                        + "'timeout-keep-alive' sets timeout-keep-alive, which 'keep_alive_timeout' at line 1 sets "
                        + "already; keep one"),
                // Values of the wrong type: what the flag says, under the key and where it is.
                Arguments.of("workers = \"two\"", 2, "pounce: pounce.toml:1:11: workers expects a whole number, got 'two'"),
                Arguments.of("workers = 2.5", 2, "pounce: pounce.toml:1:11: workers expects a whole number, got '2.5'"),
                Arguments.of("\n\ntimeout-write = \"soon\"", 2, "pounce: pounce.toml:3:17: timeout-write expects seconds "
                        + "as a decimal number such as 0.5, got 'soon'"),
                Arguments.of("server-timing = \"maybe\"", 2,
                        "pounce: pounce.toml:1:17: server-timing expects true or false, got 'maybe'"),
                Arguments.of("port = [8000, 8001]", 2, "pounce: pounce.toml:1:8: port takes one value, not an array"),
                Arguments.of("forwarded-allow-ips = [[\"10.0.0.0/8\"]]", 2, "pounce: pounce.toml:1:24: the items of "
                        + "forwarded-allow-ips must be strings or numbers, not an array"),
                Arguments.of("[sample]\nmax-items = \"lots\"", 2,
                        "pounce: pounce.toml:2:13: sample.max-items expects a whole number, got 'lots'"),
                // Values out of range: what the flag says, under the key and where it is.
                Arguments.of("workers = 5000", 1, "pounce: pounce.toml:1:11: workers must be between 0 and 1024, got 5000"),
                Arguments.of("port = 70000", 1, "pounce: pounce.toml:1:8: port must be between 0 and 65535, got 70000"),
                Arguments.of("keep_alive_timeout = 0", 1, "pounce: pounce.toml:1:22: keep_alive_timeout must be more "
                        + "than 0 and at most 86400 seconds, got 0.0 s"),
                Arguments.of("[sample]\nmax-items = 0", 1,
                        "pounce: pounce.toml:2:13: sample.max-items must be between 1 and 1000, got 0"),
                Arguments.of("sample.allow = [\"ok\", \"Bad\"]", 1, "pounce: pounce.toml:1:16: sample.allow items must "
                        + "each be a lower-case word; 'Bad' is not a lower-case word"),
                Arguments.of("health-path = \"healthz\"", 1, "pounce: pounce.toml:1:15: health-path must be a path "
                        + "starting with '/' of at most 1024 visible ASCII characters, without '?' or '#', such as "
                        + "/healthz, got 'healthz'"),
                // Not TOML at all.
                Arguments.of("workers = two", 2, "pounce: pounce.toml:1:11: expected a value (\"text\", a number, true "
                        + "or false, [an, array] or {an = \"inline table\"}), found 't'; text needs quotes: \"two\""),
                Arguments.of("port = 8000\nport = 8001", 2, "pounce: pounce.toml:2:1: 'port' is defined twice (first at "
                        + "line 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsOneLineNamingTheFileLineAndKey(String toml, int status, String line) throws IOException {
        file("pounce.toml", toml + "\n");
        var o = run(Map.of(), "check", TestApps.class.getName() + "$Hello");
        assertEquals(List.of(line), o.errLines());
        assertEquals(status, o.status());
        assertEquals("", o.out());
    }

    @Test
    void helpAndTheVersionNeedNoValidFile() throws IOException {
        file("pounce.toml", "workers = two\n");
        assertEquals(0, run(Map.of(), "--help").status());
        assertEquals(0, run(Map.of(), "config", "show", "--help").status());
        assertEquals(0, run(Map.of(), "--version").status());
        assertEquals(2, run(Map.of(), "info").status());
    }

    @Test
    void anUnknownKeyIsRejectedEvenWhenAFlagGivesTheSetting() throws IOException {
        file("pounce.toml", "wrokers = 2\n");
        var o = run(Map.of(), "info", "--workers", "2");
        assertEquals(List.of("pounce: pounce.toml:1:1: unknown key 'wrokers'; did you mean 'workers'?"), o.errLines());
        assertEquals(2, o.status());
    }

    static Stream<Arguments> badVariables() {
        return Stream.of(
                Arguments.of("POUNCE_WORKER", "2", 2,
                        "pounce: unknown environment variable POUNCE_WORKER; did you mean POUNCE_WORKERS?"),
                Arguments.of("POUNCE_HTTP3_MAX_CONCURENT_STREAMS", "64", 2, "pounce: unknown environment variable "
                        + "POUNCE_HTTP3_MAX_CONCURENT_STREAMS; did you mean POUNCE_HTTP3_MAX_CONCURRENT_STREAMS?"),
                Arguments.of("POUNCE_FROBNICATE", "1", 2, "pounce: unknown environment variable POUNCE_FROBNICATE "
                        + "(pounce config show lists every setting; each variable is POUNCE_ and the key)"),
                Arguments.of("POUNCE_WORKERS", "two", 2, "pounce: POUNCE_WORKERS expects a whole number, got 'two'"),
                Arguments.of("POUNCE_WORKERS", "", 2, "pounce: POUNCE_WORKERS expects a whole number, got ''"),
                Arguments.of("POUNCE_ACCESS_LOG", "maybe", 2, "pounce: POUNCE_ACCESS_LOG expects true or false, got 'maybe'"),
                Arguments.of("POUNCE_PORT", "70000", 1, "pounce: POUNCE_PORT must be between 0 and 65535, got 70000"),
                Arguments.of("POUNCE_SAMPLE_MAX_ITEMS", "0", 1,
                        "pounce: POUNCE_SAMPLE_MAX_ITEMS must be between 1 and 1000, got 0"),
                Arguments.of("POUNCE_HTTP3_MAX_CONCURRENT_STREAMS", "0", 1,
                        "pounce: POUNCE_HTTP3_MAX_CONCURRENT_STREAMS must be between 1 and 1048576, got 0"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badVariables")
    void aBadVariableIsOneLineNamingIt(String name, String value, int status, String line) {
        var o = run(Map.of(name, value), "check", TestApps.class.getName() + "$Hello");
        assertEquals(List.of(line), o.errLines());
        assertEquals(status, o.status());
    }

    @Test
    void theLaunchersOwnVariablesAndOthersAreLeftAlone() {
        var o = run(Map.of("POUNCE_JAVA_OPTS", "-Xmx64m", "POUNCE_MODULE_PATH", "/opt/app", "POUNCE_HOME", "/opt/pounce",
                "POUNCE_CONTROL_SOCKET", "/tmp/s", "POUNCE_ARGS", "--dispatch loop", "HOME", "/root",
                "POUNCE", "bin/pounce"), "config", "show");
        assertEquals("", o.err());
        assertEquals(0, o.status());
    }

    @Test
    void pluginSettingsComeFromTheirTableADottedKeyOrTheirFlagsName() throws IOException {
        file("pounce.toml", """
                sample-mode = "safe"
                http3_max_concurrent_streams = 64
                ws.max-frame-size = 1000

                [sample]
                max-items = 200
                allow = ["a", "b"]
                enabled = false
                grace = 0.5
                """);
        var o = run(Map.of("POUNCE_HTTP2_MAX_CONCURRENT_STREAMS", "50"), "config", "show", "--output-format", "json");
        assertEquals(0, o.status(), o.err());
        for (String entry : List.of(
                shown("sample.mode", "\"safe\"", "file", "pounce.toml:1"),
                shown("http3.max-concurrent-streams", "64", "file", "pounce.toml:2"),
                shown("ws.max-frame-size", "1000", "file", "pounce.toml:3"),
                shown("sample.grace", "0.5", "file", "pounce.toml:9"),
                shown("sample.max-items", "200", "file", "pounce.toml:6"),
                shown("sample.allow", "[\"a\",\"b\"]", "file", "pounce.toml:7"),
                shown("sample.enabled", "false", "file", "pounce.toml:8"),
                shown("http2.max-concurrent-streams", "50", "env", "POUNCE_HTTP2_MAX_CONCURRENT_STREAMS"))) {
            assertTrue(o.out().contains(entry), entry + " in " + o.out());
        }
    }

    @Test
    void theOriginalsSnakeCaseNamesAreAccepted() throws IOException {
        file("pounce.toml", """
                keep_alive_timeout = 2
                max_request_size = 4096
                health_check_path = "/healthz"
                trusted_hosts = ["10.0.0.0/8"]
                server_header = "edge"
                log_level = "warning"
                http2_enabled = false
                """);
        var o = run(Map.of(), "config", "show", "--output-format", "json");
        assertEquals(0, o.status(), o.err());
        for (String entry : List.of(
                shown("timeout-keep-alive", "2", "file", "pounce.toml:1"),
                shown("limit-request-body", "4096", "file", "pounce.toml:2"),
                shown("health-path", "\"/healthz\"", "file", "pounce.toml:3"),
                shown("forwarded-allow-ips", "[\"10.0.0.0/8\"]", "file", "pounce.toml:4"),
                shown("server-header", "\"edge\"", "file", "pounce.toml:5"),
                shown("log-level", "\"warning\"", "file", "pounce.toml:6"),
                shown("http2.enabled", "false", "file", "pounce.toml:7"))) {
            assertTrue(o.out().contains(entry), entry + " in " + o.out());
        }
    }

    @Test
    void anEmptyArrayClearsAListAndAFlagReplacesIt() throws IOException {
        file("pounce.toml", "forwarded-allow-ips = []\n");
        var cleared = run(Map.of(), "config", "show", "--output-format", "json");
        assertTrue(cleared.out().contains(shown("forwarded-allow-ips", "[]", "file", "pounce.toml:1")), cleared.out());

        file("pounce.toml", "forwarded-allow-ips = [\"10.0.0.0/8\", \"::1\"]\n");
        var replaced = run(Map.of(), "config", "show", "--output-format", "json", "--trusted-hosts", "192.0.2.7");
        assertTrue(replaced.out().contains(shown("forwarded-allow-ips", "[\"192.0.2.7\"]", "flag",
                "--forwarded-allow-ips")), replaced.out());
    }

    @Test
    void pounceTomlWinsOverPyprojectWhoseToolPounceTableIsReadOtherwise() throws IOException {
        file("pyproject.toml", """
                [project]
                name = "demo"
                readme = {file = "README.md", content-type = "text/markdown"}
                authors = [
                  { name = "A. Person", email = "a@example.com" },
                ]

                [[tool.other.overrides]]
                module = "x.*"

                [tool.pounce]
                workers = 4
                """);
        var project = run(Map.of(), "config", "show", "--output-format", "json");
        assertEquals(0, project.status(), project.err());
        assertTrue(project.out().startsWith("{\"file\":\"pyproject.toml\","), project.out());
        assertTrue(project.out().contains(shown("workers", "4", "file", "pyproject.toml:12")), project.out());

        file("pounce.toml", "workers = 5\n");
        var own = run(Map.of(), "config", "show", "--output-format", "json");
        assertTrue(own.out().contains(shown("workers", "5", "file", "pounce.toml:1")), own.out());
    }

    @Test
    void aProjectFileWithoutToolPounceIsNotAConfigFile() throws IOException {
        file("pyproject.toml", "[project]\nname = \"pounce-free\"\n[tool.black]\nline-length = 100\n");
        var o = run(Map.of(), "config", "show", "--output-format", "json");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().startsWith("{\"file\":null,"), o.out());
    }

    @Test
    void configOrItsVariableNamesTheFileWhichMustExist() throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        file("etc/prod.toml", "workers = 6\n");
        file("pounce.toml", "workers = 2\n");
        var flag = run(Map.of(), "config", "show", "--output-format", "json", "--config", "etc/prod.toml");
        assertTrue(flag.out().contains(shown("workers", "6", "file", "etc/prod.toml:1")), flag.out());
        var variable = run(Map.of("POUNCE_CONFIG", "etc/prod.toml"), "config", "show", "--output-format", "json");
        assertTrue(variable.out().contains(shown("workers", "6", "file", "etc/prod.toml:1")), variable.out());

        var missing = run(Map.of(), "check", "--config", "etc/missing.toml");
        assertEquals(List.of("pounce: the config file etc/missing.toml (--config) does not exist"), missing.errLines());
        assertEquals(1, missing.status());
        var missingByVariable = run(Map.of("POUNCE_CONFIG", "nope.toml"), "check");
        assertEquals(List.of("pounce: the config file nope.toml (POUNCE_CONFIG) does not exist"),
                missingByVariable.errLines());
    }

    @Test
    void pluginFoldersFollowTheSamePrecedenceBeforeAnyPluginIsLoaded() throws IOException {
        file("pounce.toml", "plugin-path = [\"/opt/a\", \"/opt/b\"]\n");
        var env = Environment.of(Map.of("POUNCE_PLUGIN_PATH", "/env/a:/env/b"), dir);
        ConfigFile found = ConfigFile.find(new String[0], env);
        assertEquals(List.of("/opt/a", "/opt/b"), PluginPath.folders(new String[0], Environment.of(Map.of(), dir), found));
        assertEquals(List.of("/env/a", "/env/b"), PluginPath.folders(new String[0], env, found));
        assertEquals(List.of("/flag"), PluginPath.folders(new String[]{"--plugin-path", "/flag"}, env, found));
    }

    @Test
    void theFileMayNameTheApp() throws IOException {
        file("pounce.toml", "app = \"com.example.Missing\"\n");
        var o = run(Map.of(), "check");
        assertEquals(List.of("pounce: app class 'com.example.Missing' not found on the module path or class path"),
                o.errLines());
        var typed = run(Map.of(), "check", "--port", "0", "--log-level", "error", TestApps.class.getName() + "$Hello");
        assertEquals(0, typed.status(), "the APP typed wins: " + typed.err());
    }

    @Test
    void configAloneAsksForItsSubcommandAndSchemaListsTheKeys() {
        var bare = run(Map.of(), "config");
        assertEquals(List.of("pounce: config needs a subcommand: show or schema (see pounce config --help)"),
                bare.errLines());
        assertEquals(2, bare.status());

        var schema = run(Map.of(), "config", "schema");
        assertEquals(0, schema.status(), schema.err());
        assertTrue(schema.out().startsWith("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","), schema.out());
        for (String property : List.of(
                "\"workers\":{\"type\":\"integer\",\"description\":\"Workers; 0 means one per processor; 1 runs without "
                        + "a supervisor.\",\"default\":1}",
                "\"reuse-port\":{\"type\":\"boolean\"",
                "\"timeout-keep-alive\":{\"type\":\"number\"",
                "\"forwarded-allow-ips\":{\"type\":[\"array\",\"string\"],\"items\":{\"type\":\"string\"}",
                "\"sample\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"enabled\":{\"type\":"
                        + "\"boolean\"",
                "\"max-items\":{\"type\":\"integer\",\"description\":\"Items a client may ask for at once. (between 1 "
                        + "and 1000 items; default: 16; RFC 0000 section 1)\",\"default\":16}")) {
            assertTrue(schema.out().contains(property), property + " in " + schema.out());
        }
        assertFalse(schema.out().contains("\"ssl-keyfile-password\":{\"type\":\"string\",\"description\":\"Password "
                + "of an encrypted --ssl-keyfile (other local users can see command lines).\",\"default\""),
                "a secret has no default shown");
    }
}
