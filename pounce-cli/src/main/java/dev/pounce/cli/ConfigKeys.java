package dev.pounce.cli;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The keys of the config file and the {@code POUNCE_*} variables, made from the flags themselves: every option of
 * {@link ServeOptions} and every plugin {@link Setting}, so a flag added to either gets its key and variable with no
 * more code. A flag's key is its name without {@code --} ({@code --timeout-keep-alive}: {@code timeout-keep-alive});
 * a switch that turns something off names the thing ({@code --no-reuse-port}: {@code reuse-port = false}); a plugin
 * setting's key is its own ({@code http3.max-concurrent-streams}, written {@code [http3]} and
 * {@code max-concurrent-streams} in the file), and its flag's name is accepted too. The variable is {@code POUNCE_}
 * and the key in capitals with {@code _} for {@code -} and {@code .} ({@code POUNCE_HTTP3_MAX_CONCURRENT_STREAMS}).
 *
 * <p>A file may spell a key with {@code _} for {@code -} ({@code timeout_keep_alive}), and by the Python Pounce's
 * name where the setting means the same ({@code keep_alive_timeout}). A key whose name holds {@code password},
 * {@code secret}, {@code token} or {@code credential}, and a plugin setting marked {@link Setting#secret()}, is a
 * secret: {@code pounce config show} prints {@code ***} for it.
 */
final class ConfigKeys {

    /** What a key's value does on the command line. */
    enum Shape {
        /** A flag with one value: {@code --port 8000}. */
        VALUE,
        /** A flag that may be repeated: {@code --forwarded-allow-ips}, a plugin list. */
        LIST,
        /** A switch that turns something on: {@code --server-timing}. */
        SWITCH,
        /** A switch that turns something off, {@code --no-reuse-port}; its key ({@code reuse-port}) is the thing. */
        NEGATED_SWITCH,
        /** A switch with both forms: {@code --access-log} and {@code --no-access-log}. */
        TOGGLE,
        /** The APP argument. */
        ARGUMENT
    }

    /**
     * One key.
     *
     * @param name      the key, such as {@code workers} or {@code http3.max-concurrent-streams}
     * @param shape     what its value does on the command line
     * @param flag      the flag it stands for ({@code --workers}, {@code --no-reuse-port}), or {@code APP}
     * @param variable  its environment variable
     * @param secret    whether its value is never printed
     * @param pathItems whether it is a list of paths, which a variable separates with {@code :} as PATH does
     * @param setting   the plugin setting, for a plugin's key
     */
    record Key(String name, Shape shape, String flag, String variable, boolean secret, boolean pathItems,
               Optional<Setting<?>> setting) {

        /** @return the flag that turns a toggle off, such as {@code --no-access-log} */
        String negation() {
            return "--no-" + flag.substring(2);
        }
    }

    /** The variables that the launchers and the runtime read themselves, left alone here. */
    static final Set<String> RESERVED = Set.of(
            "POUNCE_JAVA_OPTS",        // the launcher: JVM options
            "POUNCE_MODULE_PATH",      // the launcher: more module path entries
            "POUNCE_AOT_CACHE",        // the image's launcher: the AOT cache to start from, empty for none
            "POUNCE_HOME",             // the launcher: its own folder
            "POUNCE_CONTROL_SOCKET",   // the runtime: a process worker's channel to its supervisor
            "POUNCE_ARGS",             // pounce-bench's scripts: extra flags for the servers they start
            ConfigFile.VARIABLE);      // names the config file itself

    /** The Python Pounce's names for settings that mean the same here, in the file's {@code -} spelling. */
    private static final Map<String, String> PYTHON_NAMES = Map.ofEntries(
            Map.entry("keep-alive-timeout", "timeout-keep-alive"),
            Map.entry("header-timeout", "timeout-header"),
            Map.entry("request-timeout", "timeout-request-body"),
            Map.entry("write-timeout", "timeout-write"),
            Map.entry("shutdown-timeout", "timeout-graceful-shutdown"),
            Map.entry("startup-timeout", "timeout-startup"),
            Map.entry("max-request-size", "limit-request-body"),
            Map.entry("max-header-size", "limit-request-header-size"),
            Map.entry("max-headers", "limit-request-headers"),
            Map.entry("max-requests-per-connection", "limit-requests-per-connection"),
            Map.entry("health-check-path", "health-path"),
            Map.entry("reload-dirs", "reload-dir"),
            Map.entry("http2-enabled", "http2.enabled"),
            Map.entry("http3-enabled", "http3.enabled"),
            Map.entry("websocket-max-message-size", "ws.max-message-size"),
            Map.entry("websocket-compression", "ws.per-message-deflate"));

    /**
     * Compression's keys in a {@code [compression]} table of their own ({@code compression.min-size}), beside the
     * flags' names ({@code compression-min-size}); their variables ({@code POUNCE_COMPRESSION_ENABLED}) too.
     */
    private static final Map<String, String> TABLE_NAMES = Map.of(
            "compression.enabled", "compression",
            "compression.min-size", "compression-min-size",
            "compression.encodings", "compression-encodings",
            "compression.types", "compression-types",
            "compression.gzip-level", "compression-gzip-level",
            "compression.zstd-level", "compression-zstd-level",
            "compression.brotli-level", "compression-brotli-level");

    private final List<Key> keys;
    private final Map<String, Key> byName;
    private final Map<String, Key> byVariable;
    private final Map<String, Key> byFlag;

    private ConfigKeys(List<Key> keys, Map<String, String> aliases) {
        this.keys = List.copyOf(keys);
        Map<String, Key> names = new HashMap<>();
        Map<String, Key> variables = new HashMap<>();
        Map<String, Key> flags = new HashMap<>();
        for (Key k : keys) {
            names.put(k.name(), k);
            variables.put(k.variable(), k);
            flags.put(k.flag(), k);
        }
        aliases.forEach((alias, key) -> {
            Key k = names.get(key);
            if (k != null) {
                names.putIfAbsent(alias, k);
                variables.putIfAbsent(variableOf(alias), k);
            }
        });
        TABLE_NAMES.forEach((alias, key) -> {
            Key k = names.get(key);
            if (k != null) {
                names.putIfAbsent(alias, k);
                variables.putIfAbsent(variableOf(alias), k);
            }
        });
        PYTHON_NAMES.forEach((alias, key) -> {
            if (names.containsKey(key)) {
                names.putIfAbsent(alias, names.get(key));
            }
        });
        byName = Map.copyOf(names);
        byVariable = Map.copyOf(variables);
        byFlag = Map.copyOf(flags);
    }

    /**
     * The keys of a command that takes {@link ServeOptions}: its own options, the APP argument and the plugins'.
     *
     * @param command the command, its plugin flags added
     * @param plugins the plugins' flags
     * @return the keys
     */
    static ConfigKeys of(CommandSpec command, PluginFlags plugins) {
        List<Key> keys = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        CommandSpec own = command.mixins().values().stream()
                .filter(m -> m.userObject() instanceof ServeOptions)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(command.name() + " takes no serve options"));
        if (!own.positionalParameters().isEmpty()) {
            keys.add(new Key("app", Shape.ARGUMENT, "APP", variableOf("app"), false, false, Optional.empty()));
        }
        for (OptionSpec o : own.options()) {
            String flag = o.longestName();
            if (flag.equals(ConfigFile.FLAG) || !flag.startsWith("--")) {
                continue;
            }
            Shape shape = shape(o);
            String name = shape == Shape.NEGATED_SWITCH ? flag.substring("--no-".length()) : flag.substring(2);
            boolean paths = o.isMultiValue() && o.auxiliaryTypes().length > 0 && o.auxiliaryTypes()[0] == Path.class;
            keys.add(new Key(name, shape, flag, variableOf(name), secretName(name), paths, Optional.empty()));
            Stream.of(o.names()).filter(n -> n.startsWith("--") && !n.equals(flag))
                    .forEach(n -> aliases.put(n.substring(2), name));
        }
        for (ConfigSection<?> section : plugins.sections()) {
            for (Setting<?> s : section.settings()) {
                Shape shape = switch (s.kind()) {
                    case TOGGLE -> Shape.TOGGLE;
                    case LIST -> Shape.LIST;
                    case NUMBER, SECONDS, TEXT, CHOICE -> Shape.VALUE;
                };
                // A switch holds no secret, whatever its name says (cors.allow-credentials is on or off).
                boolean secret = s.isSecret() || s.kind() != Setting.Kind.TOGGLE && secretName(s.key());
                keys.add(new Key(s.key(), shape, s.flag(), variableOf(s.key()), secret, false, Optional.of(s)));
                aliases.put(s.flag().substring(2), s.key());
            }
        }
        return new ConfigKeys(keys, aliases);
    }

    private static Shape shape(OptionSpec o) {
        if (o.type() != boolean.class && o.type() != Boolean.class) {
            return o.isMultiValue() ? Shape.LIST : Shape.VALUE;
        }
        if (o.negatable()) {
            return Shape.TOGGLE;
        }
        return o.longestName().startsWith("--no-") ? Shape.NEGATED_SWITCH : Shape.SWITCH;
    }

    private static boolean secretName(String name) {
        return Stream.of("password", "secret", "token", "credential").anyMatch(name::contains);
    }

    /**
     * @param key a key or alias, such as {@code http3.max-concurrent-streams}
     * @return its variable: {@code POUNCE_HTTP3_MAX_CONCURRENT_STREAMS}
     */
    static String variableOf(String key) {
        return "POUNCE_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** @return every key: APP, Pounce's own in the order of the help, then each plugin's */
    List<Key> all() {
        return keys;
    }

    /**
     * @param written a key as written in a file, with {@code -} or {@code _} between words, or an alias
     * @return the key it names
     */
    Optional<Key> forFile(String written) {
        return Optional.ofNullable(byName.get(written.replace('_', '-')));
    }

    /**
     * @param variable an environment variable's name
     * @return the key it sets
     */
    Optional<Key> forVariable(String variable) {
        return Optional.ofNullable(byVariable.get(variable));
    }

    /**
     * @param flag a flag, as {@link Key#flag()} names it
     * @return its key
     */
    Optional<Key> forFlag(String flag) {
        return Optional.ofNullable(byFlag.get(flag));
    }

    /**
     * @param written an unknown key as written
     * @return the known key nearest to it, if one is near enough to be a slip (a third of its length in edits)
     */
    Optional<String> nearestKey(String written) {
        String typed = written.replace('_', '-');
        return nearest(typed, byName.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().name())));
    }

    /**
     * @param variable an unknown {@code POUNCE_*} variable
     * @return the known variable nearest to it, if one is near enough
     */
    Optional<String> nearestVariable(String variable) {
        return nearest(variable, keys.stream().map(k -> Map.entry(k.variable(), k.variable())));
    }

    /** Compares with every name and answers with what that name stands for, so an alias's slip gets the key. */
    private static Optional<String> nearest(String typed, Stream<Map.Entry<String, String>> names) {
        int allowed = Math.max(2, typed.length() / 3);
        return names.map(e -> Map.entry(e.getValue(), UsageErrors.editDistance(typed, e.getKey())))
                .filter(e -> e.getValue() <= allowed)
                .min(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getValue())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }
}
