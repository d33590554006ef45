package dev.pounce.h3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second, independent HTTP/3 stack: ngtcp2 and nghttp3 with GnuTLS, as Debian's {@code ngtcp2-client} package
 * builds them ({@code gtlsclient}). CI installs the package; without it these tests are skipped, saying so.
 */
class Ngtcp2ClientTest {

    private static final String CLIENT = "gtlsclient";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(onPath(CLIENT), CLIENT + " is not installed (Debian package ngtcp2-client); skipping the ngtcp2 "
                + "interoperability tests");
        server = TestServer.start(TestApps.ROUTES, SelfSignedPem.create(dir),
                b -> b.maxRequestBodySize(8 << 20));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fetchesAPage() throws Exception {
        Path out = Files.createDirectories(dir.resolve("get"));
        run(out, List.of(), "/version");
        assertEquals("3 GET 127.0.0.1:" + server.port() + " https\n", Files.readString(out.resolve("version")));
    }

    @Test
    void uploadsABodyAndGetsItBack() throws Exception {
        byte[] body = new byte[3 << 20];
        ThreadLocalRandom.current().nextBytes(body);
        Path data = Files.write(dir.resolve("body.bin"), body);
        Path out = Files.createDirectories(dir.resolve("post"));
        run(out, List.of("-m", "POST", "-d", data.toString()), "/echo");
        assertArrayEquals(body, Files.readAllBytes(out.resolve("echo")));
    }

    private static void run(Path download, List<String> options, String path) throws Exception {
        List<String> command = new ArrayList<>(List.of(CLIENT, "--quiet", "--no-quic-dump", "--no-http-dump",
                "--exit-on-all-streams-close", "--download=" + download));
        command.addAll(options);
        command.addAll(List.of("127.0.0.1", String.valueOf(server.port()),
                "https://127.0.0.1:" + server.port() + path));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("client.log").toFile()).start();
        try {
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String log = Files.readString(dir.resolve("client.log"));
            assertEquals(true, done, "gtlsclient did not finish: " + log);
            assertEquals(0, p.exitValue(), log);
        } finally {
            p.destroyForcibly();
        }
    }

    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }
}
