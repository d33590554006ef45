package dev.pounce.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.pounce.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in middleware's flags come from the runtime's config sections ({@code cors}, {@code security-headers}),
 * as a plugin's would: listed in the help, mapped to their keys, shown by {@code pounce info} and
 * {@code pounce config show}, accepted at the edges of every limit and refused one past them, naming the flag.
 */
class MiddlewareFlagsTest {

    private static final String APP = TestApps.class.getName() + "$Hello";

    @Test
    void helpListsBothSectionsWithTheirFlags() {
        var o = run("--help");
        assertEquals(0, o.status(), o.err());
        String help = o.out().replaceAll("\\s+", " ");
        String cors = help.substring(help.indexOf(" CORS (built-in middleware, dev.pounce.runtime) "));
        for (String flag : List.of("--cors-allow-origin=LIST", "--cors-allow-methods=LIST", "--cors-allow-headers=LIST",
                "--cors-expose-headers=LIST", "--[no-]cors-allow-credentials", "--cors-max-age=N")) {
            assertTrue(cors.contains(flag), flag + " in " + o.out());
        }
        String security = help.substring(help.indexOf(" Security headers (built-in middleware, dev.pounce.runtime) "));
        for (String flag : List.of("--[no-]security-headers", "--[no-]content-type-options", "--referrer-policy=WORD",
                "--frame-options=WORD", "--hsts-max-age=N", "--[no-]hsts-include-subdomains")) {
            assertTrue(security.contains(flag), flag + " in " + o.out());
        }
    }

    @Test
    void theFlagsReachTheirKeysAndARepeatedOriginAddsUp() {
        assertEquals(Map.of("cors.allow-origin", "https://a.example,https://b.example:8443",
                        "cors.allow-credentials", "true", "security-headers.enabled", "true",
                        "security-headers.hsts-max-age", "600", "security-headers.frame-options", "sameorigin"),
                FlagMappingTest.parse("--cors-allow-origin", "https://a.example", "--cors-allow-origin",
                        "https://b.example:8443", "--cors-allow-credentials", "--security-headers",
                        "--hsts-max-age", "600", "--frame-options", "sameorigin").plugins().given());
    }

    @Test
    void infoAndConfigShowTellTheValues() {
        var info = run("info", "--cors-allow-origin", "*", "--cors-allow-credentials", "--hsts-max-age", "60");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().lines().anyMatch(l -> l.matches(" {4}--cors-allow-origin +\\*")), info.out());
        assertTrue(info.out().lines().anyMatch(l -> l.matches(" {4}--cors-allow-credentials +true")), info.out());
        assertTrue(info.out().lines().anyMatch(l -> l.matches(" {4}--hsts-max-age +60")), info.out());
        assertTrue(info.out().lines().anyMatch(l -> l.matches(" +middleware cors +\\S+ .*")), info.out());
        var show = run("config", "show", "--cors-allow-origin", "*", "--cors-allow-credentials");
        assertEquals(0, show.status(), show.err());
        assertTrue(show.out().lines().anyMatch(l -> l.matches("cors.allow-credentials +true +.*")),
                "a switch is not a secret: " + show.out());
    }

    @ParameterizedTest
    @CsvSource({
            "--cors-max-age, 0", "--cors-max-age, 86400",
            "--hsts-max-age, 0", "--hsts-max-age, 315360000",
            "--cors-allow-origin, https://app.example:8443", "--cors-allow-origin, http://127.0.0.1",
            "--cors-allow-origin, *"})
    void valuesAtTheEdgesAreAccepted(String flag, String value) {
        // A CORS setting needs an origin to have any effect.
        var o = flag.startsWith("--cors") && !flag.equals("--cors-allow-origin")
                ? run("check", "--cors-allow-origin", "*", flag, value, APP) : run("check", flag, value, APP);
        assertEquals(0, o.status(), o.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--cors-allow-origin * --cors-max-age 86401|--cors-max-age must be between 0 and 86400, got 86401",
            "--hsts-max-age 315360001|--hsts-max-age must be between 0 and 315360000, got 315360001",
            "--cors-allow-origin https://app.example/|--cors-allow-origin items must each be an origin such as "
                    + "https://app.example:8443, or *; 'https://app.example/' has more than scheme://host[:port] "
                    + "(an origin has no path, not even /)",
            "--cors-allow-origin null|--cors-allow-origin items must each be an origin such as "
                    + "https://app.example:8443, or *; 'null' is the opaque origin of sandboxed pages and files, "
                    + "which any page can take on",
            "--cors-allow-origin app.example|--cors-allow-origin items must each be an origin such as "
                    + "https://app.example:8443, or *; 'app.example' is not scheme://host[:port]",
            "--cors-allow-credentials|--cors-allow-credentials has no effect without --cors-allow-origin",
            "--referrer-policy no-referrer|--referrer-policy has no effect without --security-headers",
            "--hsts-include-subdomains|--hsts-include-subdomains has no effect without --hsts-max-age",
            "--frame-options allow|--frame-options must be one of deny, sameorigin, off, got 'allow'"})
    void aBadValueExitsOneNamingItsFlag(String flags, String message) {
        List<String> args = new java.util.ArrayList<>(List.of("check"));
        args.addAll(List.of(flags.split(" ")));
        args.add(APP);
        var o = run(args.toArray(String[]::new));
        assertEquals(List.of("pounce: " + message), o.errLines());
        assertEquals(1, o.status());
    }
}
