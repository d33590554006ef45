package dev.pounce.cli;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.AppLoadException;
import dev.pounce.runtime.AppReference;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerInfo;
import dev.pounce.runtime.ServerStartException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;

/**
 * The {@code pounce} command. {@link #main} only exits with what {@link #run} returns, so everything else can be
 * tested without a JVM exit.
 *
 * <p>Settings come from the flags, then the {@code POUNCE_*} variables, then the config file, then the defaults
 * ({@link ConfigLayers}); the environment is a parameter of {@link #run(String[], PrintStream, PrintStream,
 * Environment)}, so tests give their own.
 *
 * <p>Exit status: 0 after a graceful stop (or a successful check, help, version), 1 when the server cannot or did
 * not serve (bad config value, app not found, port in use, two plugins that claim one flag, a config file that cannot
 * be read), 2 when the command line cannot be parsed (and so for a config file that is not TOML, an unknown key or
 * {@code POUNCE_*} variable, or a value of the wrong type in either). A user error is one line on stderr starting
 * with {@code pounce: }; with {@code --log-level debug} its cause is logged too.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs {@code pounce} and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Environment.ofProcess()));
    }

    /**
     * Runs {@code pounce} without exiting, and without an environment: no {@code POUNCE_*} variable counts and no
     * {@code pounce.toml} is looked for, so only the command line (and a {@code --config FILE} it names) does.
     *
     * @param args the command line
     * @param out  where help, the version and the check result go
     * @param err  where errors go
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Environment.NONE);
    }

    /**
     * Runs {@code pounce} without exiting.
     *
     * @param args the command line
     * @param out  where help, the version and the check result go
     * @param err  where errors go
     * @param env  the {@code POUNCE_*} variables and the working directory, where {@code pounce.toml} is looked for
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, Environment env) {
        ConfigFile file;
        try {
            file = ConfigFile.find(args, env);
        } catch (ConfigFile.Problem e) {
            if (!asksForHelp(args)) {
                err.println("pounce: " + e.getMessage());
                return e.status();
            }
            // Help and the version need no settings, and are what someone reaches for when the file is wrong.
            file = ConfigFile.NONE;
        }
        // Before any plugin is loaded: the runtime reads its plugin folders once, and their plugins bring flags.
        PluginPath.apply(PluginPath.folders(args, env, file));
        var command = new PounceCommand();
        PluginFlags plugins;
        CommandLine parser;
        try {
            plugins = PluginFlags.of(Server.configSections());
            parser = PounceCommand.parser(command, out, plugins);
        } catch (PluginFlags.FlagClash e) {
            err.println("pounce: " + e.getMessage());
            return 1;
        }
        ParseResult parsed;
        try {
            parsed = parser.parseArgs(args);
        } catch (ParameterException e) {
            err.println("pounce: " + UsageErrors.describe(e));
            return 2;
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return 0;
        }
        ParseResult leaf = leaf(parsed);
        Object sub = leaf == parsed ? null : leaf.commandSpec().userObject();
        boolean check = sub instanceof PounceCommand.Check;
        if (sub != null && (!parsed.matchedOptions().isEmpty() || !parsed.matchedPositionals().isEmpty())) {
            // `pounce --port 1 check` would silently check the defaults: the flags belong to check.
            String name = parsed.subcommand().commandSpec().name();
            err.println("pounce: put the options" + (check ? " and APP" : "") + " after '" + name + "': pounce "
                    + name + " [OPTIONS]" + (check ? " [APP]" : ""));
            return 2;
        }
        if (sub instanceof PounceCommand.Config) {
            err.println("pounce: config needs a subcommand: show or schema (see pounce config --help)");
            return 2;
        }
        if (sub instanceof PounceCommand.Schema) {
            out.print(ConfigReport.schema(ConfigKeys.of(parser.getCommandSpec(), plugins), parser.getCommandSpec()));
            return 0;
        }
        ConfigKeys keys = ConfigKeys.of(leaf.commandSpec(), plugins);
        ConfigLayers layers;
        try {
            layers = ConfigLayers.merge(keys, leaf, env, file);
        } catch (ConfigLayers.SourceError e) {
            err.println("pounce: " + e.getMessage());
            return 2;
        }
        if (layers.addsArguments()) {
            // Parsed again with the file's and the variables' values as flags, so they are converted and checked
            // as flags are; fresh objects, since picocli keeps a parse's values in them.
            command = new PounceCommand();
            parser = PounceCommand.parser(command, out, plugins);
            try {
                leaf = leaf(parser.parseArgs(layers.arguments(args, depth(leaf)).toArray(String[]::new)));
            } catch (ParameterException e) {
                err.println("pounce: " + layers.describe(e));
                return 2;
            }
            sub = sub == null ? null : leaf.commandSpec().userObject();
        }
        ServeOptions options = PounceCommand.options(sub == null ? command : sub);
        if (sub instanceof BenchCommand bench) {
            bench.benchDefaults(leaf);
        }
        ServerConfig config;
        try {
            config = options.toConfig();
        } catch (ConfigException e) {
            String atFault = ConfigFlag.ofField(e.field()).map(ConfigFlag::flag)
                    .orElseGet(() -> plugins.flagsByKey().getOrDefault(e.field(), ""));
            err.println("pounce: " + layers.reword(ConfigFlag.describe(e, plugins.flagsByKey()), atFault));
            return 1;
        }
        if (sub instanceof PounceCommand.Show show) {
            CommandSpec spec = leaf.commandSpec();
            out.print(show.outputFormat == PounceCommand.Info.Format.json
                    ? ConfigReport.json(file, keys, layers, config, spec, options)
                    : ConfigReport.text(file, keys, layers, config, spec, options));
            return 0;
        }
        // Before any logger exists: slf4j-simple reads its settings once.
        LogSetup.apply(config);
        if (sub instanceof PounceCommand.Info info) {
            ServerInfo found = ServerInfo.of(config);
            out.print(info.outputFormat == PounceCommand.Info.Format.json
                    ? InfoReport.json(VersionText.pounceVersion(), found, config)
                    : InfoReport.text(VersionText.pounceVersion(), found, config));
            return 0;
        }
        if (sub instanceof BenchCommand bench) {
            return bench.run(config, out, err);
        }
        try {
            var reference = AppReference.of(options.appSpec());
            if (check) {
                var app = reference.load();
                Server.preflight(config);
                out.println("ok: " + app.name() + " would serve on " + address(config));
                return 0;
            }
            // Which of the protocols we ship are missing here: the command's knowledge, not the runtime's.
            var pluginLog = LoggerFactory.getLogger("pounce.plugins");
            WellKnownProtocols.absent(Server.plugins()).forEach(a -> pluginLog.info("absent: {}", a));
            // By reference, not as an object: process workers and rolling reloads load the app themselves.
            var builder = Server.builder(reference, config);
            if (options.reload) {
                builder.reloadOnChange(options.reloadDirs);
            }
            return builder.run();
        } catch (AppLoadException | ServerStartException e) {
            err.println("pounce: " + UsageErrors.oneLine(e.getMessage()));
            if (LogSetup.debugEnabled(config) && e.getCause() != null) {
                LoggerFactory.getLogger("pounce.server").debug("cause of: {}", e.getMessage(), e.getCause());
            }
            return 1;
        }
    }

    private static boolean asksForHelp(String[] args) {
        return java.util.Arrays.stream(args).takeWhile(a -> !a.equals("--"))
                .anyMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"));
    }

    /** @return the parse result of the subcommand typed last ({@code show} in {@code config show}), or the root's */
    private static ParseResult leaf(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    /** @return how many subcommands stand above this one: 0 for {@code pounce}, 2 for {@code pounce config show} */
    private static int depth(ParseResult leaf) {
        int depth = 0;
        for (CommandSpec spec = leaf.commandSpec(); spec.parent() != null; spec = spec.parent()) {
            depth++;
        }
        return depth;
    }

    /**
     * @param config a configuration
     * @return where it would serve: {@code http://127.0.0.1:8000}, {@code https://[::1]:8443} or {@code unix:PATH}
     */
    static String address(ServerConfig config) {
        if (config.uds().isPresent()) {
            return "unix:" + config.uds().get();
        }
        String host = config.host().indexOf(':') >= 0 ? "[" + config.host() + "]" : config.host();
        return (config.tls().enabled() ? "https://" : "http://") + host + ":" + config.port();
    }
}
