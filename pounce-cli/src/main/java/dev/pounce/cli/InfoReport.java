package dev.pounce.cli;

import dev.pounce.api.LoadLimits;
import dev.pounce.api.Compression;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.StaticMount;
import dev.pounce.runtime.PluginInfo;
import dev.pounce.runtime.ProtocolInfo;
import dev.pounce.runtime.ServerInfo;
import dev.pounce.runtime.SettingInfo;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code pounce info} output: the version, Java, transport, workers, the operator endpoints and logs, every plugin and
 * the plugins' settings, as text for people or as one JSON object for scripts ({@code --output-format json}). The
 * JSON keys are stable: {@code pounce}, {@code java}, {@code transport}, {@code workers}, {@code workerStrategy},
 * {@code healthPath} (the path, or null when off), {@code metricsPath} (the same), {@code accessLog} (true or false), {@code accessLogFormat}
 * ({@code text} or {@code json}), {@code serverTiming} (true or false), {@code forwardedAllowIps} (an array of
 * strings, the trusted proxies' addresses and blocks), the load limits {@code limitConcurrency},
 * {@code limitQueue} (numbers), {@code timeoutQueue} (seconds), {@code rateLimit} (true or false),
 * {@code rateLimitRequestsPerSecond}, {@code rateLimitBurst}, {@code rateLimitMaxTrackedIps} and
 * {@code rateLimitIpv6Prefix} (numbers, in effect only with {@code rateLimit}), {@code plugins} (objects
 * with {@code kind}, {@code name}, {@code module}, {@code version}), {@code skipped} and {@code absent} (arrays of
 * strings), and {@code settings} (objects with {@code section}, {@code title} and {@code settings}, an array of
 * objects with {@code key}, {@code flag} and {@code value}, the value in effect as text), and {@code protocols}
 * (objects with {@code name}, {@code module}, {@code enabled}, {@code available}, and {@code unavailable}, why not,
 * when it cannot run here).
 */
final class InfoReport {

    private InfoReport() {
    }

    /**
     * @param version the Pounce version
     * @param info    what the server would run with
     * @param config  the configuration, for the operator endpoints and logs
     * @return lines for people
     */
    static String text(String version, ServerInfo info, ServerConfig config) {
        var out = new StringBuilder();
        out.append("pounce ").append(version).append('\n');
        out.append("java: ").append(info.java()).append('\n');
        out.append("transport: ").append(info.transport()).append('\n');
        out.append("workers: ").append(info.workers()).append(" (").append(info.strategy()).append(")\n");
        out.append("health: ").append(config.healthPath().orElse("off")).append('\n');
        out.append("metrics: ").append(config.metricsPath().orElse("off")).append('\n');
        out.append("access log: ").append(config.accessLog() ? config.accessLogFormat() : "off").append('\n');
        out.append("server timing: ").append(config.serverTiming() ? "on" : "off").append('\n');
        out.append("trusted proxies: ").append(config.forwardedAllowIps().items().isEmpty() ? "none"
                : String.join(", ", config.forwardedAllowIps().items())).append('\n');
        out.append("concurrency limit: ").append(concurrency(config.loadLimits())).append('\n');
        out.append("rate limit: ").append(rateLimit(config.loadLimits())).append('\n');
        Compression z = config.compression();
        out.append("compression: ").append(!z.enabled() ? "off" : String.join(", ", z.encodings())
                + " (at least " + z.minSize() + " bytes; levels gzip " + z.gzipLevel() + ", zstd " + z.zstdLevel()
                + ", br " + z.brotliLevel() + "; types " + String.join(", ", z.types()) + ")").append('\n');
        out.append("static: ").append(config.staticFiles().isEmpty() ? "off" : "").append('\n');
        for (StaticMount m : config.staticFiles()) {
            out.append("  ").append(m.prefix()).append(" -> ").append(m.directory())
                    .append(m.cacheControl().map(v -> " (cache-control: " + v + ")").orElse("")).append('\n');
        }
        out.append("plugins:\n");
        int width = info.plugins().stream().mapToInt(p -> p.kind().length() + p.name().length() + 1).max().orElse(0);
        for (PluginInfo p : info.plugins()) {
            String label = p.kind() + " " + p.name();
            out.append("  ").append(label).append(" ".repeat(width - label.length() + 2))
                    .append(p.module()).append(' ').append(p.version()).append('\n');
        }
        if (!info.protocols().isEmpty()) {
            out.append("protocols:\n");
        }
        int names = info.protocols().stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (ProtocolInfo p : info.protocols()) {
            out.append("  ").append(p.name()).append(" ".repeat(names - p.name().length() + 2))
                    .append(p.enabled() ? "on " : "off").append("  ")
                    .append(p.unavailable().map(why -> "unavailable: " + why).orElse("available")).append('\n');
        }
        section(out, "skipped", info.skipped());
        section(out, "absent", WellKnownProtocols.absent(info.plugins()));
        if (!info.settings().isEmpty()) {
            out.append("settings:\n");
        }
        for (SettingInfo s : info.settings()) {
            out.append("  ").append(s.title()).append('\n');
            int flags = s.settings().stream().mapToInt(e -> e.flag().length()).max().orElse(0);
            s.settings().forEach(e -> out.append("    ").append(e.flag())
                    .append(" ".repeat(flags - e.flag().length() + 2)).append(e.value()).append('\n'));
        }
        return out.toString();
    }

    private static String concurrency(LoadLimits l) {
        if (l.limitConcurrency() == 0) {
            return "off";
        }
        return l.limitConcurrency() + " requests per worker, " + (l.limitQueue() == 0 ? "no queue"
                : "then a queue of " + l.limitQueue() + " for up to " + SecondsConverter.format(l.queueTimeout())
                + " s");
    }

    private static String rateLimit(LoadLimits l) {
        if (!l.rateLimitEnabled()) {
            return "off";
        }
        return number(l.rateLimitRequestsPerSecond()) + " requests per second per client and worker, burst "
                + l.rateLimitBurst() + ", " + l.rateLimitMaxTrackedIps() + " clients tracked, IPv6 by /"
                + l.rateLimitIpv6Prefix();
    }

    /** @return the number as a person would write it, and as JSON takes it: {@code 100}, {@code 0.5} */
    private static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static void section(StringBuilder out, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            out.append(title).append(":\n");
            lines.forEach(l -> out.append("  ").append(l).append('\n'));
        }
    }

    /**
     * @param version the Pounce version
     * @param info    what the server would run with
     * @param config  the configuration, for the operator endpoints and logs
     * @return one JSON object and a newline
     */
    static String json(String version, ServerInfo info, ServerConfig config) {
        String plugins = info.plugins().stream()
                .map(p -> "{\"kind\":" + str(p.kind()) + ",\"name\":" + str(p.name()) + ",\"module\":"
                        + str(p.module()) + ",\"version\":" + str(p.version()) + "}")
                .collect(Collectors.joining(",", "[", "]"));
        return "{\"pounce\":" + str(version) + ",\"java\":" + str(info.java()) + ",\"transport\":"
                + str(info.transport()) + ",\"workers\":" + info.workers() + ",\"workerStrategy\":"
                + str(info.strategy()) + ",\"healthPath\":" + config.healthPath().map(InfoReport::str).orElse("null")
                + ",\"metricsPath\":" + config.metricsPath().map(InfoReport::str).orElse("null")
                + ",\"accessLog\":" + config.accessLog() + ",\"accessLogFormat\":" + str(config.accessLogFormat())
                + ",\"serverTiming\":" + config.serverTiming() + ",\"forwardedAllowIps\":"
                + strings(config.forwardedAllowIps().items()) + loadLimits(config.loadLimits())
                + ",\"staticFiles\":" + staticFiles(config)
                + ",\"compression\":" + compression(config.compression())
                + ",\"plugins\":" + plugins
                + ",\"skipped\":" + strings(info.skipped())
                + ",\"absent\":" + strings(WellKnownProtocols.absent(info.plugins()))
                + ",\"settings\":" + settings(info.settings()) + ",\"protocols\":" + protocols(info.protocols())
                + "}\n";
    }

    private static String loadLimits(LoadLimits l) {
        return ",\"limitConcurrency\":" + l.limitConcurrency() + ",\"limitQueue\":" + l.limitQueue()
                + ",\"timeoutQueue\":" + SecondsConverter.format(l.queueTimeout()) + ",\"rateLimit\":"
                + l.rateLimitEnabled() + ",\"rateLimitRequestsPerSecond\":" + number(l.rateLimitRequestsPerSecond())
                + ",\"rateLimitBurst\":" + l.rateLimitBurst() + ",\"rateLimitMaxTrackedIps\":"
                + l.rateLimitMaxTrackedIps() + ",\"rateLimitIpv6Prefix\":" + l.rateLimitIpv6Prefix();
    }

    /** @return the compression settings as a JSON object */
    private static String compression(Compression z) {
        return "{\"enabled\":" + z.enabled() + ",\"minSize\":" + z.minSize() + ",\"encodings\":"
                + strings(z.encodings()) + ",\"types\":" + strings(z.types()) + ",\"gzipLevel\":" + z.gzipLevel()
                + ",\"zstdLevel\":" + z.zstdLevel() + ",\"brotliLevel\":" + z.brotliLevel() + "}";
    }

    /** @return the {@code --static} folders as a JSON array of {@code {prefix, directory, cacheControl}} */
    private static String staticFiles(ServerConfig config) {
        return config.staticFiles().stream()
                .map(m -> "{\"prefix\":" + str(m.prefix()) + ",\"directory\":" + str(m.directory().toString())
                        + ",\"cacheControl\":" + m.cacheControl().map(InfoReport::str).orElse("null") + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String protocols(List<ProtocolInfo> protocols) {
        return protocols.stream()
                .map(p -> "{\"name\":" + str(p.name()) + ",\"module\":" + str(p.module()) + ",\"enabled\":"
                        + p.enabled() + ",\"available\":" + p.unavailable().isEmpty()
                        + p.unavailable().map(why -> ",\"unavailable\":" + str(why)).orElse("") + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String settings(List<SettingInfo> sections) {
        return sections.stream()
                .map(s -> "{\"section\":" + str(s.section()) + ",\"title\":" + str(s.title()) + ",\"settings\":"
                        + s.settings().stream()
                        .map(e -> "{\"key\":" + str(e.key()) + ",\"flag\":" + str(e.flag()) + ",\"value\":"
                                + str(e.value()) + "}")
                        .collect(Collectors.joining(",", "[", "]")) + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String strings(List<String> items) {
        return items.stream().map(InfoReport::str).collect(Collectors.joining(",", "[", "]"));
    }

    /** @return {@code s} as a JSON string literal (RFC 8259 section 7) */
    static String str(String s) {
        var b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
