package dev.pounce.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;

/** {@code pounce [OPTIONS] [APP]}: serve the app. Parsing only; {@link Main} does the work. */
@Command(name = "pounce",
        mixinStandardHelpOptions = true,
        versionProvider = VersionText.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        subcommands = {PounceCommand.Check.class, PounceCommand.Info.class, PounceCommand.Config.class,
                BenchCommand.class},
        customSynopsis = {"pounce [OPTIONS] [APP]", "pounce check [OPTIONS] [APP]",
                "pounce info [--output-format text|json] [OPTIONS]",
                "pounce config show [--output-format text|json] [OPTIONS]", "pounce config schema",
                "pounce bench [BENCH OPTIONS] [OPTIONS] [APP]"},
        description = "Serve a Pounce app over HTTP.",
        footerHeading = "%n",
        footer = {
                "Examples:",
                "  pounce                        serve the one module that provides an App",
                "  pounce --port 8080 --workers 0 com.example.HelloApp",
                "  pounce check com.example.Apps::hello",
                "  pounce info --output-format json   plugins, Java, transport, workers",
                "  pounce bench --protocols h1,h2c    benchmark the server on this machine",
                "",
                "Plugins add flags of their own, listed above under each plugin's title; pounce info shows the "
                        + "values in effect.",
                "",
                "Every option is also a key of the config file (--config FILE, else pounce.toml, else pyproject.toml "
                        + "[tool.pounce], in the working directory: workers = 2, [http3] max-concurrent-streams = 64) "
                        + "and a variable (POUNCE_WORKERS=2, POUNCE_HTTP3_MAX_CONCURRENT_STREAMS=64). Flags win over "
                        + "variables, variables over the file, the file over the defaults; pounce config show prints "
                        + "the result and where each value came from.",
                "",
                "Environment (read by the launcher): POUNCE_JAVA_OPTS (extra JVM options), POUNCE_MODULE_PATH "
                        + "(more jars or folders for the module path: your app, your plugins), POUNCE_AOT_CACHE "
                        + "(the image's AOT cache to start from, lib/pounce.aot; empty for none).",
                "Exit status: 0 after a graceful stop, 1 when the server cannot or did not serve, "
                        + "2 when the command line cannot be parsed."})
final class PounceCommand {

    @Mixin
    ServeOptions options;

    /** {@code pounce check [OPTIONS] [APP]}: everything {@code pounce} does before it serves. */
    @Command(name = "check",
            mixinStandardHelpOptions = true,
            versionProvider = VersionText.class,
            sortOptions = false,
            usageHelpAutoWidth = true,
            customSynopsis = "pounce check [OPTIONS] [APP]",
            description = {
                    "Load the app, build and validate the configuration, and check that the server could start "
                            + "(protocol plugins present, port free), without serving.",
                    "Prints 'ok: APP would serve on URL' and exits 0, or one line 'pounce: reason' and exits 1."})
    static final class Check {
        @Mixin
        ServeOptions options;
    }

    /** {@code pounce info [OPTIONS]}: what Pounce would run with, without loading the app or binding a port. */
    @Command(name = "info",
            mixinStandardHelpOptions = true,
            versionProvider = VersionText.class,
            sortOptions = false,
            usageHelpAutoWidth = true,
            customSynopsis = "pounce info [--output-format text|json] [OPTIONS]",
            description = {
                    "List every plugin found (kind, name, module, version), the plugins skipped and why, the "
                            + "well-known protocols absent, the Java version, the transport detected, the "
                            + "worker strategy and count the options resolve to, and each plugin setting with the "
                            + "value in effect."})
    static final class Info {
        /** The two output formats. */
        enum Format { text, json }

        @Option(names = "--output-format", paramLabel = "FORMAT", order = 0,
                description = "text (for people) or json (one object, for scripts) (default: text).")
        Format outputFormat = Format.text;

        @Mixin
        ServeOptions options;
    }

    /** {@code pounce config show|schema}: the merged configuration, or the keys of the config file. */
    @Command(name = "config",
            mixinStandardHelpOptions = true,
            versionProvider = VersionText.class,
            usageHelpAutoWidth = true,
            subcommands = {Show.class, Schema.class},
            customSynopsis = {"pounce config show [--output-format text|json] [OPTIONS]", "pounce config schema"},
            description = "Show the configuration the flags, POUNCE_* variables and config file make together, or "
                    + "the keys a config file may hold.")
    static final class Config {
    }

    /** {@code pounce config show [OPTIONS]}: every setting, its value in effect and where it came from. */
    @Command(name = "show",
            mixinStandardHelpOptions = true,
            versionProvider = VersionText.class,
            sortOptions = false,
            usageHelpAutoWidth = true,
            customSynopsis = "pounce config show [--output-format text|json] [OPTIONS]",
            description = {
                    "Print every setting with the value in effect and where it came from: default, the config file "
                            + "and line, env POUNCE_..., or flag --...; secrets (the TLS key password) as ***. "
                            + "Takes the same options as pounce, to see what they would change."})
    static final class Show {
        @Option(names = "--output-format", paramLabel = "FORMAT", order = 0,
                description = "text (for people) or json (one object, for scripts) (default: text).")
        Info.Format outputFormat = Info.Format.text;

        @Mixin
        ServeOptions options;
    }

    /** {@code pounce config schema}: the config file's keys as a JSON Schema. */
    @Command(name = "schema",
            mixinStandardHelpOptions = true,
            versionProvider = VersionText.class,
            usageHelpAutoWidth = true,
            description = "Print the keys of the config file, with the plugins' found, as a JSON Schema (draft "
                    + "2020-12), for editors that check TOML files against one.")
    static final class Schema {
    }

    /**
     * The parser for {@code pounce}, with its {@code check}, {@code info} and {@code config} subcommands, writing help to
     * {@code out}. Each command takes the plugins' flags after Pounce's own.
     *
     * @param command the object whose fields receive the flags
     * @param out     where help and version go
     * @param plugins the plugins' flags
     * @return a fresh parser
     * @throws PluginFlags.FlagClash if a plugin's flag is one of Pounce's own
     */
    static CommandLine parser(PounceCommand command, PrintStream out, PluginFlags plugins) {
        var cli = new CommandLine(command)
                // Later flags win, as in most commands: `pounce $DEFAULTS --port 9000` works.
                .setOverwrittenOptionsAllowed(true)
                // `--log-level info` names a level, not the `info` subcommand.
                .setAllowSubcommandsAsOptionParameters(true)
                .setDefaultValueProvider(new ConfigDefaults())
                .setOut(new PrintWriter(out, true));
        options(command).addPluginFlags(plugins);
        addPluginFlags(cli.getSubcommands().values(), plugins);
        return cli;
    }

    private static void addPluginFlags(java.util.Collection<CommandLine> commands, PluginFlags plugins) {
        for (CommandLine sub : commands) {
            if (!(sub.getCommand() instanceof Config) && !(sub.getCommand() instanceof Schema)) {
                options(sub.getCommand()).addPluginFlags(plugins);
            }
            addPluginFlags(sub.getSubcommands().values(), plugins);
        }
    }

    /**
     * @param command {@code pounce} or one of its subcommands
     * @return the options it takes
     */
    static ServeOptions options(Object command) {
        return switch (command) {
            case PounceCommand p -> p.options;
            case Check c -> c.options;
            case Info i -> i.options;
            case Show s -> s.options;
            case BenchCommand b -> b.options;
            default -> throw new IllegalArgumentException("not a pounce command: " + command);
        };
    }
}
