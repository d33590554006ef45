package dev.pounce.image;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/** Links more images like the one the build makes, with the same jlink options file, and finds the build's jars. */
final class Images {

    private Images() {
    }

    static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run through Maven (verify)");
        }
        return Path.of(value);
    }

    /** @return the image the build made */
    static Path built() {
        return property("pounce.image");
    }

    /** @return a jar the build staged for tests: pounce-demo.jar, pounce-proxy-protocol.jar */
    static Path extra(String jar) {
        return property("pounce.image.extras").resolve(jar);
    }

    /**
     * Links an image as the build does: the image's modules, minus those {@code leaveOut} matches, plus
     * {@code add}; then adds bin/pounce and an empty plugins/ folder.
     *
     * @return the image folder
     */
    static Path link(Path output, Predicate<String> leaveOut, List<Path> add) throws IOException {
        Path staged = Files.createDirectories(output.resolveSibling(output.getFileName() + "-modules"));
        try (Stream<Path> jars = Files.list(property("pounce.image.modules"))) {
            for (Path jar : jars.toList()) {
                if (!leaveOut.test(jar.getFileName().toString())) {
                    Files.copy(jar, staged.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        for (Path jar : add) {
            Files.copy(jar, staged.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> args = argFile(property("pounce.image.jlinkArgs"));
        args.addAll(List.of("--module-path", staged.toString(), "--output", output.toString()));
        run("jlink", args);
        Files.copy(built().resolve("bin/pounce"), output.resolve("bin/pounce"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(output.resolve("plugins"));
        return output;
    }

    /** The jlink tool provider does not read {@code @files} (the launcher does): split it as the launcher would. */
    static List<String> argFile(Path file) throws IOException {
        List<String> args = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            var token = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (char c : line.toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                    any = true;
                } else if (Character.isWhitespace(c) && !quoted) {
                    if (any) {
                        args.add(token.toString());
                        token.setLength(0);
                        any = false;
                    }
                } else {
                    token.append(c);
                    any = true;
                }
            }
            if (any) {
                args.add(token.toString());
            }
        }
        return args;
    }

    static void run(String tool, List<String> args) {
        var out = new StringWriter();
        int status = ToolProvider.findFirst(tool).orElseThrow(() -> new IllegalStateException("no " + tool + " tool"))
                .run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException(tool + " " + args + " failed with " + status + ":\n" + out);
        }
    }
}
