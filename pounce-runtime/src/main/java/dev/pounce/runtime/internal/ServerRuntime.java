package dev.pounce.runtime.internal;

import dev.pounce.api.App;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.LifecycleListener;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.runtime.ServerStartException;
import dev.pounce.runtime.internal.bridge.LifespanRunner;
import dev.pounce.runtime.internal.lifecycle.Effect;
import dev.pounce.runtime.internal.lifecycle.Lifecycle;
import dev.pounce.runtime.internal.lifecycle.ServerMessage;
import dev.pounce.runtime.internal.lifecycle.ServerState;
import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.runtime.internal.transport.Transport;
import dev.pounce.runtime.internal.worker.BindTarget;
import dev.pounce.runtime.internal.worker.EventLoopWorker;
import dev.pounce.runtime.internal.worker.SharedAcceptor;
import dev.pounce.runtime.internal.worker.WorkerServices;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.TransportKind;
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

/**
 * A running server: starts everything in order (plugins, transport, port check, lifespan startup, workers), then
 * runs the lifecycle driver thread ({@code pounce-lifecycle}), which feeds messages (signals, API calls, effect
 * results) through {@link Lifecycle#update} and carries out the effects.
 */
public final class ServerRuntime implements ServerHandle {

    private static final Logger LOG = LoggerFactory.getLogger("pounce");
    private static final String VERSION = Optional.ofNullable(ServerRuntime.class.getModule().getDescriptor())
            .flatMap(d -> d.rawVersion()).orElse("dev");

    private final ServerConfig config;
    private final LifespanRunner lifespan;
    private final EventBus events;
    private final LinkedBlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode = -1;
    private WorkerGroup workers;
    private Optional<SharedAcceptor> acceptor = Optional.empty();
    private BindTarget target;
    private ServerState state = new ServerState.Starting();

    private ServerRuntime(ServerConfig config, LifespanRunner lifespan, EventBus events) {
        this.config = config;
        this.lifespan = lifespan;
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
     * @throws ServerStartException naming the first problem
     */
    public static void preflight(ServerConfig config, Plugins plugins) throws ServerStartException {
        streamProtocols(plugins);
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
     * @throws ServerStartException with a one-line reason
     */
    public static ServerHandle start(App app, ServerConfig config, Plugins plugins, List<LifecycleListener> extra)
            throws ServerStartException {
        plugins.log();
        List<ProtocolHandler> protocols = streamProtocols(plugins);
        Optional<WorkerStrategy> strategy = strategyFor(config, plugins);
        Transport transport = transportFor(config);
        checkAddressFree(config);

        List<LifecycleListener> listeners = new ArrayList<>(plugins.listeners());
        listeners.addAll(extra);
        Map<String, Object> state = new ConcurrentHashMap<>();
        var runtime = new ServerRuntime(config, new LifespanRunner(app, state), new EventBus(listeners));
        runtime.startLifespan();

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
            var services = new WorkerServices(config, app, state, transport, runtime.target, protocols,
                    plugins.upgrades(), runtime.events, runtime.acceptor, count > 1);
            runtime.workers = runtime.startWorkers(services, strategy, count);
        } catch (BindException e) {
            runtime.abortStart();
            throw new ServerStartException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.abortStart();
            throw new ServerStartException("interrupted while starting", e);
        } catch (Exception e) {
            runtime.abortStart();
            throw new ServerStartException("workers could not start: " + e, e);
        }
        runtime.announce(protocols, strategy, transport, count);
        CompletableFuture.allOf(runtime.workers.workers().stream().map(Worker::terminated)
                        .toArray(CompletableFuture[]::new))
                .thenRun(() -> runtime.post(new ServerMessage.WorkersExited()));
        runtime.post(new ServerMessage.Started());
        Threads.control("lifecycle", runtime::drive);
        return runtime;
    }

    /**
     * Handles SIGTERM and SIGINT for a started server and waits for it to stop.
     *
     * @param handle the server
     * @return its exit status
     */
    public static int run(ServerHandle handle) {
        if (handle instanceof ServerRuntime runtime) {
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

    private static List<ProtocolHandler> streamProtocols(Plugins plugins) throws ServerStartException {
        List<ProtocolHandler> stream = plugins.protocols().stream()
                .filter(p -> p.transport() == TransportKind.STREAM).toList();
        if (stream.isEmpty()) {
            throw new ServerStartException("no protocol plugin on the module path: add the pounce-h1 jar "
                    + "(module dev.pounce.h1) to serve HTTP/1.1");
        }
        return stream;
    }

    private static Optional<WorkerStrategy> strategyFor(ServerConfig config, Plugins plugins)
            throws ServerStartException {
        String name = config.workerStrategy().equals("auto") ? "thread" : config.workerStrategy();
        Optional<WorkerStrategy> found = plugins.strategy(name);
        if (found.isEmpty()) {
            String known = String.join(", ", plugins.strategies().stream().map(WorkerStrategy::name).toList());
            throw new ServerStartException("unknown worker strategy '" + config.workerStrategy()
                    + "' (--worker-strategy); available: auto, " + known);
        }
        // One worker runs without a strategy or a supervisor, whatever was asked.
        return config.resolvedWorkers() == 1 ? Optional.empty() : found;
    }

    private static Transport transportFor(ServerConfig config) throws ServerStartException {
        try {
            return Transport.select(config.transport());
        } catch (IllegalStateException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
    }

    /**
     * Binds the address once without {@code SO_REUSEPORT} and lets it go, so a port held by anyone (another Pounce
     * included, whose workers share it with each other) is reported before lifespan startup runs.
     */
    private static void checkAddressFree(ServerConfig config) throws ServerStartException {
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
            throw new ServerStartException("port " + config.port() + " is in use on " + config.host()
                    + " (--port); stop what holds it or pick another port");
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new ServerStartException("cannot listen on " + config.host() + ":" + config.port()
                    + " (--host, --port): " + e.getMessage());
        }
    }

    /** A socket file nobody answers on is stale and removed; a live one means another server holds the path. */
    private static void checkSocketPath(Path path) throws ServerStartException {
        if (!Files.exists(path)) {
            return;
        }
        if (Files.isRegularFile(path) || Files.isDirectory(path)) {
            throw new ServerStartException("--uds " + path + " exists and is not a socket");
        }
        try (var probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new ServerStartException("--uds " + path + " is in use by a running server");
        } catch (IOException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ex) {
                throw new ServerStartException("--uds " + path + " is stale and cannot be removed: " + ex.getMessage());
            }
        }
    }

    private void startLifespan() throws ServerStartException {
        try {
            switch (lifespan.startup(config.timeouts().startup())) {
                case LifespanRunner.Outcome.Started s -> LOG.debug("lifespan startup complete");
                case LifespanRunner.Outcome.Unsupported u ->
                        LOG.debug("the app does not handle lifespan; serving without it ({})", u.why());
                case LifespanRunner.Outcome.Failed f ->
                        throw new ServerStartException("lifespan startup failed: " + f.message());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException("interrupted during lifespan startup", e);
        }
    }

    private WorkerGroup startWorkers(WorkerServices services, Optional<WorkerStrategy> strategy, int count)
            throws Exception {
        if (strategy.isEmpty()) {
            Worker single = new EventLoopWorker(new WorkerIdentity(0, 0), services);
            single.start();
            return () -> List.of(single);
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
            public Worker newWorker(int slot, int generation) {
                return new EventLoopWorker(new WorkerIdentity(slot, generation), services);
            }

            @Override
            public void publish(LifecycleEvent event) {
                events.publish(event);
            }
        });
    }

    private void abortStart() {
        acceptor.ifPresent(SharedAcceptor::close);
        try {
            lifespan.shutdown(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteSocketFile();
    }

    private void announce(List<ProtocolHandler> protocols, Optional<WorkerStrategy> strategy, Transport transport,
                          int count) {
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
                int open = workers.workers().stream().mapToInt(Worker::activeConnections).sum();
                LOG.info("shutting down ({}): waiting up to {} s for {} open connection{}", d.reason(),
                        timeout.toMillis() / 1000.0, open, open == 1 ? "" : "s");
                events.publish(new LifecycleEvent.DrainStarted(d.reason(), timeout));
                Threads.control("drain", () -> drain(d.reason(), timeout));
            }
            case Effect.StopWorkersNow s -> {
                LOG.warn("stopping at once");
                acceptor.ifPresent(SharedAcceptor::close);
                workers.stop();
            }
            case Effect.RunLifespanShutdown r -> Threads.control("lifespan-shutdown", () -> {
                try {
                    Duration bound = config.timeouts().gracefulShutdown();
                    lifespan.shutdown(bound.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : bound);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                post(new ServerMessage.LifespanFinished());
            });
            case Effect.Finish f -> {
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
        workers.drain(reason);
        boolean graceful;
        try {
            graceful = workers.awaitTermination(timeout);
            if (!graceful) {
                int open = workers.workers().stream().mapToInt(Worker::activeConnections).sum();
                LOG.warn("{} connection{} still open after {} s (--timeout-graceful-shutdown); closing them", open,
                        open == 1 ? "" : "s", timeout.toMillis() / 1000.0);
                workers.stop();
                workers.awaitTermination(Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            graceful = false;
        }
        post(new ServerMessage.WorkersStopped(graceful));
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

    // ---- ServerHandle ----

    @Override
    public List<String> addresses() {
        if (config.uds().isPresent()) {
            return List.of("unix:" + config.uds().get());
        }
        InetSocketAddress a = target.tcp();
        String host = a.getHostString();
        return List.of("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    @Override
    public Optional<InetSocketAddress> tcpAddress() {
        return config.uds().isPresent() ? Optional.empty() : Optional.of(target.tcp());
    }

    @Override
    public void shutdown() {
        post(new ServerMessage.ShutdownRequested("shutdown"));
    }

    @Override
    public void stopNow() {
        post(new ServerMessage.StopNow());
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public int exitCode() {
        return exitCode;
    }

    @Override
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
