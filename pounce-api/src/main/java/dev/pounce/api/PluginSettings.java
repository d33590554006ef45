package dev.pounce.api;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The plugins' part of a {@link ServerConfig}: the values given for plugin settings, by key, and each
 * {@link ConfigSection} built from them. Immutable. The runtime holds it without knowing any section's type; a plugin
 * reads its own with {@link ServerConfig#section}.
 *
 * <p>Values are given as text by key ({@code http2.max-concurrent-streams=200}). A section is built once its plugin
 * is known: by {@link ServerConfig.Builder#sections} for an embedder who names them, and by the runtime at startup
 * for every plugin it found ({@link ServerConfig#withSections}). Only then is a key that no section owns an error.
 */
public final class PluginSettings {

    /** No values given and no section built. */
    public static final PluginSettings NONE = new PluginSettings(Map.of(), Map.of());

    private final Map<String, String> given;
    private final Map<String, Built> built;

    private record Built(ConfigSection<?> section, Object value) { }

    private PluginSettings(Map<String, String> given, Map<String, Built> built) {
        this.given = Collections.unmodifiableMap(new TreeMap<>(given));
        this.built = Collections.unmodifiableMap(new LinkedHashMap<>(built));
    }

    /**
     * Parses the values given and builds every section named.
     *
     * @param given    values as text, by key
     * @param sections the sections to build
     * @param strict   whether a key that none of {@code sections} owns is an error (the runtime, which knows every
     *                 plugin) or is kept for later (a builder that does not)
     * @return the settings
     * @throws ConfigException naming the first key at fault
     */
    static PluginSettings resolve(Map<String, String> given, Collection<? extends ConfigSection<?>> sections,
                                  boolean strict) {
        Map<String, Built> built = new LinkedHashMap<>();
        for (ConfigSection<?> section : sections) {
            String name = section.name();
            if (built.containsKey(name)) {
                ConfigSection<?> first = built.get(name).section();
                if (first.getClass() == section.getClass()) {
                    continue;
                }
                throw new ConfigException(name, "two plugins claim the config section '" + name + "': "
                        + first.getClass().getName() + " and " + section.getClass().getName());
            }
            built.put(name, new Built(section, build(section, given)));
        }
        for (String key : given.keySet()) {
            int dot = key.indexOf('.');
            String name = dot < 0 ? key : key.substring(0, dot);
            Built b = built.get(name);
            if (b != null) {
                if (b.section().settings().stream().noneMatch(s -> s.key().equals(key))) {
                    throw new ConfigException(key, "unknown setting " + key + "; section " + name + " has "
                            + String.join(", ", b.section().settings().stream().map(Setting::key).toList()));
                }
            } else if (strict) {
                throw new ConfigException(key, "unknown setting " + key + ": no plugin on the module path owns "
                        + "the config section '" + name + "'");
            }
        }
        return new PluginSettings(given, built);
    }

    private static <C> C build(ConfigSection<C> section, Map<String, String> given) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        for (Setting<?> s : section.settings()) {
            if (!s.section().equals(section.name())) {
                throw new IllegalStateException("setting " + s.key() + " of section " + section.name()
                        + " does not start with '" + section.name() + ".'");
            }
            String text = given.get(s.key());
            values.put(s, text == null ? s.defaultValue() : s.parse(text));
        }
        SectionValues view = new SectionValues() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(Setting<T> setting) {
                if (!values.containsKey(setting)) {
                    throw new IllegalArgumentException(setting.key() + " is not a setting of section "
                            + section.name());
                }
                return (T) values.get(setting);
            }

            @Override
            public boolean given(Setting<?> setting) {
                return given.containsKey(setting.key());
            }
        };
        C value = section.build(view);
        if (!section.type().isInstance(value)) {
            throw new IllegalStateException("section " + section.name() + " built a " + value.getClass().getName()
                    + ", not the " + section.type().getName() + " it declares");
        }
        return value;
    }

    /**
     * @param sections every section the plugins found provide
     * @return these values with every section built, the ones built before kept
     * @throws ConfigException naming the first key at fault, or a key no section owns
     */
    PluginSettings withSections(Collection<? extends ConfigSection<?>> sections) {
        List<ConfigSection<?>> all = new java.util.ArrayList<>();
        built.values().forEach(b -> all.add(b.section()));
        all.addAll(sections);
        return resolve(given, all, true);
    }

    /** @return the values given, as text by key, sorted by key */
    public Map<String, String> given() {
        return given;
    }

    /** @return the sections built, in the order they were named */
    public List<ConfigSection<?>> sections() {
        return built.values().stream().<ConfigSection<?>>map(Built::section).toList();
    }

    /**
     * @param name a section name
     * @return whether that section is built
     */
    public boolean has(String name) {
        return built.containsKey(name);
    }

    /**
     * @param section the section
     * @param <C>     its record type
     * @return the section's frozen record
     * @throws IllegalStateException if the section was not built: the plugin is not known to this configuration
     */
    public <C> C section(ConfigSection<C> section) {
        Built b = built.get(Objects.requireNonNull(section, "section").name());
        if (b == null) {
            throw new IllegalStateException("config section '" + section.name() + "' was not built: the server "
                    + "builds the sections of the plugins it finds, and ServerConfig.Builder.sections names others");
        }
        return section.type().cast(b.value());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginSettings p && p.given.equals(given) && p.built.keySet().equals(built.keySet());
    }

    @Override
    public int hashCode() {
        return given.hashCode();
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        given.forEach((k, v) -> shown.put(k, isSecret(k) ? "***" : v));
        return "PluginSettings" + shown;
    }

    private boolean isSecret(String key) {
        return built.values().stream().flatMap(b -> b.section().settings().stream())
                .anyMatch(s -> s.key().equals(key) && s.isSecret());
    }
}
