package dev.pounce.runtime.internal;

import dev.pounce.runtime.internal.plugins.EnabledProtocols;
import dev.pounce.runtime.internal.plugins.Plugins;
import dev.pounce.api.ConfigException;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.bridge.AltSvc;
import dev.pounce.runtime.internal.failure.StartFailure;
import dev.pounce.runtime.internal.tls.ServerTls;
import dev.pounce.runtime.internal.transport.Transport;
import dev.pounce.spi.ConnectionPreamble;
import dev.pounce.api.Middleware;
import dev.pounce.spi.DatagramProtocol;
import dev.pounce.spi.MiddlewareProvider;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.WorkerStrategy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything the server checks before it binds a socket or runs the app, each failure one line naming the flag at
 * fault: the plugins' settings, the protocols enabled, TLS, the worker strategy, the transport and the address. Used
 * by the start and by {@code pounce check}.
 *
 * @param config    the configuration, every plugin section built
 * @param protocols what the configuration enables
 * @param tls       the TLS set-up, loaded once, when TLS is on
 * @param strategy  the worker strategy, empty for one worker (no supervisor)
 * @param transport the socket transport
 * @param preambles the preambles, each configured
 * @param middleware the server's middleware that its settings switch on, outermost first
 */
public record Preflight(ServerConfig config, EnabledProtocols protocols, Optional<ServerTls> tls,
                        Optional<WorkerStrategy> strategy, Transport transport, List<ConnectionPreamble> preambles,
                        List<Middleware> middleware) {

    /**
     * Runs every check.
     *
     * @param given   the configuration as given
     * @param plugins the plugins found
     * @return what the server will run with
     * @throws StartFailure naming the first problem
     */
    public static Preflight check(ServerConfig given, Plugins plugins) throws StartFailure {
        return check(given, plugins, true);
    }

    /**
     * The checks a process worker runs in its child JVM: the same, but for the address (its parent holds the port)
     * and the strategy (it is one worker).
     *
     * @param given   the configuration the parent sent
     * @param plugins the child's plugins
     * @return what the worker will run with
     * @throws StartFailure naming the first problem
     */
    public static Preflight forChild(ServerConfig given, Plugins plugins) throws StartFailure {
        return check(given, plugins, false);
    }

    private static Preflight check(ServerConfig given, Plugins plugins, boolean server) throws StartFailure {
        ServerConfig config;
        try {
            config = given.withSections(plugins.sections());
        } catch (ConfigException e) {
            throw new StartFailure(e.getMessage(), e);
        }
        EnabledProtocols enabled = EnabledProtocols.of(config, plugins);
        if (enabled.stream().isEmpty()) {
            throw new StartFailure("no protocol plugin on the module path is enabled"
                    + (plugins.protocols().isEmpty() ? "" : " (found and switched off: " + String.join(", ",
                    plugins.protocols().stream().map(p -> p.name()).toList()) + ")")
                    + ": add a protocol plugin's jar, such as pounce-h1 (module dev.pounce.h1) for HTTP/1.1");
        }
        // A protocol switched on that cannot run here (a native library that does not load) stops the start, with
        // its own line; one switched off is never asked, so its library is never touched.
        for (ProtocolHandler p : Stream.concat(enabled.stream().stream(), enabled.datagram().stream()).toList()) {
            Optional<String> why;
            try {
                why = p.unavailable();
            } catch (RuntimeException | LinkageError e) {
                why = Optional.of(p.name() + " cannot run here: " + e);
            }
            if (why.isPresent()) {
                throw new StartFailure(why.get());
            }
        }
        for (DatagramProtocol d : enabled.datagram()) {
            if (config.uds().isPresent()) {
                throw new StartFailure(d.name() + " runs on UDP and cannot serve a Unix domain socket (--uds)");
            }
            if (!config.tls().enabled() && !d.cleartextAllowed()) {
                throw new StartFailure(d.name() + " needs TLS: give --ssl-certfile and --ssl-keyfile");
            }
        }
        Optional<ServerTls> tls = config.tls().enabled()
                ? Optional.of(ServerTls.load(config, enabled.alpn())) : Optional.empty();
        Optional<WorkerStrategy> strategy = server ? strategy(config, plugins) : Optional.empty();
        Transport transport = transport(config);
        if (strategy.isPresent() && !strategy.get().servesInThisJvm() && !transport.passesSockets()) {
            throw new StartFailure("--worker-strategy " + strategy.get().name() + " hands the listening sockets "
                    + "to its child processes, which needs the epoll transport; the " + transport.name()
                    + " transport is in use (--transport)");
        }
        List<ConnectionPreamble> preambles = plugins.preambles().stream().map(p -> p.configure(config)).toList();
        List<Middleware> middleware = middleware(config, plugins);
        if (server) {
            checkAddressFree(config);
        }
        return new Preflight(config, enabled, tls, strategy, transport, preambles, middleware);
    }

    /**
     * The advertisements of the protocols that make one, asked once the port is known.
     *
     * @param port the port the server listens on
     * @return the Alt-Svc values, each with its protocol
     */
    public AltSvc altSvc(int port) {
        if (config.uds().isPresent()) {
            return AltSvc.NONE;
        }
        List<AltSvc.Advert> adverts = new ArrayList<>();
        Stream.concat(protocols.stream().stream(), protocols.datagram().stream())
                .forEach(p -> p.altSvc(config, port).ifPresent(v -> adverts.add(new AltSvc.Advert(p.name(), v))));
        return new AltSvc(adverts);
    }

    private static Optional<WorkerStrategy> strategy(ServerConfig config, Plugins plugins) throws StartFailure {
        String name = config.workerStrategy().equals("auto") ? "thread" : config.workerStrategy();
        Optional<WorkerStrategy> found = plugins.strategy(name);
        if (found.isEmpty()) {
            String known = String.join(", ", plugins.strategies().stream().map(WorkerStrategy::name).toList());
            // A plugin asked for by name that failed to load is fatal, and the reason is the skipped plugin's.
            throw new StartFailure("unknown worker strategy '" + config.workerStrategy()
                    + "' (--worker-strategy); available: auto, " + known
                    + (plugins.broken().isEmpty() ? "" : "; plugins skipped: " + String.join("; ", plugins.broken())));
        }
        // One worker runs without a strategy or a supervisor, whatever was asked.
        return config.resolvedWorkers() == 1 ? Optional.empty() : found;
    }

    /**
     * Asks each middleware provider, outermost first ({@link MiddlewareProvider#order()}, then name), whether its
     * settings switch it on.
     */
    private static List<Middleware> middleware(ServerConfig config, Plugins plugins) throws StartFailure {
        List<MiddlewareProvider> providers = new ArrayList<>(plugins.middleware());
        providers.sort(Comparator.comparingInt(MiddlewareProvider::order).thenComparing(MiddlewareProvider::name));
        List<Middleware> out = new ArrayList<>();
        for (MiddlewareProvider p : providers) {
            try {
                p.create(config).ifPresent(out::add);
            } catch (ConfigException e) {
                throw new StartFailure(e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new StartFailure("middleware " + p.name() + " (" + p.getClass().getName()
                        + ") failed to start: " + e, e);
            }
        }
        return List.copyOf(out);
    }

    private static Transport transport(ServerConfig config) throws StartFailure {
        try {
            return Transport.select(config.transport());
        } catch (IllegalStateException e) {
            throw new StartFailure(e.getMessage(), e);
        }
    }

    /**
     * Binds the address once without {@code SO_REUSEPORT} and lets it go, so a port held by anyone (another Pounce
     * included, whose workers share it with each other) is reported before lifespan startup runs.
     */
    private static void checkAddressFree(ServerConfig config) throws StartFailure {
        if (config.uds().isPresent()) {
            checkSocketPath(config.uds().get());
            return;
        }
        if (config.port() == 0) {
            return;
        }
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (BindException e) {
            throw new StartFailure("port " + config.port() + " is in use on " + config.host()
                    + " (--port); stop what holds it or pick another port");
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new StartFailure("cannot listen on " + config.host() + ":" + config.port()
                    + " (--host, --port): " + e.getMessage());
        }
    }

    /** A socket file nobody answers on is stale and removed; a live one means another server holds the path. */
    private static void checkSocketPath(Path path) throws StartFailure {
        if (!Files.exists(path)) {
            return;
        }
        if (Files.isRegularFile(path) || Files.isDirectory(path)) {
            throw new StartFailure("--uds " + path + " exists and is not a socket");
        }
        try (var probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new StartFailure("--uds " + path + " is in use by a running server");
        } catch (IOException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ex) {
                throw new StartFailure("--uds " + path + " is stale and cannot be removed: " + ex.getMessage());
            }
        }
    }
}
