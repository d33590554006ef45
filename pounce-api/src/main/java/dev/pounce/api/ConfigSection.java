package dev.pounce.api;

import java.util.List;

/**
 * A plugin's own block of configuration: its typed, validated, frozen settings record and the {@link Setting}s that
 * set it. The runtime holds each section without knowing its type, builds it once at startup from the values given
 * (flags, later a config file) and hands it to the plugin through {@link ServerConfig#section}. So a third party's
 * plugin gets settings, flags, validation and help exactly as Pounce's own plugins do.
 *
 * <p>Found by {@link java.util.ServiceLoader} ({@code provides dev.pounce.api.ConfigSection with ...}); the runtime
 * and the {@code pounce} command load each provider once. The section's settings appear in {@code pounce --help}
 * under {@link #title()}, and in {@code pounce info}. A plugin usually keeps one instance as a constant, to read its
 * settings with: {@code config.section(Http2Config.SECTION)}; any instance of the same class reads the same values,
 * since sections are found by {@link #name()}.
 *
 * <pre>{@code
 * public final class EchoSection implements ConfigSection<EchoConfig> {
 *     static final Setting<String> PATH = Setting.text("echo.path", "/echo", "a path starting with /",
 *             p -> p.startsWith("/") ? Optional.empty() : Optional.of("does not start with /"));
 *     public String name() { return "echo"; }
 *     public String title() { return "Echo tunnel (com.example.echo)"; }
 *     public Class<EchoConfig> type() { return EchoConfig.class; }
 *     public List<Setting<?>> settings() { return List.of(PATH); }
 *     public EchoConfig build(SectionValues values) { return new EchoConfig(values.get(PATH)); }
 * }
 * }</pre>
 *
 * @param <C> the frozen settings record the plugin reads
 */
public interface ConfigSection<C> {

    /**
     * @return the section's name, the first part of every key it owns ({@code http2} owns
     *         {@code http2.max-concurrent-streams}); lower-case, unique among plugins
     */
    String name();

    /** @return the heading of its settings in {@code pounce --help}, such as {@code HTTP/2 (dev.pounce.h2)} */
    String title();

    /** @return the class of the record {@link #build} makes, to check the type when the plugin reads it */
    Class<C> type();

    /** @return every setting, in the order the help lists them; each key starts with {@link #name()} and a dot */
    List<Setting<?>> settings();

    /**
     * Builds the frozen record from the values given, each already parsed and checked against its own rule. Checks
     * rules between settings here, throwing a {@link ConfigException} that names the key at fault. Called once per
     * server (and once in each process worker), on the thread that starts it.
     *
     * @param values the value of each setting: the one given, or its default
     * @return the record
     */
    C build(SectionValues values);
}
