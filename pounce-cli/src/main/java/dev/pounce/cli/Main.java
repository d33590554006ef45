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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;

/**
 * The {@code pounce} command. {@link #main} only exits with what {@link #run} returns, so everything else can be
 * tested without a JVM exit.
 *
 * <p>Exit status: 0 after a graceful stop (or a successful check, help, version), 1 when the server cannot or did
 * not serve (bad config value, app not found, port in use, two plugins that claim one flag), 2 when the command line
 * cannot be parsed. A user error is one line on stderr starting with {@code pounce: }; with
 * {@code --log-level debug} its cause is logged too.
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
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs {@code pounce} without exiting.
     *
     * @param args the command line
     * @param out  where help, the version and the check result go
     * @param err  where errors go
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        // Before any plugin is loaded: the runtime reads its plugin folders once, and their plugins bring flags.
        PluginPath.apply(args);
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
        Object sub = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().userObject() : null;
        boolean check = sub instanceof PounceCommand.Check;
        if (sub != null && (!parsed.matchedOptions().isEmpty() || !parsed.matchedPositionals().isEmpty())) {
            // `pounce --port 1 check` would silently check the defaults: the flags belong to check.
            String name = parsed.subcommand().commandSpec().name();
            err.println("pounce: put the options" + (check ? " and APP" : "") + " after '" + name + "': pounce "
                    + name + " [OPTIONS]" + (check ? " [APP]" : ""));
            return 2;
        }
        ServeOptions options = PounceCommand.options(sub == null ? command : sub);
        ServerConfig config;
        try {
            config = options.toConfig();
        } catch (ConfigException e) {
            err.println("pounce: " + ConfigFlag.describe(e, plugins.flagsByKey()));
            return 1;
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
