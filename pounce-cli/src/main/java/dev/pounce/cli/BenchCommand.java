package dev.pounce.cli;

import dev.pounce.api.ServerConfig;
import dev.pounce.cli.bench.BenchApp;
import dev.pounce.cli.bench.BenchReport;
import dev.pounce.cli.bench.BenchRunner;
import dev.pounce.cli.bench.BenchSettings;
import dev.pounce.cli.bench.HtmlReport;
import dev.pounce.cli.bench.LoadClient;
import dev.pounce.cli.bench.Protocol;
import dev.pounce.cli.bench.Result;
import dev.pounce.cli.bench.ServerMeter;
import dev.pounce.cli.bench.Workload;
import dev.pounce.runtime.AppLoadException;
import dev.pounce.runtime.AppReference;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.runtime.ServerStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code pounce bench [OPTIONS] [APP]}: starts the server in this JVM on a free loopback port with the built-in
 * {@link BenchApp} (or APP), drives it with the Netty load client of {@link dev.pounce.cli.bench}, and prints per
 * workload and protocol the requests per second, latency percentiles, errors, server CPU per request and peak RSS.
 * With {@code --against URL} it drives that server instead, and with {@code --compare} both, with their ratios.
 * The server flags ({@code --workers}, {@code --dispatch}, ...) are the same as {@code pounce}'s.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionText.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "pounce bench [BENCH OPTIONS] [SERVER OPTIONS] [APP]",
        description = {
                "Benchmark Pounce: serve the built-in bench app (GET /plaintext, GET /json, POST /echo with 1 KiB, "
                        + "GET /stream of 16 KiB in 16 sends), or APP, on a free loopback port of this JVM, load it "
                        + "with the built-in Netty client, and print per workload and protocol: requests/s, latency "
                        + "p50/p90/p99/p99.9/max, errors, server CPU per request and peak RSS.",
                "With --against URL the same paths under URL are asked of another server; add --compare to run "
                        + "both and print the other's figures over Pounce's. Access logging is off unless "
                        + "--access-log is given; the port is 0 and the host 127.0.0.1 unless given."})
final class BenchCommand {

    @Option(names = "--duration", paramLabel = "SECONDS", order = 0, converter = SecondsConverter.class,
            description = "Measured time per workload and protocol (default: 5).")
    Duration duration = Duration.ofSeconds(5);

    @Option(names = "--warmup", paramLabel = "SECONDS", order = 0, converter = SecondsConverter.class,
            description = "Unmeasured load before each measurement, 0 for none; the JIT compiles the hot path "
                    + "meanwhile (default: 2).")
    Duration warmup = Duration.ofSeconds(2);

    @Option(names = "--connections", paramLabel = "N", order = 0,
            description = "Connections, 1 to 10000; with h1-close, requests at once (default: 16).")
    int connections = 16;

    @Option(names = "--streams", paramLabel = "N", order = 0,
            description = "h2c: requests at once on each connection, 1 to 1000 (default: 8).")
    int streams = 8;

    @Option(names = "--rate", paramLabel = "REQUESTS_PER_SECOND", order = 0,
            description = "Send at this fixed rate over all connections instead of one request after another; "
                    + "latency counts from when each request was due, so a stall shows in every request that "
                    + "waited behind it (no coordinated omission) (default: closed loop).")
    double rate;

    @Option(names = "--workloads", paramLabel = "LIST", split = ",", order = 0,
            description = "Which, comma-separated: plaintext, json, echo, stream (default: all four).")
    List<String> workloads = List.of("plaintext", "json", "echo", "stream");

    @Option(names = "--protocols", paramLabel = "LIST", split = ",", order = 0,
            description = "How, comma-separated: h1 (HTTP/1.1 keep-alive), h1-close (a new connection per request), "
                    + "h2c (HTTP/2 with prior knowledge) (default: h1).")
    List<String> protocols = List.of("h1");

    @Option(names = "--client-threads", paramLabel = "N", order = 0,
            description = "Event loops of the load client, 1 to 256 (default: 1).")
    int clientThreads = 1;

    @Option(names = "--against", paramLabel = "URL", order = 0,
            description = "Load this server instead (http://host:port[/base]); the workloads' paths are appended.")
    String against;

    @Option(names = "--compare", order = 0,
            description = "With --against: run Pounce first, then the other server, and print the ratios.")
    boolean compare;

    @Option(names = "--server-pid", paramLabel = "PID", order = 0,
            description = "With --against: the other server's process, for its CPU per request and peak RSS.")
    Long serverPid;

    @Option(names = "--output-format", paramLabel = "FORMAT", order = 0,
            description = "text (a table) or json (one object, for scripts) (default: text).")
    PounceCommand.Info.Format outputFormat = PounceCommand.Info.Format.text;

    @Option(names = "--report", paramLabel = "FILE", order = 0,
            description = "Also write a self-contained HTML page with a latency percentile curve per run.")
    Path report;

    @Mixin
    ServeOptions options;

    /** A value out of range, named by its flag: exit status 2 as for a parse error. */
    static final class BadValue extends Exception {
        BadValue(String message) {
            super(message);
        }
    }

    /**
     * Sets the defaults that differ from {@code pounce}'s where the user gave none: a free port on the loopback
     * address, and no access log (a line per request would measure the terminal).
     *
     * @param parsed the parse of the bench subcommand
     */
    void benchDefaults(ParseResult parsed) {
        if (!parsed.hasMatchedOption("--port")) {
            options.port = 0;
        }
        if (!parsed.hasMatchedOption("--host")) {
            options.host = "127.0.0.1";
        }
        if (options.accessLog == null) {
            options.accessLog = false;
        }
    }

    /**
     * @return the settings, checked
     * @throws BadValue naming the first flag out of range
     */
    BenchSettings settings() throws BadValue {
        check(connections >= 1 && connections <= 10_000, "--connections must be 1 to 10000, got " + connections);
        check(streams >= 1 && streams <= 1000, "--streams must be 1 to 1000, got " + streams);
        check(clientThreads >= 1 && clientThreads <= 256,
                "--client-threads must be 1 to 256, got " + clientThreads);
        check(!duration.isNegative() && !duration.isZero() && duration.compareTo(Duration.ofHours(24)) <= 0,
                "--duration must be more than 0 and at most 86400 seconds, got " + SecondsConverter.format(duration));
        check(!warmup.isNegative() && warmup.compareTo(Duration.ofHours(24)) <= 0,
                "--warmup must be 0 to 86400 seconds, got " + SecondsConverter.format(warmup));
        check(rate >= 0 && rate <= 10_000_000 && Double.isFinite(rate),
                "--rate must be 0 (closed loop) to 10000000 requests per second, got " + rate);
        List<Workload> w = new ArrayList<>();
        for (String id : workloads) {
            w.add(Workload.of(id).orElseThrow(() -> new BadValue(
                    "--workloads: unknown workload '" + id + "'; choose from plaintext, json, echo, stream")));
        }
        List<Protocol> p = new ArrayList<>();
        for (String id : protocols) {
            p.add(Protocol.of(id).orElseThrow(() -> new BadValue(
                    "--protocols: unknown protocol '" + id + "'; choose from h1, h1-close, h2c")));
        }
        check(against != null || !compare, "--compare needs --against URL");
        check(against != null || serverPid == null, "--server-pid needs --against URL");
        return new BenchSettings(w.stream().distinct().toList(), p.stream().distinct().toList(), connections,
                streams, rate, warmup.toNanos(), duration.toNanos(), clientThreads);
    }

    /**
     * @return the server named by {@code --against}
     * @throws BadValue if it is not an http URL with a host
     */
    LoadClient.Target againstTarget() throws BadValue {
        try {
            URI uri = new URI(against.strip());
            check("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null,
                    "--against must be an http:// URL with a host, such as http://127.0.0.1:8080, got '" + against
                            + "' (the load client speaks cleartext only)");
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            return new LoadClient.Target(host, uri.getPort() < 0 ? 80 : uri.getPort(),
                    path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        } catch (URISyntaxException e) {
            throw new BadValue("--against is not a URL: " + e.getMessage());
        }
    }

    private static void check(boolean ok, String message) throws BadValue {
        if (!ok) {
            throw new BadValue(message);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param config the server's configuration, from the shared flags
     * @param out    where the table or JSON goes
     * @param err    where errors go
     * @return the exit status: 0, 1 when the server cannot start or no request of a run succeeded, 2 for a bad value
     */
    int run(ServerConfig config, PrintStream out, PrintStream err) {
        BenchSettings settings;
        LoadClient.Target other;
        try {
            settings = settings();
            other = against == null ? null : againstTarget();
        } catch (BadValue e) {
            err.println("pounce: " + e.getMessage());
            return 2;
        }
        // The progress line only where a person watches; a pipe or a file gets the results alone.
        var console = System.console();
        PrintStream progress = console != null && console.isTerminal() ? err : null;
        List<Result> results = new ArrayList<>();
        var title = new StringBuilder("pounce bench: ");
        try {
            if (other == null || compare) {
                var reference = options.appSpec().isPresent() ? AppReference.of(options.appSpec())
                        : AppReference.parse(BenchApp.class.getName());
                try (ServerHandle server = Server.builder(reference, config).start()) {
                    var address = server.tcpAddress().orElseThrow(() -> new ServerStartException(
                            "pounce bench needs a TCP port, not --uds"));
                    var target = new LoadClient.Target(address.getAddress().getHostAddress(), address.getPort(), "");
                    // Process workers' CPU time and memory are not this JVM's: shown as unknown rather than wrong.
                    ServerMeter meter = config.workerStrategy().equals("process") ? null : ServerMeter.ofThisProcess();
                    // Host and port without a scheme: the HTML report names no URL a browser could follow.
                    title.append("pounce ").append(options.appSpec().orElse("bench app")).append(" on ")
                            .append(target.authority()).append(" (workers ").append(config.workers())
                            .append(", dispatch ").append(config.dispatch()).append(')');
                    results.addAll(BenchRunner.run("pounce", target, meter, settings, progress));
                }
            }
            if (other != null) {
                title.append(compare ? " against " : "").append(against.strip());
                ServerMeter meter = serverPid == null ? null : new ServerMeter(serverPid, false);
                results.addAll(BenchRunner.run("against", other, meter, settings, progress));
            }
        } catch (AppLoadException | ServerStartException e) {
            err.println("pounce: " + UsageErrors.oneLine(e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pounce: bench interrupted");
            return 1;
        }
        title.append(String.format(Locale.ROOT, "; %d connections%s, %s s after %s s warm-up, %s, %d client thread%s",
                settings.connections(),
                settings.protocols().contains(Protocol.H2C) ? " (h2c: " + settings.streams() + " streams each)" : "",
                SecondsConverter.format(duration), SecondsConverter.format(warmup),
                rate > 0 ? "fixed rate " + rateText() : "closed loop",
                clientThreads, clientThreads == 1 ? "" : "s"));
        var report = new BenchReport(title.toString(), settings, results);
        out.print(outputFormat == PounceCommand.Info.Format.json ? report.json() : report.text());
        out.flush();
        if (this.report != null) {
            try {
                Files.writeString(this.report, HtmlReport.html(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("pounce: --report: cannot write " + this.report + ": " + e.getMessage());
                return 1;
            }
        }
        Optional<Result> silent = results.stream().filter(r -> r.outcome().requests() == 0).findFirst();
        if (silent.isPresent()) {
            Result r = silent.get();
            err.println("pounce: bench: no request of " + r.workload().id() + " over " + r.protocol().id() + " to "
                    + r.server() + " succeeded (" + r.outcome().errors() + " errors)");
            return 1;
        }
        return 0;
    }

    private String rateText() {
        return String.format(Locale.ROOT, "%,.0f req/s", rate);
    }
}
