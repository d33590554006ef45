package dev.pounce.runtime;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.Setting;

import java.util.List;

/**
 * One plugin section's settings as {@code pounce info} shows them: each setting's key, flag, value in effect and
 * help.
 *
 * @param section  the section's name, such as {@code http2}
 * @param title    its heading, such as {@code HTTP/2 (dev.pounce.h2)}
 * @param settings its settings
 */
public record SettingInfo(String section, String title, List<Entry> settings) {

    /**
     * One setting.
     *
     * @param key   its key, such as {@code http2.max-concurrent-streams}
     * @param flag  its flag, such as {@code --http2-max-concurrent-streams}
     * @param value the value in effect, as text ({@code ***} for a secret one)
     * @param help  what it does, its rule, default and reference
     */
    public record Entry(String key, String flag, String value, String help) { }

    /** Copies the list. */
    public SettingInfo {
        settings = List.copyOf(settings);
    }

    static SettingInfo of(ConfigSection<?> section, ServerConfig config) {
        List<Entry> entries = section.settings().stream().map(s -> entry(s, config)).toList();
        return new SettingInfo(section.name(), section.title(), entries);
    }

    private static <T> Entry entry(Setting<T> s, ServerConfig config) {
        String given = config.plugins().given().get(s.key());
        String value = s.isSecret() ? (given == null ? "none" : "***")
                : given == null ? s.formatText(s.defaultValue()) : s.formatText(s.parse(given));
        return new Entry(s.key(), s.flag(), value, s.help());
    }
}
