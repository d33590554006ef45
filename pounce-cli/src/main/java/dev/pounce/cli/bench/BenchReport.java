package dev.pounce.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of {@code pounce bench} as a table for people, as JSON for scripts, and the ratios of two servers
 * run in one invocation.
 *
 * <p>JSON field names are stable: {@code server}, {@code workload}, {@code protocol}, {@code requests},
 * {@code errors}, {@code total_requests}, {@code duration_seconds}, {@code requests_per_second},
 * {@code latency_us} ({@code p50}, {@code p90}, {@code p99}, {@code p99_9}, {@code max}),
 * {@code server_cpu_us_per_request} and {@code peak_rss_bytes} (both {@code null} when not known), and for
 * {@code --compare} {@code ratios} of the other server's figures over Pounce's.
 *
 * @param title    what was run, one line
 * @param settings the settings
 * @param results  every result, Pounce's first
 */
public record BenchReport(String title, BenchSettings settings, List<Result> results) {

    /**
     * The other server's figures over Pounce's, for one workload and protocol.
     *
     * @param workload          the workload
     * @param protocol          the protocol
     * @param requestsPerSecond the other's requests per second over Pounce's
     * @param p99               the other's p99 latency over Pounce's
     */
    public record Ratio(Workload workload, Protocol protocol, double requestsPerSecond, double p99) {
    }

    /** @return one ratio per workload and protocol run against both servers */
    public List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (Result ours : results) {
            if (!ours.server().equals("pounce")) {
                continue;
            }
            results.stream().filter(r -> !r.server().equals("pounce") && r.workload() == ours.workload()
                    && r.protocol() == ours.protocol()).findFirst().ifPresent(theirs -> ratios.add(new Ratio(
                    ours.workload(), ours.protocol(), divide(theirs.requestsPerSecond(), ours.requestsPerSecond()),
                    divide(theirs.latencyMicros(99), ours.latencyMicros(99)))));
        }
        return ratios;
    }

    private static double divide(double a, double b) {
        return b == 0 ? 0 : a / b;
    }

    /** @return the results as an aligned table with a heading line, and the ratios if any */
    public String text() {
        var out = new StringBuilder(title).append('\n');
        String format = "%-8s %-10s %-9s %10s %10s %8s %8s %8s %8s %8s %7s %8s %8s%n";
        out.append(String.format(Locale.ROOT, format, "server", "workload", "protocol", "requests", "req/s", "p50",
                "p90", "p99", "p99.9", "max", "errors", "cpu/req", "peak rss"));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, format, r.server(), r.workload().id(), r.protocol().id(),
                    String.format(Locale.ROOT, "%,d", r.outcome().requests()),
                    String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond()),
                    duration(r.latencyMicros(50)), duration(r.latencyMicros(90)), duration(r.latencyMicros(99)),
                    duration(r.latencyMicros(99.9)), duration(r.maxMicros()), r.outcome().errors(),
                    r.cpuMicrosPerRequest().isPresent()
                            ? String.format(Locale.ROOT, "%.1fus", r.cpuMicrosPerRequest().getAsDouble()) : "-",
                    r.peakRss().isPresent() ? (r.peakRss().getAsLong() >> 20) + " MiB" : "-"));
        }
        for (Ratio ratio : ratios()) {
            out.append(String.format(Locale.ROOT, "against/pounce %s %s: %.2fx req/s, %.2fx p99%n",
                    ratio.workload().id(), ratio.protocol().id(), ratio.requestsPerSecond(), ratio.p99()));
        }
        return out.toString();
    }

    /**
     * @param micros a latency in microseconds
     * @return it with a unit: 87us, 1.25ms, 2.50s
     */
    static String duration(double micros) {
        if (micros < 1000) {
            return String.format(Locale.ROOT, "%.0fus", micros);
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.2fms", micros / 1000);
        }
        return String.format(Locale.ROOT, "%.2fs", micros / 1_000_000);
    }

    /** @return one JSON object, on one line, ending with a newline */
    public String json() {
        var out = new StringBuilder("{\"title\":").append(quote(title));
        out.append(",\"settings\":{\"connections\":").append(settings.connections())
                .append(",\"streams\":").append(settings.streams())
                .append(",\"rate\":").append(number(settings.rate()))
                .append(",\"warmup_seconds\":").append(number(settings.warmupNanos() / 1e9))
                .append(",\"duration_seconds\":").append(number(settings.durationNanos() / 1e9))
                .append(",\"client_threads\":").append(settings.clientThreads()).append('}');
        out.append(",\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            out.append(i == 0 ? "" : ",").append("{\"server\":").append(quote(r.server()))
                    .append(",\"workload\":").append(quote(r.workload().id()))
                    .append(",\"protocol\":").append(quote(r.protocol().id()))
                    .append(",\"requests\":").append(r.outcome().requests())
                    .append(",\"errors\":").append(r.outcome().errors())
                    .append(",\"total_requests\":").append(r.outcome().total())
                    .append(",\"duration_seconds\":").append(number(r.outcome().windowNanos() / 1e9))
                    .append(",\"requests_per_second\":").append(number(r.requestsPerSecond()))
                    .append(",\"latency_us\":{\"p50\":").append(number(r.latencyMicros(50)))
                    .append(",\"p90\":").append(number(r.latencyMicros(90)))
                    .append(",\"p99\":").append(number(r.latencyMicros(99)))
                    .append(",\"p99_9\":").append(number(r.latencyMicros(99.9)))
                    .append(",\"max\":").append(number(r.maxMicros())).append('}')
                    .append(",\"server_cpu_us_per_request\":").append(r.cpuMicrosPerRequest().isPresent()
                            ? number(r.cpuMicrosPerRequest().getAsDouble()) : "null")
                    .append(",\"peak_rss_bytes\":").append(r.peakRss().isPresent()
                            ? String.valueOf(r.peakRss().getAsLong()) : "null")
                    .append('}');
        }
        out.append("],\"ratios\":[");
        List<Ratio> ratios = ratios();
        for (int i = 0; i < ratios.size(); i++) {
            Ratio r = ratios.get(i);
            out.append(i == 0 ? "" : ",").append("{\"workload\":").append(quote(r.workload().id()))
                    .append(",\"protocol\":").append(quote(r.protocol().id()))
                    .append(",\"requests_per_second\":").append(number(r.requestsPerSecond()))
                    .append(",\"p99\":").append(number(r.p99())).append('}');
        }
        return out.append("]}\n").toString();
    }

    /**
     * @param value a finite number
     * @return it in JSON, with at most three decimals
     */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * @param text any text
     * @return it as a JSON string
     */
    static String quote(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
