package dev.pounce.runtime.internal;

import dev.pounce.api.App;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.LifecycleListener;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.failure.StartFailure;
import dev.pounce.runtime.internal.bridge.LifespanRunner;
import dev.pounce.runtime.internal.lifecycle.Effect;
import dev.pounce.runtime.internal.lifecycle.Lifecycle;
import dev.pounce.runtime.internal.lifecycle.ServerMessage;
import dev.pounce.runtime.internal.lifecycle.ServerState;
import dev.pounce.runtime.internal.app.AppLoader;
import dev.pounce.runtime.internal.app.FreshAppLoader;
import dev.pounce.runtime.internal.failure.AppLoadFailure;
import dev.pounce.runtime.internal.supervisor.ReloadWatcher;
import dev.pounce.runtime.internal.supervisor.Supervisor;
import dev.pounce.runtime.internal.supervisor.WorkerSlots;
import dev.pounce.runtime.internal.threads.AppThreads;
import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.runtime.internal.tls.ServerTls;
import dev.pounce.runtime.internal.transport.Transport;
import dev.pounce.runtime.internal.worker.BindTarget;
import dev.pounce.runtime.internal.worker.EventLoopWorker;
import dev.pounce.runtime.internal.worker.SharedAcceptor;
import dev.pounce.runtime.internal.worker.WorkerServices;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.Worker;
import dev.pounce.spi.WorkerContext;
import dev.pounce.spi.WorkerGroup;
import dev.pounce.spi.WorkerStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running server: starts everything in order (plugins, transport, port check, lifespan startup, workers), then
 * runs the lifecycle driver thread ({@code pounce-lifecycle}), which feeds messages (signals, API calls, effect
 * results) through {@link Lifecycle#update} and carries out the effects.
 */
public final class ServerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger("pounce");
    private static final String VERSION = Optional.ofNullable(ServerRuntime.class.getModule().getDescriptor())
            .flatMap(d -> d.rawVersion()).orElse("dev");

    private final ServerConfig config;
    private final EventBus events;
    /** What in-JVM workers serve now; a reload swaps it. Empty app services for process workers. */
    private final AtomicReference<RollingReload.AppGeneration> generation = new AtomicReference<>();
    private final LinkedBlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode = -1;
    private WorkerSlots slots;
    private Optional<Supervisor> supervisor = Optional.empty();
    private Optional<ReloadWatcher> watcher = Optional.empty();
    private Optional<java.net.Socket> portReservation = Optional.empty();
    private RollingReload reloads;
    private Optional<SharedAcceptor> acceptor = Optional.empty();
    private BindTarget target;
    private ServerState state = new ServerState.Starting();

    private ServerRuntime(ServerConfig config, EventBus events) {
        this.config = config;
        this.events = events;
    }

    /** @return the runtime's version, from its module descriptor */
    public static String version() {
        return VERSION;
    }

    /**
     * Checks plugins, worker strategy, transport and the port, without serving.
     *
     * @param config  the configuration
     * @param plugins the plugins found
     * @throws StartFailure naming the first problem
     */
    public static void preflight(ServerConfig config, Plugins plugins) throws StartFailure {
        EnabledProtocols enabled = EnabledProtocols.of(config, plugins);
        streamProtocols(config, enabled);
        tlsFor(config, enabled);
        strategyFor(config, plugins);
        transportFor(config);
        checkAddressFree(config);
    }

    /**
     * Starts a server and returns once every worker serves.
     *
     * @param app       the app
     * @param config    the frozen config
     * @param plugins   the plugins found
     * @param extra     listeners registered in code
     * @return the running server
     * @throws StartFailure with a one-line reason
     */
    public static ServerRuntime start(App app, ServerConfig config, Plugins plugins, List<LifecycleListener> extra)
            throws StartFailure {
        return start(Optional.of(app), Optional.empty(), config, plugins, extra, Optional.empty());
    }

    /**
     * Starts a server and returns once every worker serves.
     *
     * @param app        the app as an object, if it was given one
     * @param reference  the APP spec ("" for the one provider), if the app was given by name
     * @param given      the frozen config
     * @param plugins    the plugins found
     * @param extra      listeners registered in code
     * @param reloadDirs with {@code --reload}: folders to watch besides the app's own code
     * @return the running server
     * @throws StartFailure with a one-line reason
     */
    public static ServerRuntime start(Optional<App> app, Optional<String> reference, ServerConfig given,
                                     Plugins plugins, List<LifecycleListener> extra,
                                     Optional<List<Path>> reloadDirs) throws StartFailure {
        ServerConfig config = given;
        plugins.log();
        EnabledProtocols enabled = EnabledProtocols.of(config, plugins);
        List<ProtocolHandler> protocols = streamProtocols(config, enabled);
        Optional<ServerTls> tls = tlsFor(config, enabled);
        Optional<WorkerStrategy> strategy = strategyFor(config, plugins);
        Transport transport = transportFor(config);
        checkAddressFree(config);
        boolean inJvm = strategy.map(WorkerStrategy::servesInThisJvm).orElse(true);
        // Workers in other JVMs bind the port themselves: port 0 must be one port for all of them.
        Optional<java.net.Socket> reservation = Optional.empty();
        if (!inJvm && config.port() == 0 && config.uds().isEmpty()) {
            reservation = Optional.of(reservePort(config));
            config = config.toBuilder().port(reservation.get().getLocalPort()).build();
        }
        App served = null;
        if (inJvm) {
            try {
                served = app.isPresent() ? app.get()
                        : AppLoader.forCurrentThread().load(reference.filter(r -> !r.isEmpty())).app();
            } catch (AppLoadFailure e) {
                throw new StartFailure(e.getMessage(), e);
            }
        }

        List<LifecycleListener> listeners = new ArrayList<>(plugins.listeners());
        listeners.addAll(extra);
        Map<String, Object> state = new ConcurrentHashMap<>();
        var runtime = new ServerRuntime(config, new EventBus(listeners));
        runtime.portReservation = reservation;
        LifespanRunner lifespan = new LifespanRunner(served, state);
        runtime.generation.set(new RollingReload.AppGeneration(null, lifespan));
        if (inJvm) {
            runtime.startLifespan();
        }

        int count = config.resolvedWorkers();
        runtime.target = new BindTarget(config.host(), config.port(), config.uds());
        boolean shared = count > 1 && (config.uds().isPresent() || !config.reusePort()
                || transport.reusePort().isEmpty());
        try {
            if (shared) {
                var a = new SharedAcceptor(config, transport, runtime.target);
                a.bind();
                runtime.acceptor = Optional.of(a);
            }
            var services = new WorkerServices(config, served, state, transport, runtime.target, protocols,
                    enabled.upgrades(), runtime.events, runtime.acceptor, count > 1, tls, plugins.preambles());
            runtime.generation.set(new RollingReload.AppGeneration(services, lifespan));
            WorkerGroup group = runtime.startWorkers(strategy, count, reference);
            runtime.slots = new WorkerSlots(group, runtime.events, count > 1,
                    failed -> runtime.post(new ServerMessage.WorkersExited(failed)));
        } catch (BindException e) {
            runtime.abortStart();
            throw new StartFailure(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.abortStart();
            throw new StartFailure("interrupted while starting", e);
        } catch (Exception e) {
            runtime.abortStart();
            throw new StartFailure("workers could not start: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        runtime.reloads = new RollingReload(config, runtime.events, runtime.slots, runtime.generation, inJvm,
                reference, runtime::post);
        if (count > 1) {
            var s = new Supervisor(runtime.slots);
            s.start();
            runtime.supervisor = Optional.of(s);
        }
        if (reloadDirs.isPresent()) {
            List<Path> roots = new ArrayList<>(reloadDirs.get());
            FreshAppLoader.location(reference.filter(r -> !r.isEmpty())).ifPresent(roots::add);
            var w = new ReloadWatcher(roots, changed -> runtime.post(new ServerMessage.ReloadRequested(changed)));
            w.start();
            runtime.watcher = Optional.of(w);
        }
        runtime.announce(protocols, strategy, transport, count, tls);
        runtime.post(new ServerMessage.Started());
        Threads.control("lifecycle", runtime::drive);
        return runtime;
    }

    /**
     * Handles SIGTERM and SIGINT for a started server and waits for it to stop.
     *
     * @param runtime the server
     * @return its exit status
     */
    public static int run(ServerRuntime runtime) {
        ServerRuntime handle = runtime;
        {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("HUP"),
                        sig -> runtime.post(new ServerMessage.ReloadRequested("SIGHUP")));
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIGHUP here: {}", e.getMessage());
            }
            for (String name : List.of("TERM", "INT")) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name),
                            sig -> runtime.post(new ServerMessage.Signal(sig.getName())));
                } catch (IllegalArgumentException e) {
                    LOG.debug("cannot handle SIG{} here: {}", name, e.getMessage());
                }
            }
        }
        try {
            handle.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.stopNow();
        }
        return handle.exitCode();
    }

    // ---- start-up steps ----

    private static List<ProtocolHandler> streamProtocols(ServerConfig config, EnabledProtocols enabled)
            throws StartFailure {
        List<ProtocolHandler> stream = enabled.stream();
        if (stream.isEmpty()) {
            throw new StartFailure("no protocol plugin on the module path: add the pounce-h1 jar "
                    + "(module dev.pounce.h1) to serve HTTP/1.1"
                    + (config.http2().enabled() ? "" : " (--no-http2 leaves out the HTTP/2 plugin)"));
        }
        return stream;
    }

    /** Loads the certificate, key and CA files once; every worker shares the context. */
    private static Optional<ServerTls> tlsFor(ServerConfig config, EnabledProtocols enabled)
            throws StartFailure {
        if (!config.tls().enabled()) {
            return Optional.empty();
        }
        return Optional.of(ServerTls.load(config, enabled.alpn()));
    }

    private static Optional<WorkerStrategy> strategyFor(ServerConfig config, Plugins plugins)
            throws StartFailure {
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

    private static Transport transportFor(ServerConfig config) throws StartFailure {
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

    private void startLifespan() throws StartFailure {
        try {
            switch (generation.get().lifespan().startup(config.timeouts().startup())) {
                case LifespanRunner.Outcome.Started s -> LOG.debug("lifespan startup complete");
                case LifespanRunner.Outcome.Unsupported u ->
                        LOG.debug("the app does not handle lifespan; serving without it ({})", u.why());
                case LifespanRunner.Outcome.Failed f ->
                        throw new StartFailure("lifespan startup failed: " + f.message());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailure("interrupted during lifespan startup", e);
        }
    }

    private WorkerGroup startWorkers(Optional<WorkerStrategy> strategy, int count, Optional<String> reference)
            throws Exception {
        if (strategy.isEmpty()) {
            Worker single = new EventLoopWorker(new WorkerIdentity(0, 0), generation.get().services());
            single.start();
            return new WorkerGroup() {
                @Override
                public List<Worker> workers() {
                    return List.of(single);
                }

                @Override
                public Worker newWorker(int slot, int next) {
                    return new EventLoopWorker(new WorkerIdentity(slot, next), generation.get().services());
                }
            };
        }
        return strategy.get().start(new WorkerContext() {
            @Override
            public ServerConfig config() {
                return config;
            }

            @Override
            public int workers() {
                return count;
            }

            @Override
            public Worker newWorker(int slot, int next) {
                return new EventLoopWorker(new WorkerIdentity(slot, next), generation.get().services());
            }

            @Override
            public Optional<String> appReference() {
                return reference;
            }

            @Override
            public void publish(LifecycleEvent event) {
                events.publish(event);
            }
        });
    }

    private void abortStart() {
        acceptor.ifPresent(SharedAcceptor::close);
        releasePort();
        try {
            generation.get().lifespan().shutdown(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteSocketFile();
    }

    private void announce(List<ProtocolHandler> protocols, Optional<WorkerStrategy> strategy, Transport transport,
                          int count, Optional<ServerTls> tls) {
        tls.ifPresent(t -> LOG.info("{}", t.describe(config.tls().clientAuth())));
        AppThreads.announce(config.dispatch());
        String mode = strategy.map(WorkerStrategy::name).orElse("single");
        LOG.info("Pounce {} serving on {} with {} worker{} ({}, {}); protocols: {}", VERSION,
                String.join(", ", addresses()), count, count == 1 ? "" : "s", mode, transport.name(),
                String.join(", ", protocols.stream().map(ProtocolHandler::name).toList()));
        events.publish(new LifecycleEvent.ServerStarted(addresses(), count, mode, transport.name()));
    }

    // ---- the lifecycle driver ----

    private void post(ServerMessage message) {
        inbox.add(message);
    }

    private void drive() {
        while (!(state instanceof ServerState.Stopped)) {
            ServerMessage message;
            try {
                message = inbox.take();
            } catch (InterruptedException e) {
                message = new ServerMessage.StopNow();
            }
            var transition = Lifecycle.update(state, message);
            LOG.debug("lifecycle {} + {} -> {}", state, message, transition.state());
            state = transition.state();
            for (Effect effect : transition.effects()) {
                run(effect);
            }
        }
    }

    private void run(Effect effect) {
        switch (effect) {
            case Effect.DrainWorkers d -> {
                var timeout = config.timeouts().gracefulShutdown();
                int open = slots.activeConnections();
                LOG.info("shutting down ({}): waiting up to {} s for {} open connection{}", d.reason(),
                        timeout.toMillis() / 1000.0, open, open == 1 ? "" : "s");
                events.publish(new LifecycleEvent.DrainStarted(d.reason(), timeout));
                Threads.control("drain", () -> drain(d.reason(), timeout));
            }
            case Effect.StopWorkersNow s -> {
                LOG.warn("stopping at once");
                acceptor.ifPresent(SharedAcceptor::close);
                slots.stop();
            }
            case Effect.StartReload r -> Threads.control("reload", () -> reloads.run(r.trigger()));
            case Effect.RunLifespanShutdown r -> Threads.control("lifespan-shutdown", () -> {
                try {
                    Duration bound = config.timeouts().gracefulShutdown();
                    generation.get().lifespan().shutdown(bound.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : bound);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                post(new ServerMessage.LifespanFinished());
            });
            case Effect.Finish f -> {
                supervisor.ifPresent(Supervisor::close);
                watcher.ifPresent(ReloadWatcher::close);
                releasePort();
                deleteSocketFile();
                events.publish(new LifecycleEvent.ServerStopped(f.graceful()));
                LOG.info("stopped{}", f.graceful() ? "" : " (not every request finished)");
                exitCode = f.exitCode();
                stopped.countDown();
            }
        }
    }

    private void drain(String reason, Duration timeout) {
        acceptor.ifPresent(SharedAcceptor::close);
        slots.drainForShutdown(reason);
        boolean graceful;
        try {
            graceful = slots.awaitTermination(timeout);
            if (!graceful) {
                int open = slots.activeConnections();
                LOG.warn("{} connection{} still open after {} s (--timeout-graceful-shutdown); closing them", open,
                        open == 1 ? "" : "s", timeout.toMillis() / 1000.0);
                slots.stop();
                // Child processes get SIGTERM, then SIGKILL after 2 s.
                slots.awaitTermination(Duration.ofSeconds(3));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            graceful = false;
        }
        post(new ServerMessage.WorkersStopped(graceful));
    }

    /**
     * Takes a free port for workers in other JVMs: a TCP socket bound with {@code SO_REUSEPORT} but never listening,
     * so the kernel sends it no connection, and no one else gets the port until the server stops.
     */
    private static java.net.Socket reservePort(ServerConfig config) throws StartFailure {
        var socket = new java.net.Socket();
        try {
            socket.setReuseAddress(true);
            socket.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            socket.bind(new InetSocketAddress(config.host(), 0));
            return socket;
        } catch (IOException | UnsupportedOperationException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing was reserved.
            }
            throw new StartFailure("cannot pick a free port on " + config.host() + " for worker processes ("
                    + "--port 0): " + e.getMessage());
        }
    }

    private void releasePort() {
        portReservation.ifPresent(s -> {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("cannot release the port reservation: {}", e.getMessage());
            }
        });
    }

    private void deleteSocketFile() {
        config.uds().ifPresent(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot remove socket file {}: {}", p, e.getMessage());
            }
        });
    }

    // ---- what the entry package's ServerHandle delegates to ----

    public List<String> addresses() {
        if (config.uds().isPresent()) {
            return List.of("unix:" + config.uds().get());
        }
        InetSocketAddress a = target.tcp();
        String host = a.getHostString();
        String scheme = config.tls().enabled() ? "https://" : "http://";
        return List.of(scheme + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    public Optional<InetSocketAddress> tcpAddress() {
        return config.uds().isPresent() ? Optional.empty() : Optional.of(target.tcp());
    }

    public void shutdown() {
        post(new ServerMessage.ShutdownRequested("shutdown"));
    }

    public void reload() {
        post(new ServerMessage.ReloadRequested("api"));
    }

    public void stopNow() {
        post(new ServerMessage.StopNow());
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    public int exitCode() {
        return exitCode;
    }

    public void close() {
        shutdown();
        try {
            awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopNow();
        }
    }
}
