package dev.pounce.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A child process (a JVM on the module path, or the {@code pounce} launcher) whose output is collected as it comes,
 * so a test can wait for a log line with a bounded wait. {@link #close()} kills it if it is still alive: use it in
 * try-with-resources so no child outlives its test.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final List<String> command;

    private ChildJvm(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        drain(process.getInputStream(), out, "stdout");
        drain(process.getErrorStream(), err, "stderr");
    }

    /**
     * @param command the command line
     * @param env     extra environment variables
     * @return the started process
     * @throws IOException if it cannot be started
     */
    static ChildJvm start(List<String> command, Map<String, String> env) throws IOException {
        var pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return new ChildJvm(pb.start(), List.copyOf(command));
    }

    /**
     * @param command   the command line
     * @param env       extra environment variables
     * @param directory its working directory, where {@code pounce} looks for {@code pounce.toml}
     * @return the started process
     * @throws IOException if it cannot be started
     */
    static ChildJvm start(List<String> command, Map<String, String> env, Path directory) throws IOException {
        var pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().putAll(env);
        return new ChildJvm(pb.start(), List.copyOf(command));
    }

    /** @return the {@code java} launcher of the JVM running the tests */
    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Every jar of the product and its dependencies, as copied by the build into {@code target/modules}.
     *
     * @return the jars, sorted by name
     */
    static List<Path> productJars() throws IOException {
        String dir = System.getProperty("pounce.modules");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("no product jars in " + dir + "; run the tests through Maven "
                    + "(`./mvnw -pl pounce-tests -am install`), whose process-test-resources phase copies them there");
        }
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /**
     * @param artifactId a Maven artifact id, such as {@code pounce-h1}
     * @return its jar in the product jars
     */
    static Path productJar(String artifactId) throws IOException {
        return productJars().stream()
                .filter(p -> p.getFileName().toString().matches(Pattern.quote(artifactId) + "-\\d.*\\.jar"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + artifactId + " jar in target/modules"));
    }

    private void drain(InputStream in, StringBuilder into, String name) {
        Thread.ofVirtual().name("child-" + name).start(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (this) {
                        into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process went away.
            }
        });
    }

    /**
     * Waits for a line of stderr (where the server logs) to match.
     *
     * @param pattern what to look for
     * @param bound   how long to wait at most
     * @return the match
     * @throws AssertionError with the whole output if the process exits or the bound passes first
     */
    Matcher awaitStderr(Pattern pattern, Duration bound) throws InterruptedException {
        return await(err, pattern, bound);
    }

    /**
     * Waits for stdout (where the JSON access log goes) to match.
     *
     * @param pattern what to look for
     * @param bound   how long to wait at most
     * @return the match
     * @throws AssertionError with the whole output if the process exits or the bound passes first
     */
    Matcher awaitStdout(Pattern pattern, Duration bound) throws InterruptedException {
        return await(out, pattern, bound);
    }

    private Matcher await(StringBuilder output, Pattern pattern, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (this) {
            while (true) {
                Matcher m = pattern.matcher(output);
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive()) {
                    // The last output of a dead process may still be on its way through the drain threads.
                    deadline = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line matching /" + pattern + "/ within " + bound.toSeconds()
                            + " s" + (process.isAlive() ? "" : "; the process exited with " + process.exitValue())
                            + "\n" + describe());
                }
                wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /**
     * @param bound how long to wait
     * @return the exit code
     * @throws AssertionError if it is still running after the bound
     */
    int awaitExit(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not exit within " + bound.toSeconds() + " s\n" + describe());
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM. Through the process handle, not {@link Process#destroy()}, which also closes our ends of the
     * child's pipes, so that what it logs while it drains would be lost.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** @return the process's handle, to find its children (process workers) */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** @return the process, to find its descendants (process workers) */
    Process process() {
        return process;
    }

    synchronized String stderr() {
        return err.toString();
    }

    synchronized String stdout() {
        return out.toString();
    }

    /** @return the command and everything the process printed, for failure messages */
    synchronized String describe() {
        return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static List<String> modulePathCommand(List<Path> modulePath, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=io.netty.common,dev.pounce.runtime",
                "-p", String.join(java.io.File.pathSeparator, modulePath.stream().map(Path::toString).toList()),
                "--add-modules", "ALL-MODULE-PATH",
                "-m", "dev.pounce.cli/dev.pounce.cli.Main"));
        cmd.addAll(args);
        return cmd;
    }
}
