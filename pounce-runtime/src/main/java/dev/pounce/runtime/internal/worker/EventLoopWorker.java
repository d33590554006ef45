package dev.pounce.runtime.internal.worker;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.bridge.AppBridge;
import dev.pounce.runtime.internal.listen.Route;
import dev.pounce.runtime.internal.listen.ServerListener;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.runtime.internal.threads.AppThreads;
import dev.pounce.runtime.internal.threads.CarriedLoop;
import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.spi.Worker;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A worker in this JVM: one event loop thread ({@code pounce-worker-N}), its connections and its bridge. It does not
 * own a listening socket: when it starts it takes over its slot's socket from the server (or joins the rotation of
 * the shared one), and when it drains it hands the socket back, so a reload, a crash or a restart never closes a
 * socket that holds queued connections. Draining tells every connection to drain and stops the loop when the last
 * connection is gone.
 */
public final class EventLoopWorker implements Worker {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.WORKERS);
    /** How long a start waits for its socket to move to its loop. */
    private static final Duration TAKE_OVER = Duration.ofSeconds(10);

    private final WorkerIdentity identity;
    private final WorkerServices services;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Connections connections = new Connections(this::onLastConnectionClosed);
    private final WorkerDatagrams datagrams = new WorkerDatagrams();
    private final Route route = new OwnRoute();
    private volatile boolean draining;
    private volatile String stopReason = "shutdown";
    private volatile boolean startedAccepting;
    /** Set on the loop once a drain's socket has left: from then on, the last connection closing stops the loop. */
    private boolean socketLeft;
    /** What stops the loop: the loop itself when carried ({@link CarriedLoop}), else Netty's one-thread group. */
    private EventExecutorGroup group;
    private EventLoop loop;
    private ConnectionSetup setup;
    private AppBridge bridge;
    private volatile Optional<String> failure = Optional.empty();

    /**
     * @param identity the worker's slot and generation
     * @param services what all workers share
     */
    public EventLoopWorker(WorkerIdentity identity, WorkerServices services) {
        this.identity = identity;
        this.services = services;
    }

    @Override
    public WorkerIdentity identity() {
        return identity;
    }

    @Override
    public void start() throws Exception {
        var config = services.config();
        ThreadFactory appThreads;
        Optional<CarriedLoop> carried = config.dispatch().equals("loop")
                ? CarriedLoop.start(identity.id(), services.transport().ioHandlers().get())
                : Optional.empty();
        if (carried.isPresent()) {
            loop = carried.get().loop();
            appThreads = carried.get().appThreads();
            group = loop;
        } else {
            var threads = new MultiThreadIoEventLoopGroup(1, Threads.worker(identity.id()),
                    services.transport().ioHandlers().get());
            loop = threads.next();
            appThreads = AppThreads.onJdkScheduler(identity.id());
            group = threads;
        }
        group.terminationFuture().addListener(f -> {
            if (!draining) {
                stopReason = "the event loop ended unexpectedly";
                failure = Optional.of(stopReason);
            }
            services.events().publish(new LifecycleEvent.WorkerStopped(identity, stopReason));
            terminated.complete(null);
        });
        bridge = new AppBridge(services.app(), config, identity, services.state(), services.events(),
                appThreads, () -> drainSelf("max-requests"),
                services.altSvc(), services.readiness(), services.metrics(), services.middleware());
        setup = new ConnectionSetup(config, services, identity, bridge, connections, () -> draining);
        try {
            datagrams.bind(services, identity, loop, bridge, connections, () -> draining);
            takeOverSocket();
        } catch (Exception e) {
            draining = true;
            giveBackSocket();
            datagrams.close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        services.events().publish(new LifecycleEvent.WorkerStarted(identity));
    }

    private void takeOverSocket() throws Exception {
        var target = new Route.Target(loop, setup);
        CompletableFuture<Void> accepting = services.sockets().rotation()
                .map(r -> r.join(target))
                .orElseGet(() -> socket().take(route));
        startedAccepting = true;
        try {
            accepting.get(TAKE_OVER.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new java.net.BindException("worker " + identity.id() + " cannot accept on "
                    + socket() + ": " + e.getCause().getMessage());
        }
    }

    private ServerListener socket() {
        return services.sockets().listener(identity.id());
    }

    /**
     * Hands the socket back: to the newest live worker of the slot, or to the server, which keeps it open.
     *
     * @return completes once no connection can reach this worker any more; those accepted for it before are queued
     *         on its loop
     */
    private CompletableFuture<Void> giveBackSocket() {
        if (!startedAccepting) {
            return CompletableFuture.completedFuture(null);
        }
        if (services.sockets().rotation().isPresent()) {
            return services.sockets().rotation().get().leave(loop);
        }
        return socket().release(route);
    }

    /**
     * Runs a task on this worker's event loop thread now and then every period, until the loop stops. The task must
     * be tiny: it delays every connection of the worker while it runs. A process worker's heartbeat uses it to learn
     * whether the loop still turns.
     *
     * @param period how often
     * @param task   what to run; an exception it throws ends the repetition
     */
    public void onLoopEvery(Duration period, Runnable task) {
        if (!loop.isShuttingDown()) {
            try {
                loop.scheduleAtFixedRate(task, 0, period.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The loop stopped between the check and the call: there is nothing left to probe.
            }
        }
    }

    /** @return the bridge serving this worker's requests, for counters */
    public AppBridge bridge() {
        return bridge;
    }

    @Override
    public void drain(String reason) {
        if (draining || loop == null) {
            return;
        }
        draining = true;
        stopReason = reason;
        LOG.debug("worker {} (generation {}) draining ({})", identity.id(), identity.generation(), reason);
        // Connections accepted for this worker until its socket has left are still its to serve: the drain is told
        // to them only once none can arrive any more, and the loop stops only after.
        giveBackSocket().whenComplete((v, e) -> onLoop(() -> {
            socketLeft = true;
            connections.drainAll();
            if (connections.count() == 0) {
                stopLoop();
            }
        }));
    }

    /** Drains for the server's shutdown: from now on the health endpoint says {@code 503}, then as any drain. */
    @Override
    public void drainForShutdown(String reason) {
        services.readiness().drainBegun();
        drain(reason);
    }

    /**
     * Drains at {@code --limit-max-requests}: the slot is not restarted, so when no other worker takes its socket the
     * socket closes and the kernel sends new connections to the other slots' sockets.
     */
    private void drainSelf(String reason) {
        drain(reason);
        if (services.sockets().rotation().isEmpty() && !socket().served()) {
            LOG.info("worker {} served its {} requests (--limit-max-requests); its socket closes", identity.id(),
                    services.config().limits().limitMaxRequests());
            socket().close();
        }
    }

    @Override
    public Optional<String> failure() {
        return failure;
    }

    private void onLastConnectionClosed() {
        if (draining && socketLeft) {
            stopLoop();
        }
    }

    private void stopLoop() {
        datagrams.close();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (loop == null) {
            terminated.complete(null);
            return;
        }
        draining = true;
        giveBackSocket();
        onLoop(() -> {
            connections.closeAll();
            stopLoop();
        });
    }

    private void onLoop(Runnable task) {
        if (!loop.isShuttingDown()) {
            try {
                loop.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The loop stopped between the check and the call: nothing left to do on it.
            }
        }
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public int activeConnections() {
        return connections.count();
    }

    /** This worker as the route of its slot's socket: live until it drains or its loop dies. */
    private final class OwnRoute implements Route {
        @Override
        public EventLoop home() {
            return loop;
        }

        @Override
        public Optional<Target> next() {
            return Optional.of(new Target(loop, setup));
        }

        @Override
        public boolean live() {
            return !draining && !loop.isShuttingDown();
        }
    }
}
