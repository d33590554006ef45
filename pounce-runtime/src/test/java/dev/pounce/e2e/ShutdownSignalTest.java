package dev.pounce.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM to a server JVM during a slow request: it completes, late arrivals get the 503, the exit status is 0. */
class ShutdownSignalTest {

    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");

    @ParameterizedTest(name = "{0} x{1}")
    @CsvSource({"thread, 1", "thread, 2", "process, 2"})
    void slowRequestCompletesLateArrivalsGet503AndTheExitIsClean(String strategy, int workers) throws Exception {
        var launched = Launched.start(strategy, workers);
        Process server = launched.process();
        var lines = launched.lines();
        var output = launched.output();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int port = launched.awaitPort(deadline);
            var address = new InetSocketAddress("127.0.0.1", port);
            var slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return E2eServer.get(address, "/slow?ms=3000");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            String entered = null;
            while (entered == null && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.contains("slow-entered")) {
                    entered = line;
                }
            }
            assertNotNull(entered, "the slow request never reached the app: " + output);

            server.toHandle().destroy();
            E2eServer.Response late = null;
            while (late == null && System.nanoTime() < deadline) {
                // No connection fails: the sockets stay open through the drain, whichever worker is idle.
                late = E2eServer.get(address, "/worker");
                if (late.status() != 503) {
                    // Sent before the signal was handled: try again.
                    late = null;
                }
            }
            assertNotNull(late, "no 503 for late arrivals: " + output);
            assertFalse(slow.isDone(), "the slow request ended before its time");
            String head = late.head().toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 503 service unavailable\r\n"), late.head());
            assertTrue(head.contains("\r\nconnection: close"), late.head());
            assertTrue(head.contains("\r\nretry-after: 1"), late.head());
            assertTrue(head.contains("\r\ncontent-type: text/plain; charset=utf-8"), late.head());
            assertEquals("Server shutting down...", late.body());

            var done = slow.get(30, TimeUnit.SECONDS);
            assertEquals(200, done.status());
            assertEquals("slow done", done.body());
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not exit: " + output);
            assertEquals(0, server.exitValue(), "exit status; output: " + output);
        } finally {
            launched.kill();
        }
    }

    /**
     * The signal handlers are the server's before it says it serves: a supervisor (or a test) that sends SIGTERM the
     * moment it reads the line gets a drain and exit status 0, never the JVM's default exit (143).
     */
    @ParameterizedTest(name = "{0} x{1}")
    @CsvSource({"thread, 1", "process, 2"})
    void aSignalSentTheMomentItSaysItServesDrainsAndExitsCleanly(String strategy, int workers) throws Exception {
        var launched = Launched.start(strategy, workers);
        try {
            launched.awaitPort(System.nanoTime() + Duration.ofSeconds(60).toNanos());
            launched.process().toHandle().destroy();
            assertTrue(launched.process().waitFor(30, TimeUnit.SECONDS), "the server did not exit: "
                    + launched.output());
            assertEquals(0, launched.process().exitValue(), "exit status; output: " + launched.output());
            assertTrue(launched.output().toString().contains("signal TERM"), "no drain on the signal: "
                    + launched.output());
        } finally {
            launched.kill();
        }
    }

    /** A server JVM running {@link E2eMain}, its output read line by line as it comes. */
    private record Launched(Process process, LinkedBlockingQueue<String> lines, StringBuilder output) {

        static Launched start(String strategy, int workers) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command()
                            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                    "-cp", System.getProperty("java.class.path"), E2eMain.class.getName(), strategy,
                    Integer.toString(workers)));
            Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            var launched = new Launched(server, new LinkedBlockingQueue<>(), new StringBuilder());
            Thread.ofVirtual().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(server.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (launched.output) {
                            launched.output.append(line).append('\n');
                        }
                        launched.lines.add(line);
                    }
                } catch (IOException e) {
                    // The server is gone.
                }
            });
            return launched;
        }

        /** @return the port from the "serving on" line, read before the deadline */
        int awaitPort(long deadline) throws InterruptedException {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                Matcher m = line == null ? null : SERVING.matcher(line);
                if (m != null && m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            throw new AssertionError("the server never said it serves: " + output);
        }

        void kill() {
            process.destroyForcibly();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
