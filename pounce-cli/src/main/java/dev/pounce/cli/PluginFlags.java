package dev.pounce.cli;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.Setting;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Stream;

/**
 * The flags of the plugins' settings: one picocli option per {@link Setting} of every {@link ConfigSection} found,
 * added to a command at run time, since which plugins are present is known only then. Each section's flags stand
 * under its title in {@code pounce --help}, after Pounce's own; a value given reaches the config as text by key
 * ({@link dev.pounce.api.ServerConfig.Builder#set(String, String)}), and an error about a key is printed under its
 * flag.
 *
 * <p>How a setting's kind looks on the command line: a toggle is a negatable switch ({@code --http2} and
 * {@code --no-http2}); a number takes a whole number and a duration a decimal number of seconds, so a value that is
 * not one fails the parse (exit 2) as Pounce's own flags do, while the range is checked when the section is built
 * (exit 1); a list may be repeated, its values joined by commas; text and choices are passed on as typed.
 */
final class PluginFlags {

    /** No plugin settings. */
    static final PluginFlags NONE = new PluginFlags(List.of());

    private final List<ConfigSection<?>> sections;

    private PluginFlags(List<ConfigSection<?>> sections) {
        this.sections = sections;
    }

    /**
     * @param sections the sections the plugins found provide, in load order
     * @return their flags
     * @throws FlagClash if two settings claim the same flag (or one's negation)
     */
    static PluginFlags of(List<ConfigSection<?>> sections) {
        Map<String, ConfigSection<?>> owner = new HashMap<>();
        for (ConfigSection<?> section : sections) {
            for (Setting<?> setting : section.settings()) {
                for (String name : names(setting).toList()) {
                    ConfigSection<?> first = owner.putIfAbsent(name, section);
                    if (first != null) {
                        throw new FlagClash("the flag " + name + " is claimed by two plugins: " + describe(first)
                                + " and " + describe(section) + "; remove one of them from the module path");
                    }
                }
            }
        }
        return new PluginFlags(List.copyOf(sections));
    }

    /** @return the sections, in load order */
    List<ConfigSection<?>> sections() {
        return sections;
    }

    /** @return each plugin setting's flag by its key, to name flags in errors */
    Map<String, String> flagsByKey() {
        Map<String, String> out = new HashMap<>();
        settings().forEach(s -> out.put(s.key(), s.flag()));
        return out;
    }

    /**
     * Adds one option per setting to a command, under a heading per section.
     *
     * @param command the command, which already holds Pounce's own options
     * @throws FlagClash if a setting's flag (or its negation) is one of Pounce's own
     */
    void addTo(CommandSpec command) {
        int order = 1;
        for (ConfigSection<?> section : sections) {
            for (Setting<?> setting : section.settings()) {
                names(setting).filter(n -> taken(command, n)).findFirst().ifPresent(n -> {
                    throw new FlagClash("the flag " + n + " of " + describe(section) + " is Pounce's own " + n
                            + "; remove the plugin from the module path, or ask its author to rename the flag");
                });
            }
            // A group only for the heading: its options are independent, and "0..*" lets each be repeated (the
            // last wins, a list adds up), as Pounce's own options may be.
            var group = ArgGroupSpec.builder()
                    .heading(literal(section.title()) + "%n")
                    .exclusive(false)
                    .multiplicity("0..*")
                    .order(order++);
            section.settings().forEach(s -> group.addArg(option(s)));
            command.addArgGroup(group.build());
        }
    }

    /**
     * @param command a command that {@link #addTo} gave these flags, after parsing
     * @return the value given for each setting whose flag was on the command line, as text by key
     */
    SequencedMap<String, String> given(CommandSpec command) {
        SequencedMap<String, String> out = new LinkedHashMap<>();
        settings().forEach(s -> {
            OptionSpec option = command.findOption(s.flag());
            if (option != null && option.getValue() != null) {
                out.put(s.key(), text(option.getValue()));
            }
        });
        return out;
    }

    private Stream<Setting<?>> settings() {
        return sections.stream().flatMap(s -> s.settings().stream());
    }

    private static OptionSpec option(Setting<?> s) {
        var option = OptionSpec.builder(s.flag()).description(literal(s.help()));
        if (s.kind() != Setting.Kind.TOGGLE) {
            option.paramLabel(s.paramLabel());
        }
        return switch (s.kind()) {
            // No default: picocli would read a switch's default as the value its negation sets.
            case TOGGLE -> option.negatable(true).type(Boolean.class).arity("0").build();
            case NUMBER -> option.type(Long.class).build();
            case SECONDS -> option.type(Duration.class).converters(new SecondsConverter()).build();
            case LIST -> option.type(List.class).auxiliaryTypes(String.class).arity("1").build();
            case TEXT, CHOICE -> option.type(String.class).build();
        };
    }

    private static String text(Object value) {
        return switch (value) {
            case Duration d -> SecondsConverter.format(d);
            case List<?> items -> String.join(",", items.stream().map(String::valueOf).toList());
            default -> String.valueOf(value);
        };
    }

    private static Stream<String> names(Setting<?> s) {
        return Stream.concat(Stream.of(s.flag()), s.negation().stream());
    }

    private static boolean taken(CommandSpec command, String name) {
        return command.findOption(name) != null || command.negatedOptionsMap().containsKey(name);
    }

    private static String describe(ConfigSection<?> section) {
        return "section '" + section.name() + "' (" + section.getClass().getName() + ")";
    }

    /** Picocli reads help text as a format string with {@code ${...}} variables; a plugin's text is taken as is. */
    private static String literal(String text) {
        return text.replace("%", "%%").replace("${", "$${");
    }

    /** Two plugins, or a plugin and Pounce, claim the same flag: the command cannot tell them apart. */
    static final class FlagClash extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        FlagClash(String message) {
            super(message);
        }
    }
}
