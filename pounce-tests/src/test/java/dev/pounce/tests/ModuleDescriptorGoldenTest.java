package dev.pounce.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Guards the module graph: {@code jar --describe-module} of each of our jars must match its golden file in
 * {@code src/test/resources/modules/}. A failure means a module's requires, exports, opens, uses, provides or
 * packages changed. If that was meant, regenerate the files with
 * {@code ./mvnw -pl pounce-tests verify -Dpounce.updateGolden=true} and commit them with the change, so the review
 * sees the new graph.
 */
class ModuleDescriptorGoldenTest {

    static final String UPDATE = "pounce.updateGolden";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pounce-api", "pounce-runtime", "pounce-h1", "pounce-h2", "pounce-h3", "pounce-ws",
            "pounce-cli", "pounce-demo"})
    void moduleDescriptorMatchesItsGoldenFile(String artifactId) throws IOException {
        String actual = describe(ChildJvm.productJar(artifactId));
        Path golden = Path.of(System.getProperty("pounce.golden", "src/test/resources/modules"))
                .resolve(artifactId + ".txt");
        if (Boolean.getBoolean(UPDATE)) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
            return;
        }
        String how = "If the change is meant, run `./mvnw -pl pounce-tests verify -D" + UPDATE + "=true` and commit "
                + "pounce-tests/src/test/resources/modules/" + artifactId + ".txt with it.";
        if (!Files.exists(golden)) {
            fail("no golden module descriptor for " + artifactId + " at " + golden + ". " + how
                    + "\nIts descriptor now:\n" + actual);
        }
        assertEquals(Files.readString(golden), actual,
                "the module descriptor of " + artifactId + " changed: the module graph is not what was reviewed. "
                        + how);
    }

    /**
     * {@code jar --describe-module}, made independent of where the jar is and of the project version: the first
     * line {@code dev.pounce.api@0.1.0-SNAPSHOT jar:file:///.../pounce-api.jar!/module-info.class} becomes
     * {@code dev.pounce.api@VERSION}.
     */
    static String describe(Path jar) {
        ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow(() -> new AssertionError("no jar tool"));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = tool.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "--describe-module", "--file", jar.toString());
        assertEquals(0, rc, "jar --describe-module failed: " + err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").strip();
        String[] lines = text.split("\n", 2);
        String first = lines[0].replaceFirst(" jar:file:.*$", "").replaceFirst("@[^ ]+$", "@VERSION");
        assertTrue(first.startsWith("dev.pounce."), "not one of our modules: " + lines[0]);
        return first + (lines.length > 1 ? "\n" + lines[1] : "") + "\n";
    }
}
