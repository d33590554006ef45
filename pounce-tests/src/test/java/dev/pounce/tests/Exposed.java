package dev.pounce.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One scrape of the metrics endpoint, read as Prometheus reads the text format: each sample line's series
 * ({@code name{labels}}) and value, and each family's type from its {@code # TYPE} line. A series absent from the
 * scrape reads as 0, as a counter that has not been touched yet would.
 */
record Exposed(String text, Map<String, Double> values, Map<String, String> types) {

    /** Where Debian's {@code prometheus} package puts {@code promtool}. */
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    static Exposed parse(String text) {
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return new Exposed(text, values, types);
    }

    /** @return the series' value, 0 when the scrape does not have it */
    double get(String series) {
        return values.getOrDefault(series, 0.0);
    }

    /** @return {@code http_requests_total} of one method, status class and protocol */
    double requests(String method, String statusClass, String protocol) {
        return get("http_requests_total{method=\"" + method + "\",status_class=\"" + statusClass + "\",protocol=\""
                + protocol + "\"}");
    }

    /**
     * @param series a sample's series
     * @return whether its value may only grow: a counter's, or a histogram's or summary's bucket, sum or count
     */
    boolean cumulative(String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        String type = types.get(name);
        if (type == null) {
            for (String suffix : new String[]{"_bucket", "_sum", "_count"}) {
                if (name.endsWith(suffix)) {
                    type = types.get(name.substring(0, name.length() - suffix.length()));
                }
            }
        }
        return "counter".equals(type) || "histogram".equals(type) || "summary".equals(type);
    }

    /**
     * Has Prometheus's own linter read the scrape: {@code promtool check metrics} must accept it with no warning.
     * Skips the calling test, saying why, where promtool is not installed ({@code apt-get install prometheus}).
     */
    void checkWithPromtool() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed (Debian's prometheus package ships it; "
                + ".ci/run installs it): the exposition is not checked by Prometheus's parser here");
        var p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool check metrics refused the exposition:\n" + out + "\n" + text);
        assertEquals("", out.strip(), "promtool check metrics warned:\n" + out);
    }
}
