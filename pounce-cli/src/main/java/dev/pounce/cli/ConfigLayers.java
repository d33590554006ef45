package dev.pounce.cli;

import dev.pounce.cli.ConfigKeys.Key;
import dev.pounce.cli.ConfigKeys.Shape;
import dev.pounce.cli.TomlValue.Array;
import dev.pounce.cli.TomlValue.Scalar;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config file and the {@code POUNCE_*} variables laid under the command line: for each key not given as a flag,
 * the variable's value, else the file's, becomes the flag it stands for ({@code workers = 2} becomes
 * {@code --workers=2}), placed before the flags typed, and picocli parses the whole again. So a value from a file or
 * a variable is converted and checked by the very code that converts and checks the flag, and gives the same
 * errors; this class only rewords them to name where the value came from ({@code pounce.toml:3:11: workers must be
 * between 0 and 1024, got 5000}, {@code POUNCE_WORKERS expects a whole number, got 'two'}).
 *
 * <p>Precedence: flags, then variables, then the file, then the defaults. A flag given wins even when it equals the
 * default, since what counts is whether it was typed. Every key of the file and every {@code POUNCE_*} variable
 * must be known, whether or not a flag overrides it, so a misspelt key is never silently ignored; values are
 * checked where they take effect.
 */
final class ConfigLayers {

    /** A key or variable that is not known, or a value of the wrong shape: the command line's fault, exit 2. */
    static final class SourceError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SourceError(String message) {
            super(message);
        }
    }

    private final ConfigKeys keys;
    private final Map<String, Origin> origins;
    private final List<String> options;
    private final Optional<String> argument;

    private ConfigLayers(ConfigKeys keys, Map<String, Origin> origins, List<String> options,
                         Optional<String> argument) {
        this.keys = keys;
        this.origins = origins;
        this.options = List.copyOf(options);
        this.argument = argument;
    }

    /**
     * Decides where each key's value comes from.
     *
     * @param keys   the keys of the command
     * @param parsed the command's parse result, for the flags and APP that were typed
     * @param env    the variables
     * @param file   the config file
     * @return the layers
     * @throws SourceError for an unknown key or variable, a key given twice, or a value of the wrong shape
     */
    static ConfigLayers merge(ConfigKeys keys, ParseResult parsed, Environment env, ConfigFile file) {
        Map<Key, Map.Entry<String, String>> fromEnv = variables(keys, env);
        Map<Key, ConfigFile.Entry> fromFile = fileEntries(keys, file);
        Map<String, Origin> origins = new LinkedHashMap<>();
        List<String> options = new ArrayList<>();
        Optional<String> argument = Optional.empty();
        for (Key k : keys.all()) {
            Optional<Origin> typed = typed(k, parsed);
            if (typed.isPresent()) {
                origins.put(k.name(), typed.get());
                continue;
            }
            Map.Entry<String, String> variable = fromEnv.get(k);
            ConfigFile.Entry entry = fromFile.get(k);
            List<String> texts;
            String named;
            if (variable != null) {
                origins.put(k.name(), new Origin.Env(variable.getKey()));
                named = variable.getKey();
                texts = k.pathItems() ? Arrays.stream(variable.getValue().split(File.pathSeparator))
                        .filter(p -> !p.isEmpty()).toList() : List.of(variable.getValue());
            } else if (entry != null) {
                origins.put(k.name(), new Origin.File(file.shown().orElseThrow(), entry.key(), entry.at(),
                        entry.value().at()));
                named = file.shown().orElseThrow() + ":" + entry.value().at() + ": " + entry.key();
                texts = texts(k, entry);
            } else {
                origins.put(k.name(), new Origin.Default());
                continue;
            }
            if (k.shape() == Shape.ARGUMENT) {
                argument = Optional.of(texts.getFirst());
            } else {
                options.addAll(flags(k, texts, named));
            }
        }
        return new ConfigLayers(keys, origins, options, argument);
    }

    private static Optional<Origin> typed(Key k, ParseResult parsed) {
        if (k.shape() == Shape.ARGUMENT) {
            return parsed.hasMatchedPositional(0) ? Optional.of(new Origin.Flag("APP")) : Optional.empty();
        }
        OptionSpec option = parsed.matchedOption(k.flag());
        if (option == null) {
            return Optional.empty();
        }
        boolean off = k.shape() == Shape.TOGGLE && Boolean.FALSE.equals(option.getValue());
        return Optional.of(new Origin.Flag(off ? k.negation() : k.flag()));
    }

    private static Map<Key, Map.Entry<String, String>> variables(ConfigKeys keys, Environment env) {
        Map<Key, Map.Entry<String, String>> found = new HashMap<>();
        for (var v : env.variables().entrySet()) {
            String name = v.getKey();
            if (!name.startsWith("POUNCE_") || ConfigKeys.RESERVED.contains(name)) {
                continue;
            }
            Key k = keys.forVariable(name).orElseThrow(() -> new SourceError("unknown environment variable " + name
                    + keys.nearestVariable(name).map(n -> "; did you mean " + n + "?")
                    .orElse(" (pounce config show lists every setting; each variable is POUNCE_ and the key)")));
            var first = found.putIfAbsent(k, v);
            if (first != null) {
                throw new SourceError(first.getKey() + " and " + name + " both set " + k.name() + "; keep one");
            }
        }
        return found;
    }

    private static Map<Key, ConfigFile.Entry> fileEntries(ConfigKeys keys, ConfigFile file) {
        Map<Key, ConfigFile.Entry> found = new HashMap<>();
        for (ConfigFile.Entry e : file.entries()) {
            String at = file.shown().orElseThrow() + ":" + e.at() + ": ";
            if (e.key().replace('_', '-').equals("config")) {
                throw new SourceError(at + "a config file cannot name another one; give --config on the command "
                        + "line or set " + ConfigFile.VARIABLE);
            }
            Key k = keys.forFile(e.key()).orElseThrow(() -> {
                Optional<String> absent = absentSection(keys, e.key());
                return new SourceError(at + "unknown key '" + e.key() + "'"
                        + absent.map(section -> ": no plugin on the module path has the section '" + section + "'")
                        .orElse("")
                        + keys.nearestKey(e.key()).map(n -> "; did you mean '" + n + "'?")
                        .orElse(absent.isPresent() ? " (pounce info lists the plugins found)"
                                : " (pounce config show lists every key)"));
            });
            var first = found.putIfAbsent(k, e);
            if (first != null) {
                throw new SourceError(at + "'" + e.key() + "' sets " + k.name() + ", which '" + first.key()
                        + "' at line " + first.at().line() + " sets already; keep one");
            }
            if (e.value() instanceof Array array) {
                if (k.shape() != Shape.LIST) {
                    throw new SourceError(file.shown().orElseThrow() + ":" + array.at() + ": " + e.key()
                            + " takes one value, not " + array.describe());
                }
                array.items().stream().filter(item -> !(item instanceof Scalar)).findFirst().ifPresent(item -> {
                    throw new SourceError(file.shown().orElseThrow() + ":" + item.at() + ": the items of " + e.key()
                            + " must be strings or numbers, not " + item.describe());
                });
            }
        }
        return found;
    }

    /**
     * @return the section of a dotted key that no plugin found has, such as {@code http3} when the HTTP/3 plugin is
     *         not on the module path: its keys are not misspelt but missing
     */
    private static Optional<String> absentSection(ConfigKeys keys, String written) {
        int dot = written.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String section = written.substring(0, dot).replace('_', '-');
        return keys.all().stream().anyMatch(k -> k.name().startsWith(section + ".")) ? Optional.empty()
                : Optional.of(section);
    }

    private static List<String> texts(Key k, ConfigFile.Entry entry) {
        return switch (entry.value()) {
            case Scalar s -> List.of(s.text());
            case Array a when a.items().isEmpty() -> k.pathItems() ? List.of() : List.of("");
            case Array a -> a.items().stream().map(item -> ((Scalar) item).text()).toList();
            case TomlValue.Table t -> throw new IllegalStateException("tables are flattened: " + entry.key());
        };
    }

    /** The flags that give a key these values, as the command line would hold them. */
    private static List<String> flags(Key k, List<String> texts, String named) {
        return switch (k.shape()) {
            case VALUE, LIST -> texts.stream().map(t -> k.flag() + "=" + t).toList();
            case SWITCH -> bool(texts.getFirst(), named) ? List.of(k.flag()) : List.of();
            case NEGATED_SWITCH -> bool(texts.getFirst(), named) ? List.of() : List.of(k.flag());
            case TOGGLE -> List.of(bool(texts.getFirst(), named) ? k.flag() : k.negation());
            case ARGUMENT -> throw new IllegalArgumentException("APP is not a flag");
        };
    }

    private static boolean bool(String text, String named) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new SourceError(named + " expects true or false, got '" + text + "'");
        };
    }

    /**
     * The command line to parse again: the subcommands as typed, the flags from the variables and the file, the
     * rest as typed, and the APP from a variable or the file when none was typed.
     *
     * @param args  the command line as given
     * @param depth how many of its first arguments name subcommands ({@code config show}: 2)
     * @return the command line with these layers under it
     */
    List<String> arguments(String[] args, int depth) {
        List<String> out = new ArrayList<>(Arrays.asList(args).subList(0, depth));
        out.addAll(options);
        out.addAll(Arrays.asList(args).subList(depth, args.length));
        argument.ifPresent(out::add);
        return out;
    }

    /** @return whether the variables or the file give anything, so that the command line must be parsed again */
    boolean addsArguments() {
        return !options.isEmpty() || argument.isPresent();
    }

    /**
     * @param key a key
     * @return where its value came from
     */
    Origin origin(String key) {
        return origins.getOrDefault(key, new Origin.Default());
    }

    /**
     * A parse error of the second parse, naming the variable or file key that gave the value at fault.
     *
     * @param e the error
     * @return one line without the {@code pounce: } prefix
     */
    String describe(ParameterException e) {
        String message = UsageErrors.describe(e);
        if (e.getArgSpec() instanceof OptionSpec option) {
            return keys.forFlag(option.longestName()).map(k -> reword(message, k.flag())).orElse(message);
        }
        return message;
    }

    /**
     * Rewords a message that names flags so that each flag whose value came from a variable or the file is named as
     * it was given there, and the message starts with the file, line and column when the value at fault came from
     * the file: {@code --workers must be between 0 and 1024, got 5000} becomes {@code pounce.toml:2:11: workers must
     * be between 0 and 1024, got 5000}, or {@code POUNCE_WORKERS must be between 0 and 1024, got 5000}.
     *
     * @param message the message, naming flags
     * @param atFault the flag at fault, if known, whose file location leads the message
     * @return the message
     */
    String reword(String message, String atFault) {
        String out = message;
        String lead = "";
        for (Key k : keys.all()) {
            Origin origin = origins.get(k.name());
            if (!(origin instanceof Origin.Env) && !(origin instanceof Origin.File)) {
                continue;
            }
            for (String flag : k.shape() == Shape.TOGGLE ? List.of(k.negation(), k.flag()) : List.of(k.flag())) {
                var named = Pattern.compile("(?<![\\w.-])" + Pattern.quote(flag) + "(?![\\w-]|\\.\\w)");
                if (!named.matcher(out).find()) {
                    continue;
                }
                String as = origin instanceof Origin.Env env ? env.variable() : ((Origin.File) origin).key();
                out = named.matcher(out).replaceAll(Matcher.quoteReplacement(as));
                if (origin instanceof Origin.File f && (lead.isEmpty() || flag.equals(atFault))) {
                    lead = f.location() + ": ";
                }
            }
        }
        return lead + out;
    }
}
