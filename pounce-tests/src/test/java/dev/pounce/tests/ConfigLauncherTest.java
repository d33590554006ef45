package dev.pounce.tests;

import dev.pounce.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration beyond flags as users meet it: the distribution's launcher started with no flags in a folder that
 * holds a {@code pounce.toml}, and a {@code POUNCE_*} variable in its environment. The server serves on the file's
 * port with the file's workers (process workers, which must get the merged settings from their parent, since they
 * read neither file nor environment), and answers with the variable's {@code Server} header over the file's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConfigLauncherTest {

    static final Duration START_BOUND = Duration.ofSeconds(90);
    static final Duration EXIT_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static Path launcher() {
        Path launcher = Path.of("..", "pounce-cli", "target", "pounce", "bin", "pounce").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), "no launcher at " + launcher + "; package pounce-cli first");
        return launcher;
    }

    static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aPounceTomlInTheWorkingDirectoryAndAVariableConfigureTheServer() throws Exception {
        int port = freePort();
        Files.writeString(dir.resolve("pounce.toml"), """
                # The settings of this deployment, beside the app.
                host = "127.0.0.1"
                port = %d
                workers = 2
                worker-strategy = "process"
                server-header = "from-the-file"

                [http2]
                max-concurrent-streams = 64
                """.formatted(port));
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "POUNCE_MODULE_PATH", ChildJvm.productJar("pounce-demo").toString(),
                "POUNCE_SERVER_HEADER", "from-the-environment");
        try (var child = ChildJvm.start(List.of(launcher().toString()), env, dir)) {
            child.awaitStderr(Pattern.compile("serving on http://127\\.0\\.0\\.1:" + port + " with 2 workers \\(process, "),
                    START_BOUND);
            Set<String> workers = new TreeSet<>();
            // A fresh connection per request, so the kernel may hand each to either child.
            for (int i = 0; i < WorkersTest.MAX_CONNECTIONS && workers.size() < 2; i++) {
                try (var conn = RawConnection.open(new InetSocketAddress("127.0.0.1", port))) {
                    var r = conn.send("GET /worker HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").readResponse();
                    assertEquals(200, r.status(), r + "\n" + child.describe());
                    assertEquals("from-the-environment", r.header("server").orElse(""), r + "\n" + child.describe());
                    workers.add(r.header("x-pounce-worker").orElseThrow());
                }
            }
            assertEquals(Set.of("0", "1"), workers, "both process workers serve\n" + child.describe());
            child.terminate();
            assertEquals(0, child.awaitExit(EXIT_BOUND), child.describe());
        }

        try (var show = ChildJvm.start(List.of(launcher().toString(), "config", "show"), env, dir)) {
            assertEquals(0, show.awaitExit(START_BOUND), show.describe());
            String out = show.stdout();
            for (String row : List.of(
                    "config file: pounce\\.toml",
                    "port +" + port + " +pounce\\.toml:3",
                    "workers +2 +pounce\\.toml:4",
                    "server-header +from-the-environment +env POUNCE_SERVER_HEADER",
                    "http2\\.max-concurrent-streams +64 +pounce\\.toml:9",
                    "timeout-keep-alive +5 +default")) {
                assertTrue(out.lines().anyMatch(l -> l.matches(row)), row + "\n" + show.describe());
            }
        }
    }

    @Test
    void aMisspeltVariableStopsTheLauncherWithTheNearestName() throws Exception {
        Files.writeString(dir.resolve("pounce.toml"), "port = 0\n");
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "POUNCE_MODULE_PATH", ChildJvm.productJar("pounce-demo").toString(),
                "POUNCE_WORKER", "2");
        try (var child = ChildJvm.start(List.of(launcher().toString()), env, dir)) {
            assertEquals(2, child.awaitExit(START_BOUND), child.describe());
            assertEquals("pounce: unknown environment variable POUNCE_WORKER; did you mean POUNCE_WORKERS?\n",
                    child.stderr(), child.describe());
        }
    }
}
