package dev.pounce.h2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the outside clients (curl, nghttp, h2load) the tests talk to Pounce with. */
final class Tools {

    record Result(int exit, String out, String err) {
    }

    private Tools() {
    }

    static boolean present(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("pounce-h2-tool", ".err");
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            var out = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(out);
                } catch (IOException ignored) {
                    // the process went away
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            reader.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
