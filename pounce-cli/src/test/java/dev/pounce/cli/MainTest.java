package dev.pounce.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command as a person meets it: exit status, stdout and the one line on stderr. */
class MainTest {

    record Outcome(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Outcome run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionNamesPounceAndJava() {
        var o = run("--version");
        assertEquals(0, o.status());
        assertTrue(o.out().startsWith("pounce "), o.out());
        assertTrue(o.out().contains("Java " + Runtime.version()), o.out());
        assertEquals("", o.err());
    }

    @Test
    void helpListsEveryFlag() {
        var o = run("--help");
        assertEquals(0, o.status());
        for (ConfigFlag f : ConfigFlag.values()) {
            String shown = f == ConfigFlag.ACCESS_LOG ? "--[no-]access-log" : f.flag();
            assertTrue(o.out().contains(shown), shown);
        }
        assertTrue(o.out().replaceAll("\\s+", " ").contains("(default: 8000)"), "defaults come from ServerConfig");
    }

    @Test
    void checkHasItsOwnHelp() {
        var o = run("check", "--help");
        assertEquals(0, o.status());
        assertTrue(o.out().startsWith("Usage: pounce check [OPTIONS] [APP]"), o.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "--prot 1 | 2 | pounce: unknown option '--prot' (see pounce --help); did you mean --port?",
            "--frobnicate | 2 | pounce: unknown option '--frobnicate' (see pounce --help)",
            "--no-acess-log | 2 | pounce: unknown option '--no-acess-log' (see pounce --help); did you mean --no-access-log?",
            "--port abc | 2 | pounce: --port expects a whole number, got 'abc'",
            "--port 99999999999 | 2 | pounce: --port expects a whole number, got '99999999999'",
            "--timeout-write soon | 2 | pounce: --timeout-write expects seconds as a decimal number such as 0.5, got 'soon'",
            "--port | 2 | pounce: --port needs a value (PORT)",
            "a.B c.D | 2 | pounce: unexpected argument 'c.D': give at most one APP (see pounce --help)",
            "--port 70000 | 1 | pounce: --port must be between 0 and 65535, got 70000",
            "--workers -1 | 1 | pounce: --workers must be between 0 and 1024, got -1",
            "--limit-request-header-size 10 | 1 | pounce: --limit-request-header-size must be between 1024 and 16777216, got 10",
            "--timeout-keep-alive 0 | 1 | pounce: --timeout-keep-alive must be more than 0 and at most 86400 seconds, got 0.0 s",
            "--transport dpdk | 1 | pounce: --transport must be one of auto, epoll, io_uring, nio, got 'dpdk'",
            "--dispatch inline | 1 | pounce: --dispatch must be one of virtual, loop, got 'inline'",
            "--forwarded-allow-ips 10.0.0.0/8,10.0.0.0/33 | 1 | pounce: --forwarded-allow-ips takes IP addresses, CIDR blocks such as 10.0.0.0/8, or *: '10.0.0.0/33' has a prefix length that is not 0 to 32",
            "--forwarded-allow-ips proxy.local | 1 | pounce: --forwarded-allow-ips takes IP addresses, CIDR blocks such as 10.0.0.0/8, or *: 'proxy.local' is not an IP address or *",
            "--health-path healthz | 1 | pounce: --health-path must be a path starting with '/' of at most 1024 visible ASCII characters, without '?' or '#', such as /healthz, got 'healthz'",
            "--health-path /a?b | 1 | pounce: --health-path must be a path starting with '/' of at most 1024 visible ASCII characters, without '?' or '#', such as /healthz, got '/a?b'",
            "--metrics-path metrics | 1 | pounce: --metrics-path must be a path starting with '/' of at most 1024 visible ASCII characters, without '?' or '#', such as /metrics, got 'metrics'",
            "--metrics-path /ops --health-path /ops | 1 | pounce: --metrics-path must differ from --health-path, both are '/ops'",
            "--static /s=/nonexistent-pounce | 1 | pounce: --static folder '/nonexistent-pounce' for /s does not exist or cannot be read",
            "--static assets=/tmp | 1 | pounce: --static prefix must be / or a path such as /assets: visible ASCII, no '?', '#', '%' or '\\', no empty, '.' or '..' segments, got 'assets'",
            "--static /s=/tmp --static-cache-control /t=no-cache | 1 | pounce: --static-cache-control names /t, which no --static folder is mounted at",
            "--access-log-format xml | 1 | pounce: --access-log-format must be one of text, json, got 'xml'",
            "--limit-concurrency -1 | 1 | pounce: --limit-concurrency must be between 0 and 2147483647, got -1",
            "--limit-concurrency many | 2 | pounce: --limit-concurrency expects a whole number, got 'many'",
            "--limit-concurrency 1 --limit-queue -1 | 1 | pounce: --limit-queue must be between 0 and 2147483647, got -1",
            "--limit-queue 1 | 1 | pounce: --limit-queue needs --limit-concurrency above 0, since a queue waits for a free slot under that cap",
            "--limit-concurrency 1 --limit-queue 1 --timeout-queue 0 | 1 | pounce: --timeout-queue must be more than 0 and at most 86400 seconds, got 0.0 s",
            "--timeout-queue 86400.001 | 1 | pounce: --timeout-queue must be more than 0 and at most 86400 seconds, got 86400.001 s",
            "--rate-limit-requests-per-second 0 | 1 | pounce: --rate-limit-requests-per-second must be more than 0 and at most 1000000000, got 0.0",
            "--rate-limit-requests-per-second -5 | 1 | pounce: --rate-limit-requests-per-second must be more than 0 and at most 1000000000, got -5.0",
            "--rate-limit-requests-per-second NaN | 1 | pounce: --rate-limit-requests-per-second must be more than 0 and at most 1000000000, got NaN",
            "--rate-limit-requests-per-second 1000000000.5 | 1 | pounce: --rate-limit-requests-per-second must be more than 0 and at most 1000000000, got 1.0000000005E9",
            "--rate-limit-requests-per-second fast | 2 | pounce: --rate-limit-requests-per-second expects a number such as 0.5, got 'fast'",
            "--rate-limit-burst 0 | 1 | pounce: --rate-limit-burst must be between 1 and 1000000000, got 0",
            "--rate-limit-max-tracked-ips 0 | 1 | pounce: --rate-limit-max-tracked-ips must be between 1 and 10000000, got 0",
            "--rate-limit-max-tracked-ips 10000001 | 1 | pounce: --rate-limit-max-tracked-ips must be between 1 and 10000000, got 10000001",
            "--rate-limit-ipv6-prefix 15 | 1 | pounce: --rate-limit-ipv6-prefix must be between 16 and 128, got 15",
            "--rate-limit-ipv6-prefix 129 | 1 | pounce: --rate-limit-ipv6-prefix must be between 16 and 128, got 129",
            "--compression-min-size -1 | 1 | pounce: --compression-min-size must be between 0 and 1073741824, got -1",
            "--compression-min-size 1073741825 | 1 | pounce: --compression-min-size must be between 0 and 1073741824, got 1073741825",
            "--compression-encodings gzip,lz4 | 1 | pounce: --compression-encodings takes zstd, br and gzip, got 'lz4'",
            "--compression-encodings gzip,gzip | 1 | pounce: --compression-encodings names 'gzip' twice",
            "--compression-encodings , | 1 | pounce: --compression-encodings must name at least one of zstd, br, gzip (use --no-compression to turn compression off)",
            "--compression-types text | 1 | pounce: --compression-types takes media types such as text/html, text/* or application/*+json, got 'text'",
            "--compression-gzip-level 0 | 1 | pounce: --compression-gzip-level must be between 1 and 9, got 0",
            "--compression-gzip-level 10 | 1 | pounce: --compression-gzip-level must be between 1 and 9, got 10",
            "--compression-zstd-level 23 | 1 | pounce: --compression-zstd-level must be between 1 and 22, got 23",
            "--compression-zstd-level 0 | 1 | pounce: --compression-zstd-level must be between 1 and 22, got 0",
            "--compression-brotli-level 12 | 1 | pounce: --compression-brotli-level must be between 0 and 11, got 12",
            "--compression-brotli-level -1 | 1 | pounce: --compression-brotli-level must be between 0 and 11, got -1",
            "--port 1 check | 2 | pounce: put the options and APP after 'check': pounce check [OPTIONS] [APP]",
            "check --port 70000 | 1 | pounce: --port must be between 0 and 65535, got 70000",
            "x.Y | 1 | pounce: app class 'x.Y' not found on the module path or class path",
            "check x.Y | 1 | pounce: app class 'x.Y' not found on the module path or class path"})
    void aUserErrorIsOneLineWithoutATrace(String args, int status, String line) {
        var o = run(args.split(" "));
        assertEquals(status, o.status());
        assertEquals(List.of(line), o.errLines());
        assertEquals("", o.out());
    }

    @Test
    void noAppAndNoProviderIsExplained() {
        var o = run("check");
        assertEquals(1, o.status());
        assertEquals(1, o.errLines().size());
        assertTrue(o.err().startsWith(
                "pounce: no APP given and no module on the module path provides dev.pounce.api.App"), o.err());
    }

    @Test
    void checkSaysWhereItWouldServe() {
        var o = run("check", "--port", "0", "--log-level", "error", TestApps.class.getName() + "$Hello");
        assertEquals("", o.err());
        assertEquals("ok: " + TestApps.class.getName() + "$Hello would serve on http://127.0.0.1:0\n", o.out());
        assertEquals(0, o.status());
    }

    @Test
    void checkFailsOnAPortInUse() throws Exception {
        try (var taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var o = run("check", "--port", String.valueOf(taken.getLocalPort()), "--log-level", "error",
                    TestApps.class.getName() + "$Hello");
            assertEquals(1, o.status());
            assertEquals(1, o.errLines().size(), o.err());
            assertTrue(o.err().startsWith("pounce: "), o.err());
            assertTrue(o.err().contains(String.valueOf(taken.getLocalPort())), o.err());
        }
    }

    @Test
    void addressesArePrintedAsUrls() {
        assertEquals("http://127.0.0.1:8000", Main.address(dev.pounce.api.ServerConfig.defaults()));
        assertEquals("http://[::1]:9000",
                Main.address(dev.pounce.api.ServerConfig.builder().host("::1").port(9000).build()));
        assertEquals("https://127.0.0.1:8443", Main.address(dev.pounce.api.ServerConfig.builder().port(8443)
                .sslCertFile(java.nio.file.Path.of("c.pem")).sslKeyFile(java.nio.file.Path.of("k.pem")).build()));
        assertEquals("unix:/tmp/p.sock", Main.address(
                dev.pounce.api.ServerConfig.builder().uds(java.nio.file.Path.of("/tmp/p.sock")).build()));
    }
}
