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
                            + "well-known protocols absent, the Java version, the transport detected and the "
                            + "worker strategy and count the options resolve to."})
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
     * The parser for {@code pounce}, with its {@code check} subcommand, writing help to {@code out}.
     *
     * @param command the object whose fields receive the flags
     * @param out     where help and version go
     * @return a fresh parser
     */
    static CommandLine parser(PounceCommand command, PrintStream out) {
        var cli = new CommandLine(command)
                // Later flags win, as in most commands: `pounce $DEFAULTS --port 9000` works.
                .setOverwrittenOptionsAllowed(true)
                // `--log-level info` names a level, not the `info` subcommand.
                .setAllowSubcommandsAsOptionParameters(true)
                .setDefaultValueProvider(new ConfigDefaults())
                .setOut(new PrintWriter(out, true));
        return cli;
    }
}
