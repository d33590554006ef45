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
        subcommands = {PounceCommand.Check.class, PounceCommand.Info.class},
        customSynopsis = {"pounce [OPTIONS] [APP]", "pounce check [OPTIONS] [APP]",
                "pounce info [--output-format text|json] [OPTIONS]"},
        description = "Serve a Pounce app over HTTP.",
        footerHeading = "%n",
        footer = {
                "Examples:",
                "  pounce                        serve the one module that provides an App",
                "  pounce --port 8080 --workers 0 com.example.HelloApp",
                "  pounce check com.example.Apps::hello",
                "  pounce info --output-format json   plugins, Java, transport, workers",
                "",
                "Plugins add flags of their own, listed above under each plugin's title; pounce info shows the "
                        + "values in effect.",
                "",
                "Environment (read by the launcher): POUNCE_JAVA_OPTS (extra JVM options), POUNCE_MODULE_PATH "
                        + "(more jars or folders for the module path: your app, your plugins).",
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

    /**
     * The parser for {@code pounce}, with its {@code check} and {@code info} subcommands, writing help to
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
        cli.getSubcommands().values().forEach(sub -> options(sub.getCommand()).addPluginFlags(plugins));
        return cli;
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
            default -> throw new IllegalArgumentException("not a pounce command: " + command);
        };
    }
}
