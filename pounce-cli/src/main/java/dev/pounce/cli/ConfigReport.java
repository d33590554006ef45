package dev.pounce.cli;

import dev.pounce.api.ServerConfig;
import dev.pounce.api.Setting;
import dev.pounce.api.TrustedProxies;
import dev.pounce.cli.ConfigKeys.Key;
import dev.pounce.cli.ConfigKeys.Shape;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code pounce config show}: every key with the value in effect and where it came from (the default, the file and
 * line, the variable, the flag), secrets as {@code ***}; as aligned text for people, or as one JSON object for
 * scripts. And {@code pounce config schema}: the keys of the config file as a JSON Schema (draft 2020-12), for
 * editors that check TOML against one.
 *
 * <p>The JSON of {@code show} is {@code {"file": "pounce.toml" or null, "settings": [{"key", "value", "source",
 * "from", "flag", "env"}]}}: {@code value} typed (a number, a boolean, an array of strings, a string, or null when
 * unset; seconds as a number), {@code source} one of {@code default}, {@code file}, {@code env}, {@code flag}, and
 * {@code from} the file and line, the variable or the flag (null for a default).
 */
final class ConfigReport {

    /** How a secret that is set is shown. */
    static final String REDACTED = "***";

    /** Values wider than this do not widen the column; they push their source along instead. */
    private static final int VALUE_COLUMN = 32;

    private ConfigReport() {
    }

    /**
     * One key's line.
     *
     * @param key    the key
     * @param value  its value in effect, null when unset, {@link #REDACTED} for a secret that is set
     * @param origin where it came from
     */
    private record Row(Key key, Object value, Origin origin) { }

    /**
     * @param file    the config file
     * @param keys    the keys
     * @param layers  where each value came from
     * @param config  the configuration built
     * @param command the command, for the values that are not in the configuration ({@code --reload})
     * @param options its options, for APP
     * @return lines for people
     */
    static String text(ConfigFile file, ConfigKeys keys, ConfigLayers layers, ServerConfig config,
                       CommandSpec command, ServeOptions options) {
        List<Row> rows = rows(keys, layers, config, command, options);
        int keyWidth = rows.stream().mapToInt(r -> r.key().name().length()).max().orElse(0);
        int valueWidth = Math.min(VALUE_COLUMN, rows.stream().mapToInt(r -> text(r.value()).length()).max().orElse(0));
        var out = new StringBuilder("config file: ").append(file.shown().orElse("none")).append('\n');
        for (Row r : rows) {
            String value = text(r.value());
            out.append(r.key().name()).append(" ".repeat(keyWidth - r.key().name().length() + 2))
                    .append(value).append(" ".repeat(Math.max(valueWidth - value.length(), 0) + 2))
                    .append(r.origin().describe()).append('\n');
        }
        return out.toString();
    }

    /**
     * @param file    the config file
     * @param keys    the keys
     * @param layers  where each value came from
     * @param config  the configuration built
     * @param command the command, for the values that are not in the configuration
     * @param options its options, for APP
     * @return one JSON object and a newline
     */
    static String json(ConfigFile file, ConfigKeys keys, ConfigLayers layers, ServerConfig config,
                       CommandSpec command, ServeOptions options) {
        String settings = rows(keys, layers, config, command, options).stream()
                .map(r -> "{\"key\":" + InfoReport.str(r.key().name()) + ",\"value\":" + json(r.value())
                        + ",\"source\":" + InfoReport.str(r.origin().source()) + ",\"from\":"
                        + (r.origin().where().isEmpty() ? "null" : InfoReport.str(r.origin().where()))
                        + ",\"flag\":" + InfoReport.str(r.key().flag()) + ",\"env\":"
                        + InfoReport.str(r.key().variable()) + "}")
                .collect(Collectors.joining(",", "[", "]"));
        return "{\"file\":" + file.shown().map(InfoReport::str).orElse("null") + ",\"settings\":" + settings + "}\n";
    }

    private static List<Row> rows(ConfigKeys keys, ConfigLayers layers, ServerConfig config, CommandSpec command,
                                  ServeOptions options) {
        List<Row> rows = new ArrayList<>();
        for (Key k : keys.all()) {
            Object value = value(k, config, command, options);
            if (k.secret()) {
                value = isSet(value) ? REDACTED : null;
            }
            rows.add(new Row(k, value, layers.origin(k.name())));
        }
        return rows;
    }

    private static Object value(Key k, ServerConfig config, CommandSpec command, ServeOptions options) {
        if (k.setting().isPresent()) {
            return pluginValue(k.setting().get(), config);
        }
        if (k.shape() == Shape.ARGUMENT) {
            return options.appSpec().orElse(null);
        }
        Optional<ConfigFlag> field = ConfigFlag.ofFlag(k.flag());
        if (field.isPresent()) {
            Object v = field.get().read(config);
            return v instanceof Optional<?> o ? o.orElse(null) : v;
        }
        OptionSpec option = command.findOption(k.flag());
        Object v = option == null ? null : option.getValue();
        if (k.shape() == Shape.NEGATED_SWITCH || k.shape() == Shape.SWITCH) {
            boolean on = Boolean.TRUE.equals(v);
            return k.shape() == Shape.NEGATED_SWITCH ? !on : on;
        }
        return v;
    }

    private static <T> Object pluginValue(Setting<T> s, ServerConfig config) {
        String given = config.plugins().given().get(s.key());
        return given == null ? s.defaultValue() : s.parse(given);
    }

    private static boolean isSet(Object v) {
        return v != null && !(v instanceof String s && s.isEmpty()) && !(v instanceof List<?> l && l.isEmpty());
    }

    /** A value as the flag would take it: {@code 5}, {@code 0.5}, {@code 10.0.0.0/8,::1}, {@code none}. */
    static String text(Object v) {
        return switch (v) {
            case null -> "none";
            case Duration d -> SecondsConverter.format(d);
            case TrustedProxies t -> text(t.items());
            case List<?> l when l.isEmpty() -> "none";
            case List<?> l -> l.stream().map(String::valueOf).collect(Collectors.joining(","));
            case String s when s.isEmpty() -> "\"\"";
            default -> String.valueOf(v);
        };
    }

    /** A value as JSON: numbers and booleans bare, seconds as a number, lists as arrays of strings. */
    static String json(Object v) {
        return switch (v) {
            case null -> "null";
            case Boolean b -> b.toString();
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case Duration d -> SecondsConverter.format(d);
            case TrustedProxies t -> json(t.items());
            case List<?> l -> l.stream().map(item -> InfoReport.str(String.valueOf(item)))
                    .collect(Collectors.joining(",", "[", "]"));
            default -> InfoReport.str(String.valueOf(v));
        };
    }

    /**
     * @param keys    the keys
     * @param command the command whose options the keys stand for, for their help
     * @return the JSON Schema of the config file, and a newline
     */
    static String schema(ConfigKeys keys, CommandSpec command) {
        Map<String, String> top = new LinkedHashMap<>();
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        ServerConfig defaults = ServerConfig.defaults();
        for (Key k : keys.all()) {
            if (k.setting().isPresent()) {
                Setting<?> s = k.setting().get();
                String name = k.name().substring(s.section().length() + 1);
                sections.computeIfAbsent(s.section(), x -> new LinkedHashMap<>())
                        .put(name, property(type(k, null), s.help(), k.secret() ? null : json(s.defaultValue())));
                continue;
            }
            OptionSpec option = command.findOption(k.flag());
            String help = option == null ? "The app: a class implementing dev.pounce.api.App, or Class::member."
                    // The default has a member of its own; picocli has already put it into the text.
                    : String.join(" ", option.description()).replaceAll("\\s*\\(default: [^()]*\\)(?=\\.?$)", "");
            String fallback = switch (k.shape()) {
                case SWITCH -> "false";
                case NEGATED_SWITCH -> "true";
                case LIST -> "[]";
                case VALUE, TOGGLE, ARGUMENT -> null;
            };
            String byDefault = ConfigFlag.ofFlag(k.flag())
                    .map(f -> f.read(defaults))
                    .filter(v -> !(v instanceof Optional<?> o && o.isEmpty()))
                    .map(v -> json(v instanceof Optional<?> o ? o.get() : v))
                    .orElse(fallback);
            top.put(k.name(), property(type(k, option), help, k.secret() ? null : byDefault));
        }
        sections.forEach((section, properties) -> top.put(section, object(properties, null)));
        return "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                + "\"title\":\"pounce.toml\",\"description\":" + InfoReport.str("Pounce's config file: every key of "
                + "a flag, plugin settings in a table per plugin. The same keys may be given as POUNCE_ variables.")
                + "," + object(top, null).substring(1) + "\n";
    }

    private static String object(Map<String, String> properties, String description) {
        return "{\"type\":\"object\"" + (description == null ? "" : ",\"description\":" + InfoReport.str(description))
                + ",\"additionalProperties\":false,\"properties\":" + properties.entrySet().stream()
                .map(e -> InfoReport.str(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}")) + "}";
    }

    private static String property(String type, String description, String byDefault) {
        return "{" + type + ",\"description\":" + InfoReport.str(description)
                + (byDefault == null ? "" : ",\"default\":" + byDefault) + "}";
    }

    private static String type(Key k, OptionSpec option) {
        return switch (k.shape()) {
            case SWITCH, NEGATED_SWITCH, TOGGLE -> "\"type\":\"boolean\"";
            // A list may also be written as one string of comma-separated items, as the flag takes it.
            case LIST -> "\"type\":[\"array\",\"string\"],\"items\":{\"type\":\"string\"}";
            case ARGUMENT -> "\"type\":\"string\"";
            case VALUE -> {
                if (k.setting().isPresent()) {
                    yield switch (k.setting().get().kind()) {
                        case NUMBER -> "\"type\":\"integer\"";
                        case SECONDS -> "\"type\":\"number\"";
                        default -> "\"type\":\"string\"";
                    };
                }
                Class<?> t = option == null ? String.class : option.type();
                if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
                    yield "\"type\":\"integer\"";
                }
                yield t == Duration.class ? "\"type\":\"number\"" : "\"type\":\"string\"";
            }
        };
    }
}
