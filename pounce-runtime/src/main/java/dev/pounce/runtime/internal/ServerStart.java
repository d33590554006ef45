package dev.pounce.runtime.internal;

import dev.pounce.runtime.internal.plugins.Plugins;
import dev.pounce.api.App;
import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.LifecycleListener;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.app.AppLoader;
import dev.pounce.runtime.internal.app.FreshAppLoader;
import dev.pounce.runtime.internal.bridge.LifespanRunner;
import dev.pounce.runtime.internal.bridge.Readiness;
import dev.pounce.runtime.internal.failure.AppLoadFailure;
import dev.pounce.runtime.internal.failure.StartFailure;
import dev.pounce.runtime.internal.lifecycle.ServerMessage;
import dev.pounce.runtime.internal.listen.ServerListener;
import dev.pounce.runtime.internal.listen.ServerSockets;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.metrics.MeteredContext;
import dev.pounce.runtime.internal.metrics.ServerMetrics;
import dev.pounce.runtime.internal.supervisor.ReloadWatcher;
import dev.pounce.runtime.internal.supervisor.Supervisor;
import dev.pounce.runtime.internal.supervisor.WorkerSlots;
import dev.pounce.runtime.internal.threads.AppThreads;
import dev.pounce.runtime.internal.worker.EventLoopWorker;
import dev.pounce.runtime.internal.worker.LateArrivals;
import dev.pounce.runtime.internal.worker.WorkerServices;
import dev.pounce.spi.DatagramProtocol;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.Worker;
import dev.pounce.spi.WorkerGroup;
import dev.pounce.spi.WorkerStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Assembles and starts a server, in order: preflight (settings, plugins, TLS, strategy, transport, address), the
 * app and its lifespan startup, the listening sockets, the workers, the supervisor and the reload watcher; then
 * announces it and starts the lifecycle driver. If a step fails, what the earlier steps took is given back and the
 * one-line reason is thrown.
 */
public final class ServerStart {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.SERVER);
    private static final String VERSION = Optional.ofNullable(ServerStart.class.getModule().getDescriptor())
            .flatMap(d -> d.rawVersion()).orElse("dev");

    private ServerStart() {
    }

    /** @return the runtime's version, from its module descriptor */
    public static String version() {
        return VERSION;
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
     * @param handleSignals whether the process's SIGTERM, SIGINT and SIGHUP are the server's (the {@code pounce}
     *                      command), installed before the server says it serves, so a signal sent on that line is
     *                      never the JVM's default exit
     * @return the running server
     * @throws StartFailure with a one-line reason
     */
    public static ServerRuntime start(Optional<App> app, Optional<String> reference, ServerConfig given,
                                     Plugins plugins, List<LifecycleListener> extra,
                                     Optional<List<Path>> reloadDirs, boolean handleSignals)
            throws StartFailure {
        plugins.log();
        Preflight plan = Preflight.check(given, plugins);
        boolean inJvm = plan.strategy().map(WorkerStrategy::servesInThisJvm).orElse(true);
        App served = inJvm ? load(app, reference) : null;
        List<LifecycleListener> listeners = new ArrayList<>(plugins.listeners());
        listeners.addAll(extra);
        var events = new EventBus(listeners);
        Map<String, Object> state = new ConcurrentHashMap<>();
        var lifespan = new LifespanRunner(served, state);
        if (inJvm) {
            startLifespan(lifespan, plan.config());
        }
        int count = plan.config().resolvedWorkers();
        ServerSockets sockets = null;
        try {
            sockets = ServerSockets.open(plan.config(), plan.transport(), count);
            if (!inJvm) {
                // Process workers: the parent keeps the UDP sockets too, so their reuseport group never changes.
                sockets.openDatagrams(plan.transport(), count, plan.protocols().datagram());
            }
        } catch (BindException | RuntimeException e) {
            abort(Optional.ofNullable(sockets), lifespan, plan.config());
            throw new StartFailure(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(Optional.ofNullable(sockets), lifespan, plan.config());
            throw new StartFailure("interrupted while binding", e);
        }
        // With port 0, workers in other JVMs and the Alt-Svc port must see the port the sockets got.
        ServerConfig config = sockets.tcpAddress().filter(a -> plan.config().port() == 0)
                .map(a -> plan.config().toBuilder().port(a.getPort()).build()).orElse(plan.config());
        var metrics = ServerMetrics.forServer(config, count);
        var services = new WorkerServices(config, served, state, plan.transport(), sockets, count, plan.protocols(),
                events, plan.tls(), plan.preambles(), plan.altSvc(config.port()), new Readiness(), metrics,
                plan.middleware());
        // The supervisor's and the reloads' events are counted on their way to the listeners.
        var counted = new CountingEvents(events, metrics);
        var generation = new AtomicReference<>(new RollingReload.AppGeneration(services, lifespan));
        var inbox = new Inbox();
        WorkerSlots slots;
        try {
            WorkerGroup group = startWorkers(plan.strategy(), count, reference, generation, events, config, sockets);
            slots = new WorkerSlots(group, counted, count > 1,
                    failed -> inbox.post(new ServerMessage.WorkersExited(failed)), sockets::retire);
        } catch (Exception e) {
            abort(Optional.of(sockets), lifespan, config);
            throw new StartFailure("workers could not start: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        var reloads = new RollingReload(config, counted, slots, generation, inJvm, reference, inbox::post);
        Optional<Supervisor> supervisor = Optional.empty();
        if (count > 1) {
            var s = new Supervisor(slots);
            s.start();
            supervisor = Optional.of(s);
        }
        Optional<ReloadWatcher> watcher = Optional.empty();
        if (reloadDirs.isPresent()) {
            List<Path> roots = new ArrayList<>(reloadDirs.get());
            FreshAppLoader.location(reference.filter(r -> !r.isEmpty())).ifPresent(roots::add);
            var w = new ReloadWatcher(roots, changed -> inbox.post(new ServerMessage.ReloadRequested(changed)));
            w.start();
            watcher = Optional.of(w);
        }
        var drain = new ShutdownDrain(sockets, new LateArrivals(services), slots);
        var driver = new LifecycleDriver(inbox, new LifecycleDriver.Parts(config, events, slots, sockets, drain,
                reloads, generation, supervisor, watcher));
        var runtime = new ServerRuntime(inbox, driver, addresses(config, sockets), sockets.tcpAddress());
        if (handleSignals) {
            // Before the "serving" line and ServerStarted: whoever waits for them may signal at once. A signal
            // that comes before the driver runs waits in the inbox, and the lifecycle drains from Starting too.
            SignalHandlers.install(inbox);
        }
        announce(plan, config, events, runtime.addresses(), count);
        driver.start();
        return runtime;
    }

    private static App load(Optional<App> app, Optional<String> reference) throws StartFailure {
        if (app.isPresent()) {
            return app.get();
        }
        try {
            return AppLoader.forCurrentThread().load(reference.filter(r -> !r.isEmpty())).app();
        } catch (AppLoadFailure e) {
            throw new StartFailure(e.getMessage(), e);
        }
    }

    private static void startLifespan(LifespanRunner lifespan, ServerConfig config) throws StartFailure {
        Logger log = LoggerFactory.getLogger(LogNames.APP);
        try {
            switch (lifespan.startup(config.timeouts().startup())) {
                case LifespanRunner.Outcome.Started s -> log.debug("lifespan startup complete");
                case LifespanRunner.Outcome.Unsupported u ->
                        log.debug("the app does not handle lifespan; serving without it ({})", u.why());
                case LifespanRunner.Outcome.Failed f ->
                        throw new StartFailure("lifespan startup failed: " + f.message());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailure("interrupted during lifespan startup", e);
        }
    }

    private static WorkerGroup startWorkers(Optional<WorkerStrategy> strategy, int count, Optional<String> reference,
                                            AtomicReference<RollingReload.AppGeneration> generation,
                                            EventBus events, ServerConfig config, ServerSockets sockets)
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
        return strategy.get().start(new MeteredContext() {
            @Override
            public ServerMetrics metrics() {
                return generation.get().services().metrics();
            }

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
            public OptionalInt socketDescriptor(int slot) {
                ServerListener l = sockets.listener(slot);
                return l.descriptor();
            }

            @Override
            public List<Integer> datagramDescriptors(int slot) {
                return sockets.datagramDescriptors(slot);
            }

            @Override
            public void publish(LifecycleEvent event) {
                events.publish(event);
            }
        });
    }

    private static void abort(Optional<ServerSockets> sockets, LifespanRunner lifespan, ServerConfig config) {
        sockets.ifPresent(ServerSockets::close);
        try {
            lifespan.shutdown(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LifecycleDriver.deleteSocketFile(config);
    }

    private static List<String> addresses(ServerConfig config, ServerSockets sockets) {
        if (config.uds().isPresent()) {
            return List.of("unix:" + config.uds().get());
        }
        InetSocketAddress a = sockets.tcpAddress().orElseThrow();
        String host = config.host();
        String scheme = config.tls().enabled() ? "https://" : "http://";
        return List.of(scheme + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    private static void announce(Preflight plan, ServerConfig config, EventBus events, List<String> addresses,
                                 int count) {
        plan.tls().ifPresent(t -> LoggerFactory.getLogger(LogNames.TLS).info("{}",
                t.describe(config.tls().clientAuth())));
        AppThreads.announce(config.dispatch());
        String mode = plan.strategy().map(WorkerStrategy::name).orElse("single");
        List<String> names = new ArrayList<>(plan.protocols().stream().stream().map(ProtocolHandler::name).toList());
        plan.protocols().datagram().stream().map(DatagramProtocol::name).map(n -> n + " (UDP)").forEach(names::add);
        LOG.info("Pounce {} serving on {} with {} worker{} ({}, {}); protocols: {}", VERSION,
                String.join(", ", addresses), count, count == 1 ? "" : "s", mode, plan.transport().name(),
                String.join(", ", names));
        events.publish(new LifecycleEvent.ServerStarted(addresses, count, mode, plan.transport().name()));
    }
}
