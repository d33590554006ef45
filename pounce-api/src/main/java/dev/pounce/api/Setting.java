package dev.pounce.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One typed setting of a plugin's {@link ConfigSection}: its key ({@code http2.max-concurrent-streams}), the flag
 * that sets it on the command line ({@code --http2-max-concurrent-streams}), its default, the rule a value must
 * follow, its unit and the RFC section it comes from. Values arrive as text (a flag, later a config file key) and are
 * parsed and checked here, so every plugin's settings are validated, reported and documented the same way as the
 * server's own: an error names the key ({@link ConfigException#field()}) and what is allowed, and {@code pounce}
 * prints it under the flag.
 *
 * <pre>{@code
 * static final Setting<Integer> MAX_STREAMS = Setting.integer("http2.max-concurrent-streams", 128, 1, Integer.MAX_VALUE)
 *         .describe("Streams a client may open at once; beyond them REFUSED_STREAM")
 *         .unit("streams").reference("RFC 9113 section 6.5.2");
 * }</pre>
 *
 * <p>Immutable; the describing methods return copies.
 *
 * @param <T> the value type: {@link Integer}, {@link Long}, {@link Boolean}, {@link Duration}, {@link String} or a
 *            {@code List<String>}
 */
public final class Setting<T> {

    /** What kind of value a setting takes, which decides how it is parsed and how its flag looks. */
    public enum Kind {
        /** A whole number within a range. */
        NUMBER,
        /** On or off: a flag {@code --x} and its negation {@code --no-x}, no value. */
        TOGGLE,
        /** A duration in seconds, decimals allowed ({@code 0.5}). */
        SECONDS,
        /** Free text, possibly checked. */
        TEXT,
        /** One of a fixed set of words. */
        CHOICE,
        /** A comma-separated list; a repeated flag adds to it. */
        LIST
    }

    private final String key;
    private final Kind kind;
    private final T defaultValue;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final String rule;
    private final String flag;
    private final String description;
    private final String unit;
    private final String reference;
    private final boolean secret;

    private Setting(String key, Kind kind, T defaultValue, Function<String, T> parser, Function<T, String> formatter,
                    String rule, String flag, String description, String unit, String reference, boolean secret) {
        this.key = checkKey(key);
        this.kind = kind;
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.parser = parser;
        this.formatter = formatter;
        this.rule = rule;
        this.flag = flag;
        this.description = description;
        this.unit = unit;
        this.reference = reference;
        this.secret = secret;
    }

    // ---- the kinds ----

    /**
     * A whole number from {@code min} to {@code max}.
     *
     * @param key          {@code section.name}, lower-case words joined by {@code -}
     * @param defaultValue the default, within the range
     * @param min          the smallest value allowed
     * @param max          the largest value allowed
     * @return the setting
     */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max) {
        inRange(key, defaultValue, min, max);
        return new Setting<>(key, Kind.NUMBER, defaultValue, text -> (int) inRange(key, parseWhole(key, text), min, max),
                String::valueOf, "between " + min + " and " + max, flagOf(key), "", "", "", false);
    }

    /**
     * A whole number from {@code min} to {@code max}, for sizes and counts beyond {@code int}.
     *
     * @param key          {@code section.name}
     * @param defaultValue the default, within the range
     * @param min          the smallest value allowed
     * @param max          the largest value allowed
     * @return the setting
     */
    public static Setting<Long> longInteger(String key, long defaultValue, long min, long max) {
        inRange(key, defaultValue, min, max);
        return new Setting<>(key, Kind.NUMBER, defaultValue,
                text -> inRange(key, parseWhole(key, text), min, max), String::valueOf,
                "between " + min + " and " + max, flagOf(key), "", "", "", false);
    }

    /**
     * On or off. Its flag is {@code --NAME} with the negation {@code --no-NAME}; a key ending in {@code .enabled}
     * gets the section's name as its flag ({@code http2.enabled}: {@code --http2} and {@code --no-http2}).
     *
     * @param key          {@code section.name}
     * @param defaultValue the default
     * @return the setting
     */
    public static Setting<Boolean> toggle(String key, boolean defaultValue) {
        String flag = key.endsWith(".enabled") ? "--" + key.substring(0, key.length() - ".enabled".length())
                .replace('.', '-') : flagOf(key);
        return new Setting<>(key, Kind.TOGGLE, defaultValue, text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new ConfigException(key, key + " must be true or false, got '" + text + "'");
        }, String::valueOf, "true or false", flag, "", "", "", false);
    }

    /**
     * A duration, written in seconds with decimals allowed.
     *
     * @param key          {@code section.name}
     * @param defaultValue the default, within the range
     * @param min          the shortest allowed
     * @param max          the longest allowed
     * @return the setting
     */
    public static Setting<Duration> seconds(String key, Duration defaultValue, Duration min, Duration max) {
        String rule = "between " + format(min) + " and " + format(max) + " seconds";
        Function<Duration, Duration> check = d -> {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new ConfigException(key, key + " must be " + rule + ", got " + format(d));
            }
            return d;
        };
        check.apply(defaultValue);
        return new Setting<>(key, Kind.SECONDS, defaultValue, text -> {
            double s;
            try {
                s = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, key + " must be a number of seconds such as 0.5, got '" + text + "'");
            }
            if (!Double.isFinite(s) || s < 0 || s > 1e9) {
                throw new ConfigException(key, key + " must be " + rule + ", got '" + text + "'");
            }
            return check.apply(Duration.ofNanos(Math.round(s * 1e9)));
        }, Setting::format, rule, flagOf(key), "", "seconds", "", false);
    }

    /**
     * Free text, checked by {@code check}.
     *
     * @param key          {@code section.name}
     * @param defaultValue the default
     * @param rule         what a value must be, for the help and errors, such as {@code printable ASCII}
     * @param check        returns an empty optional for a good value, or why it is wrong
     * @return the setting
     */
    public static Setting<String> text(String key, String defaultValue, String rule,
                                       Function<String, Optional<String>> check) {
        Function<String, String> parse = text -> {
            Optional<String> wrong = check.apply(text);
            if (wrong.isPresent()) {
                throw new ConfigException(key, key + " must be " + rule + ": " + wrong.get());
            }
            return text;
        };
        parse.apply(defaultValue);
        return new Setting<>(key, Kind.TEXT, defaultValue, parse, UnaryOperator.identity(), rule, flagOf(key), "", "",
                "", false);
    }

    /**
     * One of a fixed set of lower-case words.
     *
     * @param key          {@code section.name}
     * @param defaultValue the default, one of the choices
     * @param choices      the words allowed
     * @return the setting
     */
    public static Setting<String> choice(String key, String defaultValue, String... choices) {
        List<String> allowed = List.of(choices);
        String rule = "one of " + String.join(", ", allowed);
        Function<String, String> parse = text -> {
            String v = text.strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new ConfigException(key, key + " must be " + rule + ", got '" + text + "'");
            }
            return v;
        };
        return new Setting<>(key, Kind.CHOICE, parse.apply(defaultValue), parse, UnaryOperator.identity(), rule,
                flagOf(key), "", "", "", false);
    }

    /**
     * A list of items, written comma-separated ({@code 10.0.0.0/8,192.0.2.7}); a repeated flag adds items.
     *
     * @param key          {@code section.name}
     * @param defaultValue the default items
     * @param rule         what each item must be, for the help and errors, such as {@code an address or CIDR block}
     * @param check        returns an empty optional for a good item, or why it is wrong
     * @return the setting
     */
    public static Setting<List<String>> list(String key, List<String> defaultValue, String rule,
                                             Function<String, Optional<String>> check) {
        Function<String, List<String>> parse = text -> {
            List<String> items = new ArrayList<>();
            for (String part : text.split(",")) {
                String item = part.strip();
                if (item.isEmpty()) {
                    continue;
                }
                Optional<String> wrong = check.apply(item);
                if (wrong.isPresent()) {
                    throw new ConfigException(key, key + " items must each be " + rule + "; '" + item + "' "
                            + wrong.get());
                }
                items.add(item);
            }
            return List.copyOf(items);
        };
        return new Setting<>(key, Kind.LIST, parse.apply(String.join(",", defaultValue)), parse,
                v -> String.join(",", v), "a comma-separated list, each " + rule, flagOf(key), "", "", "", false);
    }

    // ---- describing ----

    /**
     * @param text what the setting does, one sentence for the help, without its default or range (those are added)
     * @return a copy with that description
     */
    public Setting<T> describe(String text) {
        return new Setting<>(key, kind, defaultValue, parser, formatter, rule, flag, text, unit, reference, secret);
    }

    /**
     * @param text the unit of a number, plural: {@code bytes}, {@code streams}
     * @return a copy with that unit
     */
    public Setting<T> unit(String text) {
        return new Setting<>(key, kind, defaultValue, parser, formatter, rule, flag, description, text, reference,
                secret);
    }

    /**
     * @param text where the setting comes from, such as {@code RFC 9113 section 6.5.2}
     * @return a copy with that reference
     */
    public Setting<T> reference(String text) {
        return new Setting<>(key, kind, defaultValue, parser, formatter, rule, flag, description, unit, text, secret);
    }

    /**
     * @param name the flag as typed, starting with {@code --}, instead of the one made from the key
     * @return a copy with that flag
     */
    public Setting<T> flag(String name) {
        if (!name.startsWith("--") || name.length() < 3) {
            throw new IllegalArgumentException("a flag starts with -- and has a name, got '" + name + "'");
        }
        return new Setting<>(key, kind, defaultValue, parser, formatter, rule, name, description, unit, reference,
                secret);
    }

    /** @return a copy whose values are never printed (a password), only whether one is set */
    public Setting<T> secret() {
        return new Setting<>(key, kind, defaultValue, parser, formatter, rule, flag, description, unit, reference,
                true);
    }

    // ---- reading ----

    /** @return the key, {@code section.name} */
    public String key() {
        return key;
    }

    /** @return the section name, the part of the key before the first dot */
    public String section() {
        return key.substring(0, key.indexOf('.'));
    }

    /** @return what kind of value it takes */
    public Kind kind() {
        return kind;
    }

    /** @return the default value */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return the flag that sets it, such as {@code --http2-max-concurrent-streams} */
    public String flag() {
        return flag;
    }

    /** @return for a toggle, the flag that turns it off ({@code --no-http2}); empty for other kinds */
    public Optional<String> negation() {
        return kind == Kind.TOGGLE ? Optional.of("--no-" + flag.substring(2)) : Optional.empty();
    }

    /** @return what a value must be, such as {@code between 1 and 100} */
    public String rule() {
        return rule;
    }

    /** @return what it does */
    public String description() {
        return description;
    }

    /** @return its unit, or empty */
    public String unit() {
        return unit;
    }

    /** @return where it comes from, or empty */
    public String reference() {
        return reference;
    }

    /** @return whether its value must not be printed */
    public boolean isSecret() {
        return secret;
    }

    /** @return the placeholder for its value in the help: {@code N}, {@code SECONDS}, {@code TEXT}, ... */
    public String paramLabel() {
        return switch (kind) {
            case NUMBER -> unit.equals("bytes") ? "BYTES" : "N";
            case TOGGLE -> "";
            case SECONDS -> "SECONDS";
            case TEXT -> "TEXT";
            case CHOICE -> "WORD";
            case LIST -> "LIST";
        };
    }

    /** @return the whole help line: description, rule, unit, default and reference */
    public String help() {
        var out = new StringBuilder(description);
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '.') {
            out.append('.');
        }
        List<String> facts = new ArrayList<>();
        if (kind != Kind.TOGGLE) {
            facts.add(rule + (unit.isEmpty() || kind == Kind.SECONDS ? "" : " " + unit));
        }
        facts.add("default: " + (secret ? "none" : formatText(defaultValue)));
        if (!reference.isEmpty()) {
            facts.add(reference);
        }
        return (out.isEmpty() ? "" : out + " ") + "(" + String.join("; ", facts) + ")";
    }

    /**
     * Parses and checks a value given as text.
     *
     * @param text the value as written
     * @return the value
     * @throws ConfigException naming {@link #key()} and the rule
     */
    public T parse(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return parser.apply(text);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(key, key + " must be " + rule + ", got '" + text + "'");
        }
    }

    /**
     * @param value a value of this setting
     * @return it as text that {@link #parse} reads back
     */
    public String formatText(T value) {
        String text = formatter.apply(value);
        return kind == Kind.LIST && text.isEmpty() ? "none" : text;
    }

    /**
     * @param value a value of this setting
     * @return it as text for storing, which {@link #parse} reads back ({@code ""} for an empty list)
     */
    public String encode(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return "Setting[" + key + " " + flag + "]";
    }

    // ---- helpers ----

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        int dot = key.indexOf('.');
        if (dot <= 0 || dot == key.length() - 1 || !key.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
            throw new IllegalArgumentException("a setting key is section.name in lower-case words joined by - or ., "
                    + "got '" + key + "'");
        }
        return key;
    }

    private static String flagOf(String key) {
        return "--" + key.replace('.', '-');
    }

    private static long parseWhole(String key, String text) {
        try {
            return Long.parseLong(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, key + " must be a whole number, got '" + text + "'");
        }
    }

    private static long inRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(key, key + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static String format(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
