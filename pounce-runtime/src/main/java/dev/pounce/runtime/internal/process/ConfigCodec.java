package dev.pounce.runtime.internal.process;

import dev.pounce.api.Compression;
import dev.pounce.api.Limits;
import dev.pounce.api.LoadLimits;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.StaticMount;
import dev.pounce.api.Timeouts;
import dev.pounce.api.TlsConfig;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The whole frozen {@link ServerConfig} as text, for a child JVM: one {@code key=value} line per field, in
 * {@link Properties} syntax, and each plugin setting given, by its key behind {@code plugin.}. Decoding runs the
 * builder's validation again; the child builds the plugin sections from its own plugins. The text holds the TLS key password, so it
 * travels only over the control channel (never the command line or the environment) and is never logged.
 */
final class ConfigCodec {

    /** The prefix of plugin settings, which keep their own keys behind it. */
    private static final String PLUGIN = "plugin.";
    /** The keys of {@code --static} folders, numbered from 0. */
    private static final String STATIC = "staticFiles.";
    /** The keys of {@code --static-cache-control} values, numbered as their folders. */
    private static final String STATIC_CACHE = "staticCacheControl.";

    private ConfigCodec() {
    }

    /**
     * @param c the configuration
     * @return it as text
     */
    static String encode(ServerConfig c) {
        Map<String, String> m = new TreeMap<>();
        m.put("host", c.host());
        m.put("port", Integer.toString(c.port()));
        c.uds().ifPresent(p -> m.put("uds", p.toString()));
        m.put("workers", Integer.toString(c.workers()));
        m.put("workerStrategy", c.workerStrategy());
        m.put("backlog", Integer.toString(c.backlog()));
        m.put("rootPath", c.rootPath());
        m.put("transport", c.transport());
        m.put("dispatch", c.dispatch());
        m.put("reusePort", Boolean.toString(c.reusePort()));
        m.put("logLevel", c.logLevel());
        m.put("accessLog", Boolean.toString(c.accessLog()));
        m.put("accessLogFormat", c.accessLogFormat());
        m.put("serverHeader", c.serverHeader());
        m.put("dateHeader", Boolean.toString(c.dateHeader()));
        m.put("serverTiming", Boolean.toString(c.serverTiming()));
        c.healthPath().ifPresent(p -> m.put("healthPath", p));
        c.metricsPath().ifPresent(p -> m.put("metricsPath", p));
        m.put("forwardedAllowIps", c.forwardedAllowIps().toString());
        Limits l = c.limits();
        m.put("limits.maxRequestLineSize", Integer.toString(l.maxRequestLineSize()));
        m.put("limits.maxHeaderSize", Integer.toString(l.maxHeaderSize()));
        m.put("limits.maxHeaders", Integer.toString(l.maxHeaders()));
        m.put("limits.maxRequestBodySize", Long.toString(l.maxRequestBodySize()));
        m.put("limits.maxConnections", Integer.toString(l.maxConnections()));
        m.put("limits.maxRequestsPerConnection", Integer.toString(l.maxRequestsPerConnection()));
        m.put("limits.limitMaxRequests", Long.toString(l.limitMaxRequests()));
        LoadLimits load = c.loadLimits();
        m.put("loadLimits.limitConcurrency", Integer.toString(load.limitConcurrency()));
        m.put("loadLimits.limitQueue", Integer.toString(load.limitQueue()));
        m.put("loadLimits.queueTimeout", load.queueTimeout().toString());
        m.put("loadLimits.rateLimitEnabled", Boolean.toString(load.rateLimitEnabled()));
        // Double.toString gives the shortest text that parses back to the same double.
        m.put("loadLimits.rateLimitRequestsPerSecond", Double.toString(load.rateLimitRequestsPerSecond()));
        m.put("loadLimits.rateLimitBurst", Integer.toString(load.rateLimitBurst()));
        m.put("loadLimits.rateLimitMaxTrackedIps", Integer.toString(load.rateLimitMaxTrackedIps()));
        m.put("loadLimits.rateLimitIpv6Prefix", Integer.toString(load.rateLimitIpv6Prefix()));
        Timeouts t = c.timeouts();
        m.put("timeouts.keepAlive", t.keepAlive().toString());
        m.put("timeouts.header", t.header().toString());
        m.put("timeouts.requestBody", t.requestBody().toString());
        m.put("timeouts.write", t.write().toString());
        m.put("timeouts.gracefulShutdown", t.gracefulShutdown().toString());
        m.put("timeouts.startup", t.startup().toString());
        TlsConfig s = c.tls();
        s.certFile().ifPresent(p -> m.put("tls.certFile", p.toString()));
        s.keyFile().ifPresent(p -> m.put("tls.keyFile", p.toString()));
        s.keyPassword().ifPresent(p -> m.put("tls.keyPassword", p));
        s.caCerts().ifPresent(p -> m.put("tls.caCerts", p.toString()));
        m.put("tls.clientAuth", s.clientAuth());
        // Plugin settings travel as the text they were given in, and the child's plugins parse them again.
        c.plugins().given().forEach((k, v) -> m.put(PLUGIN + k, v));
        // Static folders travel as the flags' text, numbered to keep their order; the child checks them again.
        List<StaticMount> mounts = c.staticFiles();
        for (int i = 0; i < mounts.size(); i++) {
            StaticMount mount = mounts.get(i);
            m.put(STATIC + i, mount.spec());
            int n = i;
            mount.cacheControl().ifPresent(v -> m.put(STATIC_CACHE + n, mount.prefix() + "=" + v));
        }
        Compression z = c.compression();
        m.put("compression.enabled", Boolean.toString(z.enabled()));
        m.put("compression.minSize", Integer.toString(z.minSize()));
        m.put("compression.encodings", String.join(",", z.encodings()));
        m.put("compression.types", String.join(",", z.types()));
        m.put("compression.gzipLevel", Integer.toString(z.gzipLevel()));
        m.put("compression.zstdLevel", Integer.toString(z.zstdLevel()));
        m.put("compression.brotliLevel", Integer.toString(z.brotliLevel()));
        StringBuilder out = new StringBuilder();
        m.forEach((k, v) -> out.append(k).append('=').append(escape(v)).append('\n'));
        return out.toString();
    }

    /**
     * @param text what {@link #encode} wrote
     * @return the configuration, validated
     * @throws IllegalArgumentException if a field is missing or malformed
     * @throws dev.pounce.api.ConfigException if a value is out of range
     */
    static ServerConfig decode(String text) {
        var p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable config: " + e.getMessage(), e);
        }
        var b = ServerConfig.builder()
                .host(get(p, "host"))
                .port(integer(p, "port"))
                .uds(optional(p, "uds").map(Path::of).orElse(null))
                .workers(integer(p, "workers"))
                .workerStrategy(get(p, "workerStrategy"))
                .backlog(integer(p, "backlog"))
                .rootPath(get(p, "rootPath"))
                .transport(get(p, "transport"))
                .dispatch(get(p, "dispatch"))
                .reusePort(bool(p, "reusePort"))
                .logLevel(get(p, "logLevel"))
                .accessLog(bool(p, "accessLog"))
                .accessLogFormat(get(p, "accessLogFormat"))
                .serverHeader(get(p, "serverHeader"))
                .dateHeader(bool(p, "dateHeader"))
                .serverTiming(bool(p, "serverTiming"))
                .healthPath(optional(p, "healthPath").orElse(null))
                .metricsPath(optional(p, "metricsPath").orElse(null))
                .forwardedAllowIps(List.of(get(p, "forwardedAllowIps")))
                .maxRequestLineSize(integer(p, "limits.maxRequestLineSize"))
                .maxHeaderSize(integer(p, "limits.maxHeaderSize"))
                .maxHeaders(integer(p, "limits.maxHeaders"))
                .maxRequestBodySize(Long.parseLong(get(p, "limits.maxRequestBodySize")))
                .maxConnections(integer(p, "limits.maxConnections"))
                .maxRequestsPerConnection(integer(p, "limits.maxRequestsPerConnection"))
                .limitMaxRequests(Long.parseLong(get(p, "limits.limitMaxRequests")))
                .limitConcurrency(integer(p, "loadLimits.limitConcurrency"))
                .limitQueue(integer(p, "loadLimits.limitQueue"))
                .queueTimeout(duration(p, "loadLimits.queueTimeout"))
                .rateLimitEnabled(bool(p, "loadLimits.rateLimitEnabled"))
                .rateLimitRequestsPerSecond(Double.parseDouble(get(p, "loadLimits.rateLimitRequestsPerSecond")))
                .rateLimitBurst(integer(p, "loadLimits.rateLimitBurst"))
                .rateLimitMaxTrackedIps(integer(p, "loadLimits.rateLimitMaxTrackedIps"))
                .rateLimitIpv6Prefix(integer(p, "loadLimits.rateLimitIpv6Prefix"))
                .keepAliveTimeout(duration(p, "timeouts.keepAlive"))
                .headerTimeout(duration(p, "timeouts.header"))
                .requestBodyTimeout(duration(p, "timeouts.requestBody"))
                .writeTimeout(duration(p, "timeouts.write"))
                .gracefulShutdownTimeout(duration(p, "timeouts.gracefulShutdown"))
                .startupTimeout(duration(p, "timeouts.startup"))
                .sslCertFile(optional(p, "tls.certFile").map(Path::of).orElse(null))
                .sslKeyFile(optional(p, "tls.keyFile").map(Path::of).orElse(null))
                .sslKeyPassword(optional(p, "tls.keyPassword").orElse(null))
                .sslCaCerts(optional(p, "tls.caCerts").map(Path::of).orElse(null))
                .sslClientAuth(get(p, "tls.clientAuth"));
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(PLUGIN)) {
                b.set(key.substring(PLUGIN.length()), p.getProperty(key));
            }
        }
        b.compression(bool(p, "compression.enabled"))
                .compressionMinSize(integer(p, "compression.minSize"))
                .compressionEncodings(List.of(get(p, "compression.encodings")))
                .compressionTypes(List.of(get(p, "compression.types")))
                .compressionGzipLevel(integer(p, "compression.gzipLevel"))
                .compressionZstdLevel(integer(p, "compression.zstdLevel"))
                .compressionBrotliLevel(integer(p, "compression.brotliLevel"));
        b.staticFiles(numbered(p, STATIC)).staticCacheControl(numbered(p, STATIC_CACHE));
        return b.build();
    }

    private static String escape(String v) {
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                default -> {
                    if (ch < 0x20 || ch > 0x7e || (i == 0 && (ch == ' ' || ch == '#' || ch == '!'))
                            || ch == '=' || ch == ':') {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }

    /** @return the values of {@code prefix0}, {@code prefix1}, ... in their order, as many as there are */
    private static List<String> numbered(Properties p, String prefix) {
        return p.stringPropertyNames().stream().filter(k -> k.startsWith(prefix)
                        && k.substring(prefix.length()).chars().allMatch(Character::isDigit))
                .sorted(java.util.Comparator.comparingInt(k -> Integer.parseInt(k.substring(prefix.length()))))
                .map(p::getProperty).toList();
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("config field " + key + " is missing");
        }
        return v;
    }

    private static Optional<String> optional(Properties p, String key) {
        return Optional.ofNullable(p.getProperty(key));
    }

    private static int integer(Properties p, String key) {
        return Integer.parseInt(get(p, key));
    }

    private static boolean bool(Properties p, String key) {
        return Boolean.parseBoolean(get(p, key));
    }

    private static Duration duration(Properties p, String key) {
        return Duration.parse(get(p, key));
    }
}
