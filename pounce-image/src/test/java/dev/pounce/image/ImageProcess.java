package dev.pounce.image;

import java.io.IOException;
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

/** {@code bin/pounce} of an image, started on a free port; its output goes to a file the test reads. */
final class ImageProcess implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
    static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final int port;

    private ImageProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code image/bin/pounce --port 0 args...} and waits until it says where it serves. */
    static ImageProcess start(Path image, Path log, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/pounce").toString(),
                "--host", "127.0.0.1", "--port", "0"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("POUNCE_MODULE_PATH");
        builder.environment().remove("POUNCE_JAVA_OPTS");
        builder.environment().putAll(env);
        Process p = builder.start();
        long deadline = System.nanoTime() + START.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Matcher m = SERVING.matcher(read(log));
                if (m.find()) {
                    return new ImageProcess(p, log, Integer.parseInt(m.group(1)));
                }
                if (!p.isAlive()) {
                    throw new AssertionError("bin/pounce exited with " + p.exitValue() + ":\n" + read(log));
                }
                Thread.sleep(50);
            }
            throw new AssertionError("bin/pounce did not serve within " + START.toSeconds() + " s:\n" + read(log));
        } catch (AssertionError | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    int port() {
        return port;
    }

    String output() throws IOException {
        return read(log);
    }

    /** Sends SIGTERM and waits for the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/pounce did not stop within 20 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
